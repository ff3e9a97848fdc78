// The carrier layer on its own: settings, credentials, masking, request encoding, and the HTTP
// retry policy against a server on 127.0.0.1 that answers as scripted.
#include "carrier/carriers.hpp"
#include "carrier/http.hpp"
#include "numctl/config.hpp"
#include "numctl/error.hpp"

#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

using namespace numctl;
using namespace numctl::carrier;

namespace {

// Answers one request per scripted reply, in order, on a port of its own; counts the requests.
class ScriptedServer {
public:
  explicit ScriptedServer(std::vector<std::string> replies) : replies_(std::move(replies)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address);
    ::listen(fd_, 8);
    socklen_t length = sizeof address;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] {
      for (const auto& reply : replies_) {
        int client = ::accept(fd_, nullptr, nullptr);
        if (client < 0) return;
        char buffer[4096];
        (void)::recv(client, buffer, sizeof buffer, 0);
        ++requests_;
        (void)::send(client, reply.data(), reply.size(), MSG_NOSIGNAL);
        ::close(client);
      }
    });
  }
  ~ScriptedServer() {
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/"; }
  int requests() const { return requests_; }

private:
  std::vector<std::string> replies_;
  int fd_ = -1;
  int port_ = 0;
  std::atomic<int> requests_{0};
  std::thread thread_;
};

std::string reply(int status, const std::string& headers = {}, const std::string& body = "{}") {
  return "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\nConnection: close\r\n" + headers + "\r\n" + body;
}

}  // namespace

TEST_CASE("retries: 5xx and 429 are retried (429 after Retry-After), other 4xx are not") {
  std::vector<std::chrono::milliseconds> waits;
  HttpPolicy policy;
  policy.first_backoff = std::chrono::milliseconds(1);
  {
    ScriptedServer server({reply(503), reply(429, "Retry-After: 2\r\n"), reply(200, {}, R"({"ok":true})")});
    HttpClient client(policy);
    client.sleep = [&](std::chrono::milliseconds d) { waits.push_back(d); };
    auto outcome = client.send(HttpRequest{"GET", server.url(), {}, {}, {}, {}});
    CHECK(outcome.response.status == 200);
    CHECK(outcome.response.body == R"({"ok":true})");
    CHECK(outcome.attempts == 3);
    REQUIRE(waits.size() == 2);
    CHECK(waits[1] == std::chrono::seconds(2));  // as the carrier asked
  }
  {
    ScriptedServer server({reply(404), reply(200)});
    HttpClient client(policy);
    client.sleep = [](std::chrono::milliseconds) {};
    auto outcome = client.send(HttpRequest{"DELETE", server.url(), {}, {}, {}, {}});
    CHECK(outcome.response.status == 404);
    CHECK(outcome.attempts == 1);
  }
  {
    // Bounded: five tries, then the last answer is the outcome.
    ScriptedServer server({reply(500), reply(500), reply(500), reply(500), reply(500), reply(200)});
    HttpClient client(policy);
    client.sleep = [](std::chrono::milliseconds) {};
    auto outcome = client.send(HttpRequest{"GET", server.url(), {}, {}, {}, {}});
    CHECK(outcome.response.status == 500);
    CHECK(outcome.attempts == 5);
  }
}

TEST_CASE("Retry-After: seconds or an HTTP-date; a past date is no wait; a wait past the budget is said, not waited") {
  using std::chrono::seconds;
  auto now = std::chrono::system_clock::from_time_t(1'790'000'000);  // 2026-09-21T14:13:20Z
  CHECK(parse_retry_after(" 3600\r\n", now) == seconds(3600));
  CHECK(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now) == seconds(0));
  CHECK(parse_retry_after("Mon, 21 Sep 2026 14:14:50 GMT", now) == seconds(90));
  CHECK_FALSE(parse_retry_after("soon", now).has_value());
  HttpPolicy policy;
  policy.first_backoff = std::chrono::milliseconds(1);
  ScriptedServer server({reply(429, "Retry-After: 3600\r\n")});
  HttpClient client(policy);
  bool slept = false;
  client.sleep = [&](std::chrono::milliseconds) { slept = true; };
  auto outcome = client.send(HttpRequest{"GET", server.url(), {}, {}, {}, {}});
  CHECK(outcome.response.status == 429);
  CHECK_FALSE(slept);
  CHECK(outcome.asked_to_wait == seconds(3600));
}

TEST_CASE("a carrier that cannot be reached is an outcome with the transport's words, not a status") {
  HttpPolicy policy;
  policy.attempts = 2;
  policy.first_backoff = std::chrono::milliseconds(1);
  HttpClient client(policy);
  client.sleep = [](std::chrono::milliseconds) {};
  auto outcome = client.send(HttpRequest{"GET", "http://127.0.0.1:9/", {}, {}, {}, {}});  // discard: nothing listens
  CHECK(outcome.response.status == 0);
  CHECK_FALSE(outcome.error.empty());
  CHECK(outcome.attempts == 2);
}

TEST_CASE("form encoding and masking") {
  CHECK(form({{"PhoneNumber", "+14155551234"}, {"FriendlyName", "a b&c"}}) == "PhoneNumber=%2B14155551234&FriendlyName=a%20b%26c");
  CHECK(mask("AC0123456789abcdef0123456789abcdef") == "AC01…cdef");
  CHECK(mask("short") == "*****");
}

TEST_CASE("faults: refused credentials are a configuration problem, anything else the carrier's") {
  auto category = [](const CarrierFault& fault) {
    try {
      raise_fault("Twilio", "releasing +1", fault);
    } catch (const Error& e) {
      return e.category();
    }
    return ErrorCategory::internal;
  };
  CHECK(category({401, "20003", "Authenticate"}) == ErrorCategory::config);
  CHECK(category({400, "21422", "not available"}) == ErrorCategory::carrier);
  CHECK(category({0, "", "Timeout was reached"}) == ErrorCategory::carrier);
}

TEST_CASE("credentials: a file only its owner can read, else refused; the environment otherwise") {
  auto dir = std::filesystem::temp_directory_path() / ("numctl-carrier-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto file = dir / "twilio.env";
  std::ofstream(file) << "# comment\nexport TWILIO_ACCOUNT_SID=AC1\nTWILIO_AUTH_TOKEN = \"tok en\"\nOTHER=x\n";
  ProviderSettings settings;
  settings.credentials_file = file;
  std::filesystem::permissions(file, std::filesystem::perms::owner_read | std::filesystem::perms::group_read);
  CHECK_THROWS_WITH_AS(load_credentials(settings, {"TWILIO_AUTH_TOKEN"}), doctest::Contains("chmod 600"), Error);
  std::filesystem::permissions(file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  auto credentials = load_credentials(settings, {"TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN"});
  CHECK(*credentials.find("TWILIO_AUTH_TOKEN") == "tok en");
  CHECK(*credentials.find("TWILIO_ACCOUNT_SID") == "AC1");
  CHECK(credentials.find("OTHER") == nullptr);  // only the names asked for
  std::filesystem::remove_all(dir);
}

TEST_CASE("[provider] settings: carriers, per-country and per-type order settings, refusals") {
  auto config = parse_config(R"(
[provider]
kind = "Twilio"
base_url = "http://127.0.0.1:8080/"
timeout_s = 3
concurrency = 8
[provider.countries.de]
address_sid = "AD1"
[provider.countries.DE.mobile]
bundle_sid = "BU1"
)", "numctl.toml");
  CHECK(config.provider.kind == ProviderKind::twilio);
  CHECK(config.provider.remote());
  CHECK(*config.provider.base_url == "http://127.0.0.1:8080");
  CHECK(config.provider.concurrency == 8);
  auto mobile = config.provider.order_settings("DE", "mobile");
  CHECK(*mobile.address_sid == "AD1");
  CHECK(*mobile.bundle_sid == "BU1");
  CHECK_FALSE(config.provider.order_settings("DE", "local").bundle_sid);
  CHECK_THROWS_AS(parse_config("[provider]\nkind = \"carrier pigeon\"\n", "x.toml"), Error);
  CHECK_THROWS_AS(parse_config("[provider]\nkind = \"twilio\"\nbase_url = \"ftp://x\"\n", "x.toml"), Error);
  CHECK_THROWS_AS(parse_config("[provider]\nauth_token = \"secret\"\n", "x.toml"), Error);  // never in the config
}
