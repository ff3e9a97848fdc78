// The one formatter of batch failures.
#include "util/batch.hpp"

#include <algorithm>
#include <unordered_map>

namespace numctl {
namespace {

// The reason with the item's own number taken out: what items refused for the same cause share.
std::string reason_key(const std::string& message, const std::string& subject) {
  if (subject.empty()) return message;
  auto at = message.find(subject);
  if (at == std::string::npos) return message;
  return message.substr(0, at) + '\x01' + message.substr(at + subject.size());
}

}  // namespace

void Batch::add(Problem problem, std::size_t order, std::string label, std::string subject) {
  problems_.push_back({order, std::move(label), std::move(subject), std::move(problem)});
}

void Batch::raise(std::string_view head) {
  std::stable_sort(problems_.begin(), problems_.end(), [](const Entry& a, const Entry& b) { return a.order < b.order; });
  // Items sharing a reason, in the order of their first item.
  std::vector<std::vector<const Entry*>> groups;
  std::unordered_map<std::string, std::size_t> group_of;
  for (const auto& entry : problems_) {
    std::string key = std::to_string(static_cast<int>(entry.problem.category)) + reason_key(entry.problem.message, entry.subject);
    auto [it, added] = group_of.try_emplace(std::move(key), groups.size());
    if (added) groups.emplace_back();
    groups[it->second].push_back(&entry);
  }
  auto name = [](const Entry& entry) { return entry.label.empty() ? entry.subject : entry.label; };
  constexpr std::size_t shown = 20;
  std::string message(head);
  if (!message.empty()) message += ": ";
  for (std::size_t g = 0; g < groups.size() && g < shown; ++g) {
    const auto& group = groups[g];
    if (g) message += "; ";
    if (!group.front()->label.empty()) message += group.front()->label + ": ";
    message += group.front()->problem.message;
    if (group.size() > 1) {
      constexpr std::size_t named = 3;
      message += " (the same for " + std::to_string(group.size() - 1) + " more: ";
      for (std::size_t i = 1; i < group.size() && i <= named; ++i) message += (i > 1 ? ", " : "") + name(*group[i]);
      if (group.size() - 1 > named) message += ", and " + std::to_string(group.size() - 1 - named) + " others";
      message += ")";
    }
  }
  if (groups.size() > shown) {
    std::size_t rest = 0;
    for (std::size_t g = shown; g < groups.size(); ++g) rest += groups[g].size();
    message += "; and " + std::to_string(rest) + " more";
  }
  // Precedence, whatever the order of the items: invalid input, not found, refused.
  auto category = std::min_element(problems_.begin(), problems_.end(), [](const Entry& a, const Entry& b) {
                    return static_cast<int>(a.problem.category) < static_cast<int>(b.problem.category);
                  })->problem.category;
  std::vector<Offender> offenders;
  offenders.reserve(problems_.size());
  for (const auto& entry : problems_) offenders.push_back({entry.subject, entry.label, entry.problem.message});
  throw Error(category, message, std::move(offenders));
}

void Batch::raise_refused(std::size_t total, std::string_view verb) {
  raise(total == 1 ? std::string()
                   : std::to_string(size()) + " of " + std::to_string(total) + " numbers refused, nothing " + std::string(verb));
}

}  // namespace numctl
