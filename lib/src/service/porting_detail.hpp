// What the porting units share: an order's body (the request given, the carrier orders, the
// history) as JSON, and the outbox key of its calls.
#pragma once

#include "numctl/porting.hpp"
#include "numctl/service_types.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace numctl::port_detail {

using Json = nlohmann::json;

// "port:7": the outbox key of an order's calls (create, update, cancel).
std::string call_key(std::int64_t id);
// The order's body with its arrays and request object present.
Json body_of(const PortOrder& order);
// A text field of a JSON object, or "".
std::string text_at(const Json& object, const char* key);
// The customer's details of a request, checked, into the order's body (secrets masked there).
void put_request(Json& request, const PortInRequest& given, const std::string& country);

}  // namespace numctl::port_detail
