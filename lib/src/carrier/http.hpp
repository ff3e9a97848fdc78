// HTTP for carriers' REST APIs: libcurl, loaded when a command first talks to a carrier (so
// list, filter and --version never pay for it), with the retry policy every carrier call shares.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace numctl::carrier {

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::string> headers;  // "Name: value"
  std::string body;                  // form-encoded or JSON, with the header saying which
  // HTTP Basic (Twilio) or a bearer token (Telnyx); never written to a message.
  std::optional<std::pair<std::string, std::string>> basic;
  std::optional<std::string> bearer;
};

struct HttpResponse {
  long status = 0;
  std::string body;
  std::optional<std::chrono::seconds> retry_after;
};

struct HttpPolicy {
  std::chrono::milliseconds timeout{10000};  // per attempt, connection included
  int attempts = 5;                          // tries in all for 429, 5xx, timeouts, dropped connections
  std::chrono::milliseconds budget{30000};   // no retry starts after this much time in all
  std::chrono::milliseconds first_backoff{250};
};

// What a carrier answered, or that it could not be reached (status 0, `error` the transport's).
struct HttpOutcome {
  HttpResponse response;
  std::string error;
  int attempts = 0;
  // The carrier asked to wait longer than the retry budget allows: how long (not waited).
  std::optional<std::chrono::seconds> asked_to_wait;
};

// A Retry-After value: delay-seconds, or an HTTP-date (IMF-fixdate) counted from `now`; a date
// in the past is 0. Nothing for a value that is neither.
std::optional<std::chrono::seconds> parse_retry_after(std::string_view value, std::chrono::system_clock::time_point now);

class HttpClient {
public:
  explicit HttpClient(HttpPolicy policy = {});
  // Sends the request, retrying 429 (after Retry-After), 5xx, timeouts and dropped connections
  // with exponential backoff and jitter, within the policy's attempts and budget. Other answers
  // come back as they are. `sleep` is replaceable for tests.
  HttpOutcome send(const HttpRequest& request) const;

  std::function<void(std::chrono::milliseconds)> sleep;

private:
  HttpOutcome send_once(const HttpRequest& request) const;
  HttpPolicy policy_;
};

// "a%20b": for query strings and form bodies.
std::string url_encode(std::string_view text);
std::string form(const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace numctl::carrier
