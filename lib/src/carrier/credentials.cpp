// Carriers' credentials: never in numctl's config file, never printed, never stored.
#include "carriers.hpp"
#include "numctl/clock.hpp"
#include "numctl/text.hpp"

#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <thread>

namespace numctl::carrier {

const std::string* Credentials::find(const std::string& name) const {
  auto it = values.find(name);
  return it == values.end() || it->second.empty() ? nullptr : &it->second;
}

Credentials load_credentials(const ProviderSettings& settings, const std::vector<std::string>& names) {
  Credentials out;
  if (settings.credentials_file) {
    const auto& path = *settings.credentials_file;
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0)
      fail(ErrorCategory::config, "cannot read the credentials file " + path.string() + " ([provider] credentials_file)");
    if ((info.st_mode & 077) != 0)
      fail(ErrorCategory::config, "the credentials file " + path.string() + " can be read by others than its owner; " +
                                      "chmod 600 " + path.string() + " (numctl does not read secrets others can see)");
    std::ifstream in(path);
    if (!in) fail(ErrorCategory::config, "cannot read the credentials file " + path.string());
    std::string line;
    while (std::getline(in, line)) {
      std::string_view l = text::trim(line);
      if (l.empty() || l.front() == '#') continue;
      if (l.starts_with("export ")) l = text::trim(l.substr(7));
      auto eq = l.find('=');
      if (eq == std::string_view::npos) continue;
      std::string key(text::trim(l.substr(0, eq)));
      std::string value(text::trim(l.substr(eq + 1)));
      if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front())
        value = value.substr(1, value.size() - 2);
      for (const auto& name : names)
        if (key == name) out.values[key] = value;
    }
    out.source = path.string();
    return out;
  }
  for (const auto& name : names)
    if (const char* value = std::getenv(name.c_str()); value && *value) out.values[name] = value;
  out.source = "the environment";
  return out;
}

std::string mask(std::string_view secret) {
  if (secret.size() <= 8) return std::string(secret.size(), '*');
  return std::string(secret.substr(0, 4)) + "…" + std::string(secret.substr(secret.size() - 4));
}

void raise_fault(std::string_view carrier, std::string_view doing, const CarrierFault& raw) {
  // What the carrier wrote reaches terminals and logs: one line, no escapes.
  CarrierFault fault{raw.http_status, text::one_line(raw.code), text::one_line(raw.message)};
  std::string message = std::string(carrier) + " ";
  if (fault.http_status == 0) {
    message += "could not be reached while " + std::string(doing) + ": " + fault.message +
               " (check the network, a proxy variable, or [provider] base_url)";
    throw Error(ErrorCategory::carrier, message, {}, {{"carrier_message", fault.message}});
  }
  message += "answered " + std::to_string(fault.http_status);
  if (!fault.code.empty()) message += " (code " + fault.code + ")";
  message += " while " + std::string(doing);
  if (!fault.message.empty()) message += ": " + fault.message;
  std::vector<std::pair<std::string, std::string>> fields{{"carrier_status", std::to_string(fault.http_status)},
                                                          {"carrier_code", fault.code},
                                                          {"carrier_message", fault.message}};
  if (fault.http_status == 401 || fault.http_status == 403)
    throw Error(ErrorCategory::config, message + " (the credentials were refused: check them with numctl provider check)", {},
                std::move(fields));
  throw Error(ErrorCategory::carrier, message, {}, std::move(fields));
}

HttpPolicy policy_of(const ProviderSettings& settings) {
  HttpPolicy policy;
  policy.timeout = std::chrono::seconds(std::max(1, settings.timeout_s));
  return policy;
}

std::vector<std::string> CarrierProvider::available(const AvailabilityRequest& request,
                                                    const std::function<bool(const std::string&)>& owned) {
  std::vector<std::string> out;
  for (auto& offer : offers(request, owned)) out.push_back(std::move(offer.e164));
  return out;
}

RestCarrier::RestCarrier(const ProviderSettings& settings, std::string_view default_base, std::string_view carrier)
    : settings_(settings),
      base_(settings.base_url.value_or(std::string(default_base))),
      http_(policy_of(settings)),
      once_([&] {
        auto policy = policy_of(settings);
        policy.attempts = 1;
        return policy;
      }()),
      carrier_(carrier) {}

nlohmann::json RestCarrier::call(const std::string& method, const std::string& path, const std::string& body,
                                 const std::string& doing, std::initializer_list<long> absent) {
  return send(Call{.method = method, .path = path, .body = body, .doing = doing, .absent = absent});
}

nlohmann::json RestCarrier::send(const Call& call) {
  HttpRequest request;
  request.method = call.method;
  request.url = (call.base.empty() ? base_ : call.base) + call.path;
  authenticate(request);
  request.headers.push_back("Accept: application/json");
  if (!call.body.empty()) {
    request.body = call.body;
    request.headers.push_back("Content-Type: " + (call.content_type.empty() ? std::string(body_type()) : call.content_type));
  }
  return exchange(call.once ? once_ : http_, request, carrier_, call.doing, call.absent,
                  [this](const nlohmann::json& answer, CarrierFault& fault) { read_fault(answer, fault); });
}

std::string RestCarrier::create_once(const std::function<std::string()>& create,
                                     const std::function<std::optional<std::string>()>& find) {
  auto policy = policy_of(settings_);
  auto backoff = policy.first_backoff;
  for (int attempt = 1;; ++attempt) {
    try {
      return create();
    } catch (const Error& error) {
      std::string status;
      for (const auto& [key, value] : error.fields())
        if (key == "carrier_status") status = value;
      bool lost = error.category() == ErrorCategory::carrier && (status.empty() || status == "429" || status[0] == '5');
      if (!lost || attempt >= policy.attempts) throw;
    }
    // The answer was lost: the object may exist. Look before making another.
    if (auto found = find()) return *found;
    std::this_thread::sleep_for(backoff);
    backoff *= 2;
  }
}

std::string RestCarrier::shown_base() const { return text::url_without_password(base_); }

nlohmann::json exchange(const HttpClient& http, const HttpRequest& request, std::string_view carrier,
                        const std::string& doing, std::initializer_list<long> absent,
                        const std::function<void(const nlohmann::json& body, CarrierFault& fault)>& read_fault) {
  auto outcome = http.send(request);
  long status = outcome.response.status;
  if (status == 0) raise_fault(carrier, doing, CarrierFault{0, "", outcome.error});
  for (long a : absent)
    if (status == a) return nlohmann::json();
  const std::string& text = outcome.response.body;
  auto parsed = nlohmann::json::parse(text.empty() ? std::string("{}") : text, nullptr, false);
  if (status >= 200 && status < 300) {
    if (parsed.is_discarded()) raise_fault(carrier, doing, CarrierFault{status, "", "an answer that is not JSON"});
    return parsed;
  }
  CarrierFault fault{status, "", ""};
  if (parsed.is_object()) read_fault(parsed, fault);
  if (fault.message.empty()) fault.message = std::string(text::trim(text.substr(0, 200)));
  if (outcome.attempts > 1) fault.message += " (after " + std::to_string(outcome.attempts) + " attempts)";
  if (outcome.asked_to_wait) {
    auto until = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now() + *outcome.asked_to_wait);
    fault.message += "; the carrier asked to wait " + std::to_string(outcome.asked_to_wait->count()) +
                     " s, longer than numctl's retry budget: try again after " + format_iso8601(until);
  }
  raise_fault(carrier, doing, fault);
}

}  // namespace numctl::carrier
