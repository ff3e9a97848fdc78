// Where numbers are bought from. The seam lets a carrier's API join the catalog and inventory.
#pragma once

#include "numctl/config.hpp"
#include "numctl/domain.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace numctl {

struct AvailabilityRequest {
  std::string country;
  std::optional<NumberType> type;
  std::string contains;      // digits the number must contain
  std::string near_digits;   // prefer numbers sharing these leading national digits (replace)
  std::size_t limit = 10;
};

class Provider {
public:
  virtual ~Provider() = default;
  virtual std::string_view name() const = 0;
  // E.164 numbers that can be bought now; `owned` tells which the business already holds.
  virtual std::vector<std::string> available(const AvailabilityRequest& request,
                                             const std::function<bool(const std::string&)>& owned) = 0;
};

// Valid numbers of any country and type libphonenumber knows, generated deterministically.
std::unique_ptr<Provider> make_catalog_provider();
// Numbers listed in a CSV file the business holds from its carrier (column `number`, optional
// `country`, `type`).
std::unique_ptr<Provider> make_inventory_provider(const std::filesystem::path& file);
std::unique_ptr<Provider> make_provider(const ProviderSettings& settings);

}  // namespace numctl
