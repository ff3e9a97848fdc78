// The one formatter of batch failures.
#include "batch.hpp"

#include <algorithm>

namespace numctl {

void Batch::add(Problem problem, std::size_t order, std::string label) {
  problems_.push_back({order, std::move(label), std::move(problem)});
}

void Batch::raise(std::string_view head) {
  std::stable_sort(problems_.begin(), problems_.end(), [](const Entry& a, const Entry& b) { return a.order < b.order; });
  constexpr std::size_t shown = 20;
  std::string message(head);
  if (!message.empty()) message += ": ";
  for (std::size_t i = 0; i < problems_.size() && i < shown; ++i) {
    if (i) message += "; ";
    if (!problems_[i].label.empty()) message += problems_[i].label + ": ";
    message += problems_[i].problem.message;
  }
  if (problems_.size() > shown) message += "; and " + std::to_string(problems_.size() - shown) + " more";
  fail(problems_.front().problem.category, message);
}

void Batch::raise_refused(std::size_t total, std::string_view verb) {
  raise(total == 1 ? std::string()
                   : std::to_string(size()) + " of " + std::to_string(total) + " numbers refused, nothing " +
                         std::string(verb));
}

}  // namespace numctl
