// libcurl through dlopen: its headers give the types and constants, and the dozen functions
// numctl calls are looked up once, the first time a carrier is called.
#include "http.hpp"
#include "numctl/error.hpp"
#include "util/dynamic.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <iomanip>
#include <locale>
#include <mutex>
#include <random>
#include <sstream>
#include <thread>

namespace numctl::carrier {
namespace {

// clang-format off
#define NUMCTL_CURL_FUNCTIONS(X)                                                                      \
  X(global_init, curl_global_init) X(easy_init, curl_easy_init) X(easy_setopt, curl_easy_setopt)      \
  X(easy_perform, curl_easy_perform) X(easy_getinfo, curl_easy_getinfo)                               \
  X(easy_cleanup, curl_easy_cleanup) X(easy_strerror, curl_easy_strerror)                             \
  X(slist_append, curl_slist_append) X(slist_free_all, curl_slist_free_all)
// clang-format on

struct Curl {
  NUMCTL_DYNAMIC_SLOTS(NUMCTL_CURL_FUNCTIONS)
};

const Curl& curl() {
  static Curl loaded;
  static std::once_flag once;
  static std::string problem;
  std::call_once(once, [] {
    DynamicLibrary library("libcurl.so.4", "to reach the carrier", "the libcurl4 package");
    NUMCTL_DYNAMIC_FIND(NUMCTL_CURL_FUNCTIONS, library, loaded);
    problem = library.problem();
    if (problem.empty()) loaded.global_init(CURL_GLOBAL_DEFAULT);
  });
  if (!problem.empty()) fail(ErrorCategory::config, problem);
  return loaded;
}

std::size_t append_body(char* data, std::size_t size, std::size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

std::size_t read_header(char* data, std::size_t size, std::size_t count, void* out) {
  std::string_view line(data, size * count);
  constexpr std::string_view name = "retry-after:";
  if (line.size() > name.size()) {
    std::string lower(line.substr(0, name.size()));
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    if (lower == name)
      static_cast<HttpResponse*>(out)->retry_after =
          parse_retry_after(line.substr(name.size()), std::chrono::system_clock::now());
  }
  return size * count;
}

}  // namespace

std::optional<std::chrono::seconds> parse_retry_after(std::string_view value, std::chrono::system_clock::time_point now) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\r' || value.back() == '\n' || value.back() == '\t'))
    value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  if (value.find_first_not_of("0123456789") == std::string_view::npos) {
    if (value.size() > 9) return std::chrono::seconds(999'999'999);  // far beyond any budget
    return std::chrono::seconds(std::stol(std::string(value)));
  }
  // IMF-fixdate: "Wed, 21 Oct 2026 07:28:00 GMT".
  std::tm tm{};
  std::istringstream in{std::string(value)};
  in.imbue(std::locale::classic());
  in >> std::get_time(&tm, "%a, %d %b %Y %H:%M:%S GMT");
  if (in.fail()) return std::nullopt;
  auto at = std::chrono::system_clock::from_time_t(::timegm(&tm));
  if (at <= now) return std::chrono::seconds(0);
  return std::chrono::ceil<std::chrono::seconds>(at - now);
}

namespace {

bool retryable(const HttpOutcome& outcome) {
  if (outcome.response.status == 0) return true;  // timeout, refused or dropped connection
  return outcome.response.status == 429 || outcome.response.status >= 500;
}

}  // namespace

HttpClient::HttpClient(HttpPolicy policy) : policy_(policy) {
  sleep = [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); };
}

HttpOutcome HttpClient::send_once(const HttpRequest& request) const {
  const Curl& c = curl();
  HttpOutcome outcome;
  CURL* easy = c.easy_init();
  if (!easy) fail(ErrorCategory::internal, "libcurl could not start a request");
  curl_slist* headers = nullptr;
  for (const auto& header : request.headers) headers = c.slist_append(headers, header.c_str());
  std::string authorization;
  if (request.bearer) {
    authorization = "Authorization: Bearer " + *request.bearer;
    headers = c.slist_append(headers, authorization.c_str());
  }
  c.easy_setopt(easy, CURLOPT_URL, request.url.c_str());
  c.easy_setopt(easy, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  if (request.method == "POST" || !request.body.empty()) {
    c.easy_setopt(easy, CURLOPT_POSTFIELDS, request.body.c_str());
    c.easy_setopt(easy, CURLOPT_POSTFIELDSIZE, static_cast<long>(request.body.size()));
  }
  if (request.basic) {
    c.easy_setopt(easy, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    c.easy_setopt(easy, CURLOPT_USERNAME, request.basic->first.c_str());
    c.easy_setopt(easy, CURLOPT_PASSWORD, request.basic->second.c_str());
  }
  c.easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
  c.easy_setopt(easy, CURLOPT_WRITEFUNCTION, append_body);
  c.easy_setopt(easy, CURLOPT_WRITEDATA, &outcome.response.body);
  c.easy_setopt(easy, CURLOPT_HEADERFUNCTION, read_header);
  c.easy_setopt(easy, CURLOPT_HEADERDATA, &outcome.response);
  c.easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(policy_.timeout.count()));
  c.easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(policy_.timeout.count()));
  c.easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  c.easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 1L);  // the defaults, said out loud
  c.easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 2L);
  c.easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "https,http");
  c.easy_setopt(easy, CURLOPT_USERAGENT, "numctl/" NUMCTL_VERSION);
  CURLcode code = c.easy_perform(easy);
  if (code == CURLE_OK) {
    c.easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &outcome.response.status);
  } else {
    outcome.error = c.easy_strerror(code);
    outcome.response = {};
  }
  c.slist_free_all(headers);
  c.easy_cleanup(easy);
  return outcome;
}

HttpOutcome HttpClient::send(const HttpRequest& request) const {
  auto start = std::chrono::steady_clock::now();
  thread_local std::mt19937 random{std::random_device{}()};
  std::chrono::milliseconds backoff = policy_.first_backoff;
  HttpOutcome outcome;
  for (int attempt = 1;; ++attempt) {
    outcome = send_once(request);
    outcome.attempts = attempt;
    if (!retryable(outcome) || attempt >= policy_.attempts) return outcome;
    // 429: as long as the carrier asks; otherwise exponential, with jitter so that the
    // concurrent calls of one sweep do not come back together.
    std::chrono::milliseconds wait = backoff + std::chrono::milliseconds(random() % (backoff.count() + 1));
    if (outcome.response.status == 429 && outcome.response.retry_after)
      wait = std::chrono::duration_cast<std::chrono::milliseconds>(*outcome.response.retry_after);
    auto spent = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    if (spent + wait >= policy_.budget) {
      if (outcome.response.status == 429 && outcome.response.retry_after) outcome.asked_to_wait = outcome.response.retry_after;
      return outcome;
    }
    sleep(wait);
    backoff *= 2;
  }
}

std::string url_encode(std::string_view text) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string form(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [key, value] : fields) out += (out.empty() ? "" : "&") + url_encode(key) + "=" + url_encode(value);
  return out;
}

}  // namespace numctl::carrier
