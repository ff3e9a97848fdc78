// Providers of numbers to buy: the built-in catalog and a carrier inventory file.
#include "numctl/provider.hpp"
#include "numctl/error.hpp"
#include "numctl/phone.hpp"
#include "util/csv.hpp"
#include "numctl/text.hpp"
#include "carrier/carriers.hpp"

#include <fstream>

namespace numctl {
namespace {

bool contains_digits(const std::string& e164, const std::string& national, std::string_view wanted) {
  return wanted.empty() || e164.find(wanted) != std::string::npos || national.find(wanted) != std::string::npos;
}

class CatalogProvider final : public Provider {
public:
  std::string_view name() const override { return "catalog"; }

  std::vector<std::string> available(const AvailabilityRequest& request,
                                     const std::function<bool(const std::string&)>& owned) override {
    std::vector<std::string> out;
    std::vector<NumberType> types = request.type ? std::vector<NumberType>{*request.type}
                                                 : std::vector<NumberType>(all_number_types.begin(), all_number_types.end());
    for (NumberType type : types) {
      if (out.size() >= request.limit) break;
      auto found = generate_numbers(request.country, type, request.near_digits, request.contains,
                                    [&](const std::string& e164) {
                                      return !owned(e164) && std::find(out.begin(), out.end(), e164) == out.end();
                                    },
                                    request.limit - out.size(), 20000);
      out.insert(out.end(), found.begin(), found.end());
    }
    return out;
  }
};

class InventoryProvider final : public Provider {
public:
  explicit InventoryProvider(std::filesystem::path file) : file_(std::move(file)) {}
  std::string_view name() const override { return "inventory"; }

  std::vector<std::string> available(const AvailabilityRequest& request,
                                     const std::function<bool(const std::string&)>& owned) override {
    std::ifstream in(file_, std::ios::binary);
    if (!in) fail(ErrorCategory::config, "cannot read provider inventory " + file_.string() + " ([provider] file)");
    std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto table = csv::parse(content);
    if (table.empty()) return {};
    auto column = [&](std::string_view name) -> std::optional<std::size_t> {
      for (std::size_t i = 0; i < table[0].size(); ++i)
        if (text::lower(text::trim(table[0][i])) == name) return i;
      return std::nullopt;
    };
    auto number_column = column("number");
    if (!number_column) fail(ErrorCategory::config, file_.string() + ": the inventory needs a 'number' column");
    std::vector<std::string> out;
    for (std::size_t r = 1; r < table.size() && out.size() < request.limit; ++r) {
      const auto& row = table[r];
      if (*number_column >= row.size()) continue;
      ParsedNumber parsed;
      try {
        parsed = parse_phone_number(row[*number_column], std::nullopt);
      } catch (const Error&) {
        continue;  // a carrier file may hold lines numctl cannot use; they are simply not offered
      }
      if (parsed.country != request.country) continue;
      if (request.type) {
        std::optional<NumberType> type = parsed.type;
        if (auto c = column("type"); c && *c < row.size()) type = parse_number_type_alias(row[*c]);
        if (type != request.type && !(!type && parsed.type_detail == "fixed line or mobile" && request.type != NumberType::toll_free))
          continue;
      }
      if (!contains_digits(parsed.e164, parsed.national_digits, request.contains) || owned(parsed.e164)) continue;
      out.push_back(parsed.e164);
    }
    return out;
  }

private:
  std::filesystem::path file_;
};

}  // namespace

std::unique_ptr<Provider> make_catalog_provider() { return std::make_unique<CatalogProvider>(); }

std::unique_ptr<Provider> make_inventory_provider(const std::filesystem::path& file) {
  return std::make_unique<InventoryProvider>(file);
}

std::vector<Offer> Provider::offers(const AvailabilityRequest& request, const std::function<bool(const std::string&)>& owned) {
  std::vector<Offer> out;
  for (auto& e164 : available(request, owned)) out.push_back(Offer{std::move(e164), {}, {}, {}, {}});
  return out;
}

OrderOutcome Provider::order(const std::string&, NumberType, const std::string&, const std::string&) { return {}; }
OrderOutcome Provider::order_status(const std::string&) { return {}; }
std::optional<HeldNumber> Provider::lookup(const std::string&) { return std::nullopt; }
bool Provider::release(const HeldNumber&) { return true; }
void Provider::for_each_held(const std::function<void(const HeldNumber&)>&) {}
std::vector<ListPrice> Provider::prices(const std::string&, std::optional<NumberType>) { return {}; }
void Provider::for_each_call(const std::string&, const std::function<void(const CallRecord&)>&) {}
std::string Provider::check() { return std::string(name()) + ": offline, nothing to check"; }

std::unique_ptr<Provider> make_provider(const ProviderSettings& settings) {
  if (settings.kind == ProviderKind::inventory && settings.file) return make_inventory_provider(*settings.file);
  if (settings.kind == ProviderKind::twilio) return carrier::make_twilio(settings);
  if (settings.kind == ProviderKind::telnyx) return carrier::make_telnyx(settings);
  return make_catalog_provider();
}

std::unique_ptr<ReputationSource> make_reputation_source(const ProviderSettings& settings) {
  if (settings.kind == ProviderKind::telnyx) return carrier::make_telnyx_reputation(settings);
  fail(ErrorCategory::config, "reputation refresh reads Telnyx Number Reputation, and the provider is " +
                                  std::string(to_string(settings.kind)) +
                                  ": set [provider] kind = \"telnyx\", or import a feed file with numctl reputation import");
}

}  // namespace numctl

namespace numctl {
std::vector<CarrierPortOrder> PortingCarrier::update(const PortRequest&, const std::vector<std::string>&) {
  fail(ErrorCategory::refused, "this carrier changes no port-in order once made: cancel it and create it again");
}

void PortingCarrier::answer_port_out(const std::string&, bool, const std::string&) {
  fail(ErrorCategory::refused, "this carrier takes no answer to port-out requests through its API");
}
}  // namespace numctl
