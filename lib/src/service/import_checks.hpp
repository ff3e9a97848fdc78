// Import, steps 1 and 2 (import_checks.cpp): every row checked without the database, on every
// core, into the rows to add; then their order by number, which also finds a number given twice.
#pragma once

#include "util/batch.hpp"
#include "numctl/config.hpp"
#include "numctl/import.hpp"
#include "numctl/service.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace numctl::import_steps {

// The row's texts that name dates and other numbers, checked and normalised.
struct RowTexts {
  std::string bought_at, release_at, expires_at, replaced_by, replaces, currency;
};

bool has_row_texts(const ImportRow& row);
// Whether a row adding this number claims a regulated number is in service without
// --trust-status (decided once it is known whether the row adds a number or updates one).
bool claims_untrusted(const NewNumber& row, const Config& config, const ImportOptions& options, bool status_given);
// The refusal of such a row: what the file claims, what the country asks for, and what to do.
Problem untrusted_status(std::string_view display, Status status, std::string_view country,
                         const std::vector<std::string>& required);
// Step 1: a bad row's problem goes to the batch and its e164 stays empty; `if_added` holds what
// is wrong with a row only if it adds a number.
void check_rows(const std::vector<ImportRow>& rows, const Config& config, const ImportOptions& options, const RunOptions& run,
                std::vector<NewNumber>& checked, std::vector<RowTexts>& texts, std::vector<std::optional<Problem>>& if_added,
                Batch& batch);
// Step 2: the good rows' indexes in number order; a number given twice goes to the batch.
std::vector<std::size_t> order_by_number(const std::vector<ImportRow>& rows, const std::vector<NewNumber>& checked, Batch& batch);

// Step 3's times every row shares (rows to add hold views of them, so they live here until the
// insert returns), and its team and member ids by name: found once, created on first sight.
struct Names {
  std::string now;
  std::string release;                                                   // when a number imported to_be_cancelled is released
  std::string deadline;                                                  // when an order imported pending expires
  std::unordered_map<std::string, std::int64_t> team_ids, member_ids;    // by lower-case name
  std::unordered_map<std::string, std::int64_t> team_hits, member_hits;  // as written: no lower()
  // The team of each member named (lower-case name -> team as stored), to hold every row to it.
  std::unordered_map<std::string, std::optional<std::string>> member_teams;
  std::optional<std::unordered_map<std::string, std::optional<std::string>>> stored_member_teams;
};

// A row to add made whole: dates it does not give, fields its status does not keep.
void complete_row(NewNumber& add, const std::string& now, std::string_view release, std::string_view deadline);
// A carrier's reference names one number: a file giving another number's reference would let a
// release meant for one number reach the other. Refused, naming the first such pairs.
void refuse_shared_refs(Store& store);

}  // namespace numctl::import_steps
