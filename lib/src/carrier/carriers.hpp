// The carriers numctl talks to over their REST APIs, and what they share: credentials read from
// the environment or a private file, masked wherever they are shown, and faults as exit 6.
#pragma once

#include "numctl/config.hpp"
#include "numctl/error.hpp"
#include "numctl/provider.hpp"
#include "http.hpp"

#include <nlohmann/json.hpp>

#include <functional>
#include <optional>
#include <initializer_list>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace numctl::carrier {

// Named secrets (TWILIO_AUTH_TOKEN, ...) and where they came from, for messages.
struct Credentials {
  std::map<std::string, std::string> values;
  std::string source;  // "the environment" or the file's path

  const std::string* find(const std::string& name) const;
};

// From [provider] credentials_file when set (refused unless only its owner can read it), else
// from the environment. Only the names asked for are read.
Credentials load_credentials(const ProviderSettings& settings, const std::vector<std::string>& names);

// "AC12…cdef": enough to tell which account, never enough to use it.
std::string mask(std::string_view secret);

// The error a carrier's refusal becomes: credentials refused (401, 403) are a configuration
// problem (exit 5); anything else the carrier refused, or not reaching it, is exit 6. The
// message names the carrier, what numctl was doing, and the carrier's own words.
[[noreturn]] void raise_fault(std::string_view carrier, std::string_view doing, const CarrierFault& fault);

HttpPolicy policy_of(const ProviderSettings& settings);

// What every carrier shares: it is remote, and the numbers it offers are its offers' numbers.
class CarrierProvider : public Provider {
public:
  bool remote() const override { return true; }
  std::vector<std::string> available(const AvailabilityRequest& request,
                                     const std::function<bool(const std::string&)>& owned) override;
};

// One JSON exchange with a carrier: the answer of a 2xx (an empty one as {}), null for a status in
// `absent` (a 404 that means "not there"); anything else raised through raise_fault, with the
// carrier's code and words as `read_fault` finds them in its error body (the attempts said).
nlohmann::json exchange(const HttpClient& http, const HttpRequest& request, std::string_view carrier,
                        const std::string& doing, std::initializer_list<long> absent,
                        const std::function<void(const nlohmann::json& body, CarrierFault& fault)>& read_fault);

// A carrier reached over REST: its base URL, its HTTP client and retry policy, and one call()
// that authenticates a request, types its body and reads the carrier's error body. What is left
// to a carrier is its endpoints and mappings.
class RestCarrier : public CarrierProvider {
 public:
  // One request as call() makes it, with what a particular call changes: another host of the
  // carrier, a body of another type (multipart), or a single attempt (creating an object).
  struct Call {
    std::string method{}, path{}, body{}, doing{};
    std::initializer_list<long> absent = {};
    std::string base{};          // empty: base_
    std::string content_type{};  // empty: body_type()
    bool once = false;           // no retry: the caller looks for what a lost answer made
  };
  nlohmann::json send(const Call& call);
  // Creates an object at the carrier exactly once: `create` is tried once at a time; when its
  // answer is lost (not reached, 5xx, 429) `find` looks for what it may have made before trying
  // again, within the retry policy. Returns the id `create` or `find` gave.
  std::string create_once(const std::function<std::string()>& create, const std::function<std::optional<std::string>()>& find);

 protected:
  RestCarrier(const ProviderSettings& settings, std::string_view default_base, std::string_view carrier);

  // The JSON answer of a 2xx; null for a status in `absent` (a 404 that means "not there");
  // anything else raised as the carrier's fault (exchange()).
  nlohmann::json call(const std::string& method, const std::string& path, const std::string& body, const std::string& doing,
                      std::initializer_list<long> absent = {});
  // base_url for messages (a password in it masked).
  std::string shown_base() const;

  // The carrier's dialect: how a request proves who sends it, how a body is typed, and where
  // an error body keeps the carrier's code and words.
  virtual void authenticate(HttpRequest& request) const = 0;
  virtual std::string_view body_type() const = 0;
  virtual void read_fault(const nlohmann::json& body, CarrierFault& fault) const = 0;

  ProviderSettings settings_;
  std::string base_;
  HttpClient http_;
  HttpClient once_;  // one attempt: create_once decides what a retry may do

 private:
  std::string_view carrier_;
};

std::unique_ptr<Provider> make_twilio(const ProviderSettings& settings);
// The compliance APIs, reached through their carrier's REST client: Twilio's Regulatory
// Compliance (bundle first) on numbers.twilio.com, Telnyx's requirement groups (order first).
std::unique_ptr<ComplianceCarrier> make_twilio_compliance(RestCarrier& rest, const ProviderSettings& settings);
std::unique_ptr<ComplianceCarrier> make_telnyx_compliance(RestCarrier& rest);
// The porting APIs: Twilio's Porting v1 (numbers.twilio.com, US numbers), Telnyx's porting
// orders and port-outs.
std::unique_ptr<PortingCarrier> make_twilio_porting(RestCarrier& rest, const ProviderSettings& settings,
                                                    const std::string& account);
std::unique_ptr<PortingCarrier> make_telnyx_porting(RestCarrier& rest);
// Emergency addresses, their registration on numbers, and caller ID names.
std::unique_ptr<EmergencyCarrier> make_twilio_emergency(RestCarrier& rest, const std::string& account);
std::unique_ptr<EmergencyCarrier> make_telnyx_emergency(RestCarrier& rest);
// A JSON answer's field as text: a string as it is, a number or boolean as JSON writes it, absent
// or null as "".
inline std::string text_of(const nlohmann::json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return {};
  return it->is_string() ? it->get<std::string>() : it->dump();
}
// A file uploaded to Telnyx's /v2/documents once under `reference` (its customer_reference):
// with `look_first` (a resumed run) an upload made before is found by it; after a lost answer too.
std::string telnyx_document(RestCarrier& rest, const std::string& reference, const std::string& filename,
                            const std::string& content, const std::string& doing, bool look_first);
// One part of a multipart/form-data body: a field, or a file when `filename` is set.
struct FormPart {
  std::string name, value, filename;
};
// The body of a multipart upload, with a boundary none of the values contains; `content_type`
// is set to the type that names it.
std::string multipart(const std::vector<FormPart>& parts, std::string& content_type);
// A file's type as carriers' uploads want it named, from its first bytes.
std::string mime_of(std::string_view content);
// "Business Name" -> business_name: a carrier's label as a machine name.
std::string machine_name(std::string_view label);
// The base64 of `bytes` (RFC 4648, padded).
std::string base64(std::string_view bytes);
std::unique_ptr<Provider> make_telnyx(const ProviderSettings& settings);
std::unique_ptr<ReputationSource> make_telnyx_reputation(const ProviderSettings& settings);

}  // namespace numctl::carrier
