// Prices and spend: what a number costs a month (the carrier's offer or price list, or the
// config's [prices] for the offline providers), refreshing the prices of the numbers held, and
// what the inventory costs now or cost in a past month (prorated by the days each number was held).
#include "service_impl.hpp"
#include "numctl/error.hpp"
#include "numctl/lifecycle.hpp"
#include "numctl/money.hpp"

#include <algorithm>
#include <bitset>
#include <map>
#include <tuple>

namespace numctl {

std::optional<Money> Service::list_price(const std::string& country, NumberType type) {
  if (!provider().remote()) {
    auto list = config_.prices.find(country);
    if (list == config_.prices.end()) return std::nullopt;
    auto price = list->second.monthly.find(type);
    if (price == list->second.monthly.end()) return std::nullopt;
    return Money{price->second, list->second.currency};
  }
  std::string name(provider().name());
  std::string key = country + "." + std::string(to_string(type));
  if (auto known = list_prices_.find(key); known != list_prices_.end()) return known->second;
  if (auto cached = store_.cached_price(name, country, type)) return list_prices_[key] = cached->first;
  // Not read yet: the carrier is asked once for the country, for this process (a price it does
  // not give stays unknown; a carrier that does not answer leaves the price unknown, and `prices
  // refresh`, which caches what it reads, says why). Nothing is written here: a read-only
  // command (available) asks too.
  try {
    for (const auto& price : provider().prices(country, std::nullopt))
      list_prices_[country + "." + std::string(to_string(price.type))] = price.monthly;
  } catch (const Error& error) {
    if (error.category() != ErrorCategory::carrier) throw;
  }
  auto& found = list_prices_[key];
  return found;
}

std::optional<Money> Service::price_of(const std::string& e164, const std::string& country, NumberType type) {
  if (auto offered = offered_prices_.find(e164); offered != offered_prices_.end()) return offered->second;
  return list_price(country, type);
}

void Service::check_max_price(const NumberRecord& record, const BuyOptions& options) {
  if (!options.max_price) return;
  if (!record.monthly_price || !record.currency)
    fail(ErrorCategory::refused, record.display + ": its monthly price is not known, so --max-price " + *options.max_price +
                                     " cannot be checked (set [prices." + record.country + "] or numctl prices refresh)");
  auto cap = parse_amount(*options.max_price, *record.currency);
  if (!cap)
    fail(ErrorCategory::invalid_input, "--max-price takes a decimal amount such as 1.50, got '" + *options.max_price + "'");
  if (*record.monthly_price > *cap)
    fail(ErrorCategory::refused, record.display + " costs " + format_money({*record.monthly_price, *record.currency}) +
                                     " a month, above --max-price " + format_money({*cap, *record.currency}));
}

PricesRefreshed Service::refresh_prices(const RunOptions& run) {
  PricesRefreshed result;
  const bool remote = provider().remote();
  const std::string name = remote ? std::string(provider().name()) : std::string();
  result.source = remote ? name : "[prices]";
  auto kinds = store_.held_kinds(name);
  // The carrier is asked before the write lock is taken: once per country held (Twilio gives a
  // country's list at once; Telnyx prices one offer of each type held).
  std::map<std::string, std::optional<Money>> read;
  std::string now = now_iso();
  if (remote) {
    for (std::size_t i = 0; i < kinds.size();) {
      const std::string country = kinds[i].first;
      std::size_t end = i;
      while (end < kinds.size() && kinds[end].first == country) ++end;
      report(run, "reading prices", end, kinds.size());
      try {
        std::vector<ListPrice> prices;
        if (!provider().prices_whole_country()) {
          for (std::size_t k = i; k < end; ++k) {
            auto more = provider().prices(country, kinds[k].second);
            prices.insert(prices.end(), more.begin(), more.end());
          }
        } else {
          prices = provider().prices(country, std::nullopt);
        }
        for (const auto& price : prices) read[country + "." + std::string(to_string(price.type))] = price.monthly;
      } catch (const Error& error) {
        if (error.category() != ErrorCategory::carrier) throw;
        result.failed.push_back({country, "", error.what()});
      }
      i = end;
    }
  }
  in_transaction(run, [&] {
    for (const auto& kind : kinds) {
      const auto& [country, type] = kind;
      std::string key = country + "." + std::string(to_string(type));
      bool failed =
          std::any_of(result.failed.begin(), result.failed.end(), [&](const Offender& o) { return o.number == kind.first; });
      if (failed) continue;
      PriceRefreshed line{.country = country, .type = type, .price = std::nullopt, .changed = 0};
      if (remote) {
        if (auto it = read.find(key); it != read.end()) {
          line.price = it->second;
          store_.cache_price(name, country, type, *it->second, now);
          list_prices_[key] = it->second;
        }
      } else {
        line.price = list_price(country, type);
      }
      if (line.price) line.changed = store_.set_prices(name, country, type, *line.price, now, actor_);
      result.lines.push_back(line);
    }
    return 0;
  });
  return result;
}

namespace {

// Orders rows as both engines list them: by group, then currency, the empty ones last.
bool row_before(const CostRow& a, const CostRow& b) {
  return std::make_tuple(!a.group, a.group, !a.currency, a.currency) <
         std::make_tuple(!b.group, b.group, !b.currency, b.currency);
}

// The days of a month a number was held, from its status changes: held from a change into
// service (a purchase, an import, a released number bought again) to a change out of it
// (released, expired), both days counted; still held, to the month's end.
class HeldDays {
 public:
  HeldDays(std::chrono::sys_days first, int days) : first_(first), days_(days) {}

  void change(const StatusChange& c, bool first_change) {
    using namespace std::chrono;
    auto at = parse_iso8601(c.at);
    if (!at) return;
    // Billed or not, as the lifecycle says of each status (a status no longer known: not billed).
    auto billed = [](const std::optional<std::string>& status) {
      auto parsed = status ? parse_status(*status) : std::nullopt;
      return parsed && lifecycle::billed(*parsed);
    };
    bool into_service = c.to && billed(c.to) && !billed(c.from);
    bool out_of_service = c.to && !billed(c.to);
    // A number whose first recorded change takes it out was billed before the audit begins.
    if (first_change && out_of_service && billed(c.from)) held_from_ = sys_seconds::min();
    if (into_service && !held_from_) held_from_ = *at;
    if (out_of_service && held_from_) {
      mark(*held_from_, *at - seconds(1));
      held_from_.reset();
    }
  }
  // The days held, once every change of the number is in.
  int finish() {
    if (held_from_) mark(*held_from_, std::chrono::sys_seconds(first_ + std::chrono::days(days_)) - std::chrono::seconds(1));
    held_from_.reset();
    int count = static_cast<int>(held_.count());
    held_.reset();
    return count;
  }

 private:
  void mark(std::chrono::sys_seconds from, std::chrono::sys_seconds to) {
    using namespace std::chrono;
    if (to < from) to = from;  // bought and released in the same second: that day
    auto first_day = from <= sys_seconds(first_) ? 0 : static_cast<long>((floor<days>(from) - first_).count());
    auto last_day = static_cast<long>((floor<days>(to) - first_).count());
    for (long d = std::max(0L, first_day); d <= std::min<long>(last_day, days_ - 1); ++d) held_.set(static_cast<std::size_t>(d));
  }

  std::chrono::sys_days first_;
  int days_;
  std::optional<std::chrono::sys_seconds> held_from_;
  std::bitset<31> held_;
};

}  // namespace

std::vector<std::pair<Money, std::int64_t>> Service::idle_spend() {
  std::vector<std::pair<Money, std::int64_t>> out;
  if (!config_.usage.report_above) return out;
  Filter filter;
  filter.idle_days = config_.usage.idle_days;
  filter.silent_since = format_iso8601(clock_.now() - std::chrono::days(config_.usage.idle_days));
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> by_currency;  // count, total
  store_.for_each_number(filter, Sort{}, Page{}, [&](const NumberRecord& r) {
    if (!r.monthly_price || !r.currency) return;
    auto& sum = by_currency[*r.currency];
    ++sum.first;
    sum.second += *r.monthly_price;
  });
  for (const auto& [currency, sum] : by_currency) {
    auto above = parse_amount(*config_.usage.report_above, currency);
    if (above && sum.second > *above) out.emplace_back(Money{sum.second, currency}, sum.first);
  }
  return out;
}

CostReport Service::cost(const CostQuery& query) {
  CostReport report{.by = query.by, .month = query.month, .days_in_month = 0, .rows = {}, .totals = {}};
  if (!query.month) {
    report.rows = store_.cost(query.by);
    std::sort(report.rows.begin(), report.rows.end(), row_before);
  } else {
    using namespace std::chrono;
    auto month = parse_month(*query.month);
    if (!month) fail(ErrorCategory::invalid_input, "--month takes a month as YYYY-MM (2026-11), got '" + *query.month + "'");
    sys_days first{*month / 1};
    if (sys_seconds(first) > clock_.now())
      fail(ErrorCategory::invalid_input,
           "--month " + *query.month + " has not begun; leave --month out for what the inventory costs now");
    report.days_in_month = days_in_month(*month);
    HeldDays held_days(first, report.days_in_month);
    // Per group and currency: numbers held, and price times days (divided once at the end, so
    // that rounding happens once per row).
    std::map<std::pair<std::optional<std::string>, std::optional<std::string>>, std::pair<std::int64_t, std::int64_t>> sums;
    std::string current;
    StatusChange last;
    bool first_change = true;
    auto close = [&] {
      if (current.empty()) return;
      int held = held_days.finish();
      if (held == 0) return;
      auto& sum = sums[{last.group, last.currency}];
      ++sum.first;
      if (last.monthly_price) sum.second += *last.monthly_price * held;
    };
    std::string until = format_iso8601(sys_seconds(first + days(report.days_in_month)));
    store_.for_each_status_change(query.by, until, [&](const StatusChange& change) {
      if (change.number != current) {
        close();
        current = change.number;
        first_change = true;
      }
      last = change;
      held_days.change(change, first_change);
      first_change = false;
    });
    close();
    for (const auto& [key, sum] : sums)
      report.rows.push_back(CostRow{key.first, key.second, sum.first, prorate(sum.second, 1, report.days_in_month)});
    std::sort(report.rows.begin(), report.rows.end(), row_before);
  }
  for (const auto& row : report.rows)
    if (row.currency) report.totals.add(*row.currency, row.monthly_total);
  return report;
}

}  // namespace numctl
