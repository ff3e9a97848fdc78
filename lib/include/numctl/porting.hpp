// Porting: numbers that arrive from another carrier on a port-in order, and numbers that leave
// by port. A port-in order is numctl's; at a carrier it becomes one or more carrier orders (the
// carrier splits an order per losing carrier), each with its status, its firm cut-over date (FOC)
// and, when it stalls, the carrier's exception reason. The offline providers keep the order in
// the ledger and the operator completes it by hand, so the lifecycle is the same.
#pragma once

#include "numctl/domain.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace numctl {

// numctl's words for where a port-in order stands; the carrier's own status is kept beside it.
enum class PortState : std::uint8_t { creating, submitted, foc_confirmed, exception, ported, cancelled };
std::string_view to_string(PortState state);
std::optional<PortState> parse_port_state(std::string_view name);
// Whether an order still moves (refresh reads it, due lists it).
bool port_open(PortState state);

// Where the losing carrier has the customer: the letter of authorization must match it.
struct PortAddress {
  std::string street, city, region, postal_code, country;
};
// "1 Main St, Springfield, IL, 62701[, US]": four or five parts separated by commas; the country
// defaults to `country`. invalid_input naming the parts when it does not read.
PortAddress parse_port_address(std::string_view text, const std::string& country);

// What `port-in create` asks a carrier for.
struct PortRequest {
  std::vector<std::string> numbers;  // E.164
  std::string reference;             // numctl's, given to the carrier to find the order again
  std::string name;                  // the customer as the losing carrier knows them
  PortAddress address;
  std::string email;
  std::string pin, account_number;  // the losing carrier's; never printed
  std::string requested_date;       // YYYY-MM-DD, or empty
  struct File {
    std::string filename, content;
  };
  std::optional<File> loa, invoice;
};

// One order at the carrier, as it reads now.
struct CarrierPortOrder {
  std::string ref;  // the carrier's id
  PortState state = PortState::submitted;
  std::string carrier_status;        // draft, foc-date-confirmed, "In Review", ...
  std::string foc_date;              // the firm date once the losing carrier confirmed it (ISO 8601)
  std::string reason;                // the carrier's exception or cancellation reason
  std::vector<std::string> numbers;  // E.164, those the carrier put on this order
  std::vector<std::string> ported;   // of those, the ones the carrier reports ported
};

// What a carrier's portability check says of one number.
struct Portability {
  std::string number;
  bool portable = true;
  std::string reason;  // why not
};

// A request by another carrier to take numbers away (Telnyx port-outs).
struct PortOut {
  std::string id;
  std::string provider;
  std::string status;  // pending, authorized, ported, rejected, rejected-pending, canceled
  std::vector<std::string> numbers;
  std::string carrier_name;  // the winning carrier
  std::string foc_date;
  std::string reason;
  std::string read_at;
  std::optional<std::string> answered_at;
};

// A port-in order as numctl stores it. `body` is JSON numctl owns: the request (secrets apart),
// the carrier orders it became, its history.
struct PortOrder {
  std::int64_t id = 0;
  std::string provider;
  PortState state = PortState::creating;
  std::string carrier_status;
  std::optional<std::string> foc_date;
  std::optional<std::string> reason;
  std::string body = "{}";
  std::optional<std::string> secrets;  // JSON {pin, account_number} until the carrier has them
  std::optional<std::string> loa_name, invoice_name;
  std::string created_at, updated_at;
  struct Number {
    std::string e164;
    std::optional<std::string> carrier_order;
  };
  std::vector<Number> numbers;
};

// "port-7": how an order is named to operators and, as its customer reference, to a carrier.
std::string port_reference(std::int64_t id);
// The order id an operator typed ("port-7" or "7"), or nothing.
std::optional<std::int64_t> parse_port_reference(std::string_view text);
// "12••••89": a secret as outputs show it (the last two characters at most).
std::string mask_secret(std::string_view secret);

}  // namespace numctl
