// libpq through dlopen (see pq.hpp): its header gives the types, and the functions numctl calls
// are looked up once, when the first PostgreSQL connection is made.
#include "pq.hpp"
#include "numctl/error.hpp"
#include "store/engines.hpp"
#include "pq_api.hpp"

#include <cstdlib>
#include <cstring>
#include <mutex>

namespace numctl::pg {

namespace {
const Pq* loaded_api = nullptr;  // set once libpq is loaded whole
}  // namespace

const Pq& pq() {
  static Pq loaded;
  static std::once_flag once;
  static std::string problem;
  std::call_once(once, [] {
    DynamicLibrary library("libpq.so.5", "for the PostgreSQL database", "the libpq5 package");
    NUMCTL_DYNAMIC_FIND(NUMCTL_LIBPQ_FUNCTIONS, library, loaded);
    problem = library.problem();
    if (problem.empty()) loaded_api = &loaded;
  });
  if (!problem.empty()) fail(ErrorCategory::database, problem);
  return loaded;
}

namespace {
// A result comes from libpq, so libpq is loaded by the time one is read: its fields are read
// without pq()'s check each time (a 50,000-number batch reads 1.5 million fields).
const Pq& api() { return *loaded_api; }
}  // namespace

namespace {

std::string first_line(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  if (auto nl = text.find('\n'); nl != std::string::npos) text = text.substr(0, nl);
  return text;
}

void quiet(void*, const char*) {}  // NOTICEs ("extension exists, skipping") are not for operators

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return 0;
}

}  // namespace

Params& Params::text(std::string_view value) {
  values_.emplace_back(std::string(value));
  formats_.push_back(0);
  return *this;
}
Params& Params::optional(const std::optional<std::string>& value) {
  values_.push_back(value);
  formats_.push_back(0);
  return *this;
}
Params& Params::integer(std::int64_t value) { return text(std::to_string(value)); }
Params& Params::optional(const std::optional<std::int64_t>& value) {
  return value ? integer(*value) : null();
}
Params& Params::null() {
  values_.emplace_back(std::nullopt);
  formats_.push_back(0);
  return *this;
}
Params& Params::binary(std::string_view bytes) {
  values_.emplace_back(std::string(bytes));
  formats_.push_back(1);
  return *this;
}

Result& Result::operator=(Result&& other) noexcept {
  if (this != &other) {
    if (result_) pq().clear(result_);
    result_ = other.result_;
    other.result_ = nullptr;
  }
  return *this;
}
Result::~Result() {
  if (result_) api().clear(result_);
}
int Result::rows() const { return api().ntuples(result_); }
int Result::columns() const { return api().nfields(result_); }
Result::Type Result::type(int column) const {
  switch (api().ftype(result_, column)) {             // OIDs of pg_type
    case 20: case 21: case 23: return Type::integer;  // int8, int2, int4
    case 17: return Type::bytes;                      // bytea
    default: return Type::text;
  }
}
bool Result::null(int row, int column) const { return api().getisnull(result_, row, column) != 0; }
std::string_view Result::view(int row, int column) const {
  return {api().getvalue(result_, row, column), static_cast<std::size_t>(api().getlength(result_, row, column))};
}
std::string Result::text(int row, int column) const { return std::string(view(row, column)); }
std::optional<std::string> Result::optional(int row, int column) const {
  if (null(row, column)) return std::nullopt;
  return text(row, column);
}
std::int64_t Result::integer(int row, int column) const {
  return std::strtoll(api().getvalue(result_, row, column), nullptr, 10);
}
std::string Result::bytes(int row, int column) const {
  // bytea in text form: "\x" then two hex digits a byte.
  std::string_view hexed = view(row, column);
  if (hexed.starts_with("\\x")) hexed.remove_prefix(2);
  std::string out(hexed.size() / 2, '\0');
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<char>(hex(hexed[2 * i]) << 4 | hex(hexed[2 * i + 1]));
  return out;
}
std::int64_t Result::changed() const { return std::strtoll(pq().cmd_tuples(result_), nullptr, 10); }

namespace {
// Whether any of the eight bytes of `word` is a control character (below 0x20: tab, newline and
// carriage return among them) or a backslash: the classic test for a zero byte, applied to the
// word less 0x20 in each byte, and to the word xor '\\' in each byte.
bool may_need_escaping(std::uint64_t word) {
  constexpr std::uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
  std::uint64_t backslash = word ^ (ones * '\\');
  return (((word - ones * 0x20) & ~word) | ((backslash - ones) & ~backslash)) & highs;
}
}  // namespace

void copy_field(std::string& out, std::string_view value) {
  // Nearly every field has nothing to escape: eight bytes are checked at a time, and runs without
  // a character to escape are appended whole.
  std::size_t run = 0, i = 0;
  while (i < value.size()) {
    if (i + 8 <= value.size()) {
      std::uint64_t word;
      std::memcpy(&word, value.data() + i, 8);
      if (!may_need_escaping(word)) {
        i += 8;
        continue;
      }
    }
    std::string_view escaped;
    switch (value[i]) {
      case '\\': escaped = "\\\\"; break;
      case '\t': escaped = "\\t"; break;
      case '\n': escaped = "\\n"; break;
      case '\r': escaped = "\\r"; break;
      default: ++i; continue;
    }
    out.append(value.substr(run, i - run));
    out.append(escaped);
    run = ++i;
  }
  out.append(value.substr(run));
}

bool is_unique_violation(std::string_view sqlstate) { return sqlstate == "23505"; }

bool is_failover(std::string_view sqlstate) {
  return sqlstate == "25006" || sqlstate == "57P01" || sqlstate == "57P02" || sqlstate == "57P03" || sqlstate.starts_with("08");
}

Connection::Connection(const std::string& url) : url_(url) { connect(); }

void Connection::connect() {
  const Pq& api = pq();
  conn_ = api.connectdb(url_.c_str());
  if (!conn_ || api.status(conn_) != CONNECTION_OK) {
    std::string why = conn_ ? mask_message(first_line(api.error_message(conn_)), url_) : "out of memory";
    if (conn_) api.finish(conn_);
    conn_ = nullptr;
    fail(ErrorCategory::database, "cannot connect to PostgreSQL at " + mask_url(url_) + ": " + why +
                                      " (check [database] url or NUMCTL_DATABASE_URL, the server, and ~/.pgpass)");
  }
  api.set_notice_processor(conn_, quiet, nullptr);
  const char* host = api.host(conn_);
  describe_ = std::string(api.user(conn_)) + "@" + (host && *host ? host : "localhost") + ":" + api.port(conn_) + "/" + api.db(conn_);
}

void Connection::reconnect() {
  if (conn_) pq().finish(conn_);
  conn_ = nullptr;
  lost_ = false;
  connect();
}

bool Connection::lost() const { return lost_ || !conn_ || pq().status(conn_) != CONNECTION_OK; }

bool Connection::gone(std::string_view sqlstate, std::string_view message) const {
  if (pq().status(conn_) != CONNECTION_OK) return true;
  if (!sqlstate.empty()) return is_failover(sqlstate);
  // Without a SQLSTATE libpq itself noticed the server gone mid-request; the connection may not
  // say so yet (a server stopped at once drops its sockets while the request is sent).
  for (std::string_view words : {"server closed the connection", "terminating connection", "could not receive data",
                                 "could not send data", "no connection to the server"})
    if (message.find(words) != std::string_view::npos) return true;
  return false;
}

std::string Connection::role() { return exec("SELECT pg_is_in_recovery()").text(0, 0) == "t" ? "standby" : "primary"; }

Connection::~Connection() {
  if (conn_) pq().finish(conn_);
}

void Connection::raise(pg_result* result, const std::string& sql) {
  const Pq& api = pq();
  std::string message = result ? first_line(api.result_error_message(result)) : first_line(api.error_message(conn_));
  const char* state = result ? api.result_error_field(result, PG_DIAG_SQLSTATE) : nullptr;
  std::string sqlstate = state ? state : "";
  if (result) api.clear(result);
  (void)sql;
  if (message.empty()) message = first_line(api.error_message(conn_));
  // The connection went away (server stopped, network, a failover) or the server became a
  // standby: a database problem, the transaction under way never committed (a lost COMMIT is
  // resolved by the store before it answers).
  if (gone(sqlstate, message)) {
    lost_ = true;
    fail(ErrorCategory::database, std::string(commits_ ? failover_after_commits_message : failover_message) +
                                      " (lost the PostgreSQL server at " + describe_ + ": " + message + ")");
  }
  // Waited the writer lock out (lock_timeout), as SQLite's writers wait busy_timeout.
  if (sqlstate == "55P03")
    fail(ErrorCategory::database, "the PostgreSQL database at " + describe_ +
                                      " stayed busy: another numctl is writing; try again. Nothing was changed");
  fail(ErrorCategory::database, "PostgreSQL at " + describe_ + ": " + message + (sqlstate.empty() ? "" : " (SQLSTATE " + sqlstate + ")"));
}

// The parameters as libpq takes them: pointers to the values (null for NULL) and their lengths.
struct Connection::Prepared {
  std::vector<const char*> values;
  std::vector<int> lengths;
  explicit Prepared(const Params& params) {
    for (const auto& v : params.values_) {
      values.push_back(v ? v->data() : nullptr);
      lengths.push_back(v ? static_cast<int>(v->size()) : 0);
    }
  }
};

Result Connection::exec(const std::string& sql, const Params& params) {
  auto result = exec_unless(sql, params, {});
  return std::move(*result);
}

std::optional<Result> Connection::exec_unless(const std::string& sql, const Params& params, std::string_view sqlstate) {
  if (before_) before_();
  const Pq& api = pq();
  Prepared p(params);
  pg_result* result = api.exec_params(conn_, sql.c_str(), static_cast<int>(p.values.size()), nullptr, p.values.data(),
                                      p.lengths.data(), params.formats_.data(), 0);
  auto status = result ? api.result_status(result) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return Result(result);
  if (!sqlstate.empty() && result) {
    const char* state = api.result_error_field(result, PG_DIAG_SQLSTATE);
    if (state && sqlstate == state) {
      api.clear(result);
      return std::nullopt;
    }
  }
  raise(result, sql);
}

void Connection::script(const std::string& sql) {
  if (before_) before_();
  const Pq& api = pq();
  pg_result* result = api.exec(conn_, sql.c_str());
  auto status = result ? api.result_status(result) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) raise(result, sql);
  api.clear(result);
}

void Connection::stream(const std::string& sql, const Params& params, const std::function<void(const Result&)>& row) {
  if (before_) before_();
  const Pq& api = pq();
  Prepared p(params);
  if (!api.send_query_params(conn_, sql.c_str(), static_cast<int>(p.values.size()), nullptr, p.values.data(),
                             p.lengths.data(), params.formats_.data(), 0))
    raise(nullptr, sql);
  api.set_single_row_mode(conn_);
  std::exception_ptr failure;
  pg_result* failed = nullptr;
  while (pg_result* result = api.get_result(conn_)) {
    auto status = api.result_status(result);
    if (status == PGRES_SINGLE_TUPLE && !failure) {
      Result one(result);
      try {
        row(one);
      } catch (...) {
        failure = std::current_exception();  // drain the rest, then rethrow
      }
      continue;
    }
    if (status == PGRES_TUPLES_OK || status == PGRES_SINGLE_TUPLE) {
      api.clear(result);
      continue;
    }
    if (!failed) failed = result;
    else api.clear(result);
  }
  if (failure) {
    if (failed) api.clear(failed);
    std::rethrow_exception(failure);
  }
  if (failed) raise(failed, sql);
}

std::int64_t Connection::copy_in(const std::string& sql,
                                 const std::function<void(const std::function<void(std::string_view)>&)>& write) {
  if (before_) before_();
  const Pq& api = pq();
  pg_result* start = api.exec_params(conn_, sql.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0);
  if (!start || api.result_status(start) != PGRES_COPY_IN) raise(start, sql);
  api.clear(start);
  write([&](std::string_view chunk) {
    if (api.put_copy_data(conn_, chunk.data(), static_cast<int>(chunk.size())) != 1) raise(nullptr, sql);
  });
  if (api.put_copy_end(conn_, nullptr) != 1) raise(nullptr, sql);
  std::int64_t copied = 0;
  pg_result* failed = nullptr;
  while (pg_result* result = api.get_result(conn_)) {
    if (api.result_status(result) == PGRES_COMMAND_OK) {
      copied = std::strtoll(api.cmd_tuples(result), nullptr, 10);
      api.clear(result);
    } else if (!failed) {
      failed = result;
    } else {
      api.clear(result);
    }
  }
  if (failed) raise(failed, sql);
  return copied;
}

}  // namespace numctl::pg
