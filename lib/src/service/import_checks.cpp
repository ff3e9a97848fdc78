// Import, steps 1 and 2: every row checked without the database (the number parsed, dates and
// links read, the status weighed against the country's regulation), on every core; then the good
// rows ordered by number, which also finds a number given twice.
#include "import_checks.hpp"
#include "numctl/money.hpp"
#include "service_impl.hpp"
#include "domain/validation.hpp"
#include "numctl/error.hpp"
#include "numctl/phone.hpp"
#include "numctl/text.hpp"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

namespace numctl::import_steps {

Result<ParsedNumber> parse_row_number(const ImportRow& row, const std::optional<std::string>& region, bool bulk) {
  try {
    return bulk ? parse_phone_number_in_bulk(row.number, region) : parse_phone_number(row.number, region);
  } catch (const Error& error) {
    if (error.category() != ErrorCategory::invalid_input) throw;
    return invalid(error.what());
  }
}

// The texts a row's number holds views into, normalised from what the file wrote.
bool has_row_texts(const ImportRow& row) {
  return row.bought_at || row.release_at || row.expires_at || row.replaced_by || row.replaces || row.currency;
}

Result<std::string> row_date(const std::optional<std::string>& value, std::string_view key) {
  auto at = parse_iso8601(*value);
  if (!at) return invalid(std::string(key) + " '" + *value + "' is not an ISO 8601 date (2024-05-01T09:30:00Z)");
  return format_iso8601(*at);
}

Result<std::string> row_link(const std::optional<std::string>& value, std::string_view key,
                             const std::optional<std::string>& region) {
  ImportRow other;
  other.number = *value;
  auto parsed = parse_row_number(other, region, false);
  if (!parsed) return invalid(std::string(key) + ": " + parsed.problem().message);
  return parsed.value().e164;
}

Problem untrusted_status(std::string_view display, Status status, std::string_view country,
                         const std::vector<std::string>& required) {
  return invalid(std::string(display) + " is " + std::string(to_string(status)) + " in the file, but " + std::string(country) +
                 " asks for documents (" + text::join(required, ", ") +
                 ") before a number is used: leave the status empty (the number becomes pending), or pass "
                 "--trust-status if the documents are held elsewhere");
}

// Whether a row adding this number claims a regulated number is in service without
// --trust-status (decided once it is known whether the row adds a number or updates one).
bool claims_untrusted(const NewNumber& row, const Config& config, const ImportOptions& options, bool status_given) {
  return status_given && lifecycle::claims_service(row.status) && !options.trust_status &&
         config.requires_documents(row.country, row.type);
}

// A row's dates and links to other numbers, normalised into `texts` and the row to add.
Check check_dates(const ImportRow& row, const std::optional<std::string>& region, NewNumber& out, RowTexts& texts) {
  if (row.bought_at) {
    auto at = row_date(row.bought_at, "bought_at");
    if (!at) return at.problem();
    texts.bought_at = std::move(at.value());
    out.bought_at = texts.bought_at;
  }
  bool leaving = out.status == Status::to_be_cancelled || out.status == Status::cancelled || out.status == Status::ported_out;
  if (row.release_at) {
    if (!leaving)
      return invalid("release_at is only for to_be_cancelled, cancelled and ported_out numbers, not " +
                     std::string(to_string(out.status)));
    auto at = row_date(row.release_at, "release_at");
    if (!at) return at.problem();
    texts.release_at = std::move(at.value());
    out.release_at = texts.release_at;
  }
  if (row.expires_at) {
    if (out.status != Status::pending)
      return invalid("expires_at is only for pending orders, not " + std::string(to_string(out.status)));
    auto at = row_date(row.expires_at, "expires_at");
    if (!at) return at.problem();
    texts.expires_at = std::move(at.value());
    out.expires_at = texts.expires_at;
  }
  if (row.replaced_by) {
    auto link = row_link(row.replaced_by, "replaced_by", region);
    if (!link) return link.problem();
    texts.replaced_by = std::move(link.value());
    out.replaced_by = texts.replaced_by;
  }
  if (row.replaces) {
    auto link = row_link(row.replaces, "replaces", region);
    if (!link) return link.problem();
    texts.replaces = std::move(link.value());
    out.replaces = texts.replaces;
  }
  return passed();
}

// A row's names and free text, refused when they would mislead a terminal or a spreadsheet.
// A row's monthly price: a decimal amount with its currency, kept in minor units.
Check check_price(const ImportRow& row, NewNumber& out, RowTexts& texts) {
  if (!row.monthly_price && !row.currency) return passed();
  if (!row.monthly_price || !row.currency)
    return invalid("monthly_price and currency go together (\"1.20\" and \"USD\"); give both or neither");
  auto currency = parse_currency(*row.currency);
  if (!currency) return invalid("currency '" + *row.currency + "' is not an ISO 4217 code such as USD or EUR");
  auto amount = parse_amount(*row.monthly_price, *currency);
  if (!amount)
    return invalid("monthly_price '" + *row.monthly_price + "' is not a decimal amount such as 1.20 (in " + *currency + ")");
  texts.currency = *currency;
  out.currency = texts.currency;
  out.monthly_price = *amount;
  return passed();
}

Check check_texts(const ImportRow& row, NewNumber& out) {
  if (row.team)
    if (auto check = check_name("team", *row.team); !check) return check;
  if (row.member)
    if (auto check = check_name("member", *row.member); !check) return check;
  if (auto check = check_free_text("label", row.label); !check) return check;
  if (auto check = check_free_text("risk_reason", row.risk_reason); !check) return check;
  if (auto check = check_name("provider", row.provider.value_or("-")); !check) return check;
  if (auto check = check_name("provider_ref", row.provider_ref.value_or("-")); !check) return check;
  if (row.label) out.label = *row.label;
  if (row.risk_reason) out.risk_reason = *row.risk_reason;
  // Where the number lives, as the carrier's list said (a migration from a carrier's export).
  if (row.provider) out.provider = *row.provider;
  if (row.provider_ref) out.provider_ref = *row.provider_ref;
  return passed();
}

// Everything about one row that needs no database, written straight into the row to add:
// parsing and validating the number (the expensive part), the keys derived from it, type,
// status, dates and names. Dates and links are kept, normalised, in `texts`.
// A problem that matters only if the row adds a number (with skip or update, a row may name one
// owned already, whose type the inventory knows) lands in `if_added`.
Check check_row(const ImportRow& row, const Config& config, const ImportOptions& options, bool bulk, NewNumber& out,
                RowTexts& texts, std::optional<Problem>& if_added) {
  const auto& region = config.default_region;
  auto parsed = parse_row_number(row, region, bulk);
  if (!parsed) return parsed.problem();
  if (auto check = check_manageable(parsed.value()); !check) return check;
  // Derived keys (an export's) are checked against the number, never trusted.
  if (row.display) {
    ImportRow shown;
    shown.number = *row.display;
    auto display = parse_row_number(shown, region, false);
    if (!display || display.value().e164 != parsed.value().e164)
      return invalid("display '" + *row.display + "' is not the number " + parsed.value().display);
  }
  if (row.country && text::upper(*row.country) != parsed.value().country)
    return invalid("country '" + *row.country + "' does not match the number " + parsed.value().display + " (" +
                   parsed.value().country + ")");
  std::optional<NumberType> asked;
  if (row.type) {
    asked = parse_number_type_alias(*row.type);
    if (!asked) return invalid("unknown type '" + *row.type + "' (local, mobile, toll_free)");
  }
  auto type = settle_type(parsed.value(), asked);
  if (!type && options.on_conflict == OnConflict::fail) return type.problem();
  if (!type) if_added = type.problem();
  out.type = type ? type.value() : NumberType::local;
  // Regulation decides as it does for a purchase; a file claiming a regulated number is in
  // service is believed only when the operator says the documents are held elsewhere.
  bool regulated = config.requires_documents(parsed.value().country, out.type);
  if (row.status) {
    auto s = parse_status_alias(*row.status);
    if (!s)
      return invalid("unknown status '" + *row.status + "' (pending, active, high_risk, to_be_cancelled, cancelled, ported_out)");
    if (*s == Status::porting_in)
      return invalid("porting_in is the status of a number on a port-in order: numctl port-in create records the order");
    out.status = *s;
    // With skip or update the row may name a number owned already: decided under the lock.
    if (lifecycle::claims_service(out.status) && regulated && !options.trust_status && options.on_conflict == OnConflict::fail)
      return untrusted_status(parsed.value().display, out.status, parsed.value().country,
                              config.required_documents_for(parsed.value().country, out.type));
  } else {
    out.status = regulated ? Status::pending : Status::active;
  }
  if (auto check = check_dates(row, region, out, texts); !check) return check;
  if (auto check = check_texts(row, out); !check) return check;
  if (auto check = check_price(row, out, texts); !check) return check;
  auto& number = parsed.value();
  out.e164 = std::move(number.e164);
  out.display = std::move(number.display);
  out.national_digits = std::move(number.national_digits);
  out.country = std::move(number.country);
  return passed();
}

// Step 1: rows are checked on every core, each thread its own slice, straight into `checked`;
// a bad row's problem goes to the batch and its e164 stays empty.
void check_rows(const std::vector<ImportRow>& rows, const Config& config, const ImportOptions& options, const RunOptions& run,
                std::vector<NewNumber>& checked, std::vector<RowTexts>& texts, std::vector<std::optional<Problem>>& if_added,
                Batch& batch) {
  std::mutex batch_mutex;
  std::atomic<std::size_t> done{0};
  // Compiling the metadata costs a few milliseconds, repaid after a few hundred numbers.
  bool bulk = rows.size() >= 500;
  std::exception_ptr unexpected;
  // An unexpected error (the phone module missing, say) ends every slice: each row would raise
  // it again (a million rows, 3 s of unwinding before the one-line error).
  std::atomic<bool> failed{false};
  auto check_slice = [&](std::size_t begin, std::size_t end) {
    RowTexts unused;
    std::optional<Problem> unused_problem;
    for (std::size_t i = begin; i < end && !failed.load(std::memory_order_relaxed); ++i) {
      try {
        auto check = check_row(rows[i], config, options, bulk, checked[i], texts.empty() ? unused : texts[i],
                               if_added.empty() ? unused_problem : if_added[i]);
        if (!check) {
          std::lock_guard lock(batch_mutex);
          batch.add(check.problem(), i, "row " + std::to_string(rows[i].position), rows[i].number);
          checked[i].e164.clear();
        }
      } catch (...) {
        std::lock_guard lock(batch_mutex);
        if (!unexpected) unexpected = std::current_exception();
        failed.store(true, std::memory_order_relaxed);
      }
      done.fetch_add(1, std::memory_order_relaxed);
    }
  };
  std::size_t threads = rows.size() < 2000 ? 1 : std::max(1u, std::thread::hardware_concurrency());
  std::size_t slice = (rows.size() + threads - 1) / std::max<std::size_t>(threads, 1);
  std::vector<std::thread> workers;
  for (std::size_t t = 1; t < threads; ++t)
    workers.emplace_back(check_slice, std::min(rows.size(), t * slice), std::min(rows.size(), (t + 1) * slice));
  // This thread takes the first slice in steps, reporting progress between them.
  for (std::size_t begin = 0; begin < std::min(rows.size(), slice); begin += 1000) {
    check_slice(begin, std::min({rows.size(), slice, begin + 1000}));
    report(run, "checking", done.load(std::memory_order_relaxed), rows.size());
  }
  for (auto& worker : workers) worker.join();
  report(run, "checking", rows.size(), rows.size());
  if (unexpected) std::rethrow_exception(unexpected);
}

// A sort key that orders E.164 numbers as their text does: up to 16 digits, each as 1..10 in
// four bits, shorter numbers padded with zeros (which sort first, as a shorter text does).
// Numbers equal in their first 16 digits are told apart by their text.
std::uint64_t e164_sort_key(std::string_view e164) {
  std::uint64_t key = 0;
  std::size_t i = 1;
  for (; i < e164.size() && i <= 16; ++i) key = key << 4 | static_cast<std::uint64_t>(e164[i] - '0' + 1);
  return key << (4 * (17 - i));
}

// Step 2: the good rows' indexes in number order. Rows are written in that order: the unique
// index on numbers and the audit index by number then grow at their ends instead of at a
// million random places (all rows share one timestamp). The same order finds a number given
// twice: its rows end up side by side.
std::vector<std::size_t> order_by_number(const std::vector<ImportRow>& rows, const std::vector<NewNumber>& checked,
                                         Batch& batch) {
  std::vector<std::pair<std::uint64_t, std::uint32_t>> order;  // (sort key, row index)
  order.reserve(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i)
    if (!checked[i].e164.empty()) order.emplace_back(e164_sort_key(checked[i].e164), static_cast<std::uint32_t>(i));
  std::sort(order.begin(), order.end(), [&](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first < b.first;
    int c = checked[a.second].e164.compare(checked[b.second].e164);
    return c != 0 ? c < 0 : a.second < b.second;
  });
  std::vector<std::size_t> unique;
  unique.reserve(order.size());
  for (auto [key, i] : order) {
    if (!unique.empty() && checked[unique.back()].e164 == checked[i].e164) {
      batch.add(invalid(checked[i].display + " also appears in row " + std::to_string(rows[unique.back()].position)), i,
                "row " + std::to_string(rows[i].position), checked[i].display);
      continue;
    }
    unique.push_back(i);
  }
  return unique;
}

void complete_row(NewNumber& add, const std::string& now, std::string_view release, std::string_view deadline) {
  if (add.bought_at.empty()) add.bought_at = now;
  if (add.status == Status::active || add.status == Status::high_risk) add.activated_at = add.bought_at;
  if (add.status == Status::pending && add.expires_at.empty()) add.expires_at = deadline;
  if (add.status != Status::high_risk && add.status != Status::to_be_cancelled && add.status != Status::cancelled)
    add.risk_reason = {};
  if (add.status == Status::to_be_cancelled || add.status == Status::cancelled) {
    add.previous_status = Status::active;
    add.cancel_requested_at = now;
    if (add.release_at.empty()) add.release_at = add.status == Status::to_be_cancelled ? release : std::string_view(now);
  }
}

void refuse_shared_refs(Store& store) {
  auto shared = store.shared_provider_refs(5);
  if (shared.empty()) return;
  std::string message =
      "provider_ref " + shared.front().provider_ref + " names both " + shared.front().number + " and " + shared.front().other;
  if (shared.size() > 1) message += " (and " + std::to_string(shared.size() - 1) + " more such references)";
  fail(ErrorCategory::refused, message +
                                   ": a carrier's reference names one number; correct the file (numctl "
                                   "sync shows what the carrier holds). Nothing was imported");
}

}  // namespace numctl::import_steps
