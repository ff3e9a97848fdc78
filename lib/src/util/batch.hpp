// Collects the problems of an all-or-nothing batch (numbers of a command, rows of an import)
// and raises them as one error an operator can read: a reason shared by many items is said once
// with their count, the first 20 reasons, then how many more; the error carries every offender.
#pragma once

#include "numctl/error.hpp"
#include "numctl/result.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace numctl {

class Batch {
 public:
  // A problem of the item at `order` (problems are reported in this order); `label` names the
  // item when the message does not ("row 12"); `subject` is the number it is about, as the
  // message writes it where it does (problems differing only in it share one reason).
  void add(Problem problem, std::size_t order, std::string label = {}, std::string subject = {});
  void add(const Problem& problem) { add(problem, problems_.size()); }

  // Runs `step` for one item; an error that is the item's fault (not the database's, not a bug)
  // becomes a problem of the batch. `subject`, which the step may update (the typed number, then
  // its display form once resolved), names the item. True when the step succeeded.
  template <typename Step>
  bool attempt(Step&& step, std::size_t order, const std::string* subject = nullptr) {
    try {
      step();
      return true;
    } catch (const Error& error) {
      if (error.category() == ErrorCategory::database || error.category() == ErrorCategory::internal) throw;
      add(Problem{error.category(), error.what()}, order, {}, subject ? *subject : std::string());
      return false;
    }
  }

  bool empty() const { return problems_.empty(); }
  std::size_t size() const { return problems_.size(); }

  // One error naming every problem, "HEAD: first; second (the same for 3 more: A, B, C); ...;
  // and N more" (only the list when `head` is empty). The exit code does not depend on the
  // order of the items: invalid input wins over not found, which wins over refused.
  [[noreturn]] void raise(std::string_view head);
  // The same for a batch of `total` numbers: "N of T numbers refused, nothing VERB" (just the
  // list when only one number was given).
  [[noreturn]] void raise_refused(std::size_t total, std::string_view verb);

 private:
  struct Entry {
    std::size_t order;
    std::string label;
    std::string subject;
    Problem problem;
  };
  std::vector<Entry> problems_;
};

}  // namespace numctl
