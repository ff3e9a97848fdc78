// Collects the problems of an all-or-nothing batch (numbers of a command, rows of an import)
// and raises them as one error an operator can read: the first 20, then how many more.
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
  // item when the message does not ("row 12").
  void add(Problem problem, std::size_t order, std::string label = {});
  void add(const Problem& problem) { add(problem, problems_.size()); }

  // Runs `step` for one item; an error that is the item's fault (not the database's, not a bug)
  // becomes a problem of the batch. True when the step succeeded.
  template <typename Step>
  bool attempt(Step&& step, std::size_t order) {
    try {
      step();
      return true;
    } catch (const Error& error) {
      if (error.category() == ErrorCategory::database || error.category() == ErrorCategory::internal) throw;
      add(Problem{error.category(), error.what()}, order);
      return false;
    }
  }

  bool empty() const { return problems_.empty(); }
  std::size_t size() const { return problems_.size(); }

  // One error naming every problem, "HEAD: first; second; ...; and N more" (only the list when
  // `head` is empty); the category of the first problem decides the exit code.
  [[noreturn]] void raise(std::string_view head);
  // The same for a batch of `total` numbers: "N of T numbers refused, nothing VERB" (just the
  // list when only one number was given).
  [[noreturn]] void raise_refused(std::size_t total, std::string_view verb);

private:
  struct Entry {
    std::size_t order;
    std::string label;
    Problem problem;
  };
  std::vector<Entry> problems_;
};

}  // namespace numctl
