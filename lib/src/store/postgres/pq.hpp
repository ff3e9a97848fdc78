// libpq through dlopen, and a thin C++ layer over it: a connection, statements with text
// parameters ($1, $2, ...), results read by row and column. libpq is loaded only when the
// configured database is PostgreSQL, so SQLite users' start-up does not change.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct pg_conn;
struct pg_result;

namespace numctl::pg {

// Parameters of one statement, as text (NULL for an absent value); bytea values are sent in
// binary.
class Params {
public:
  Params& text(std::string_view value);
  Params& optional(const std::optional<std::string>& value);
  Params& integer(std::int64_t value);
  Params& optional(const std::optional<std::int64_t>& value);
  Params& null();
  Params& binary(std::string_view bytes);
  std::size_t size() const { return values_.size(); }

private:
  friend class Connection;
  std::vector<std::optional<std::string>> values_;
  std::vector<int> formats_;
};

class Result {
public:
  explicit Result(pg_result* result) : result_(result) {}
  Result(Result&& other) noexcept : result_(other.result_) { other.result_ = nullptr; }
  Result& operator=(Result&& other) noexcept;
  ~Result();
  int rows() const;
  int columns() const;
  // What a column holds, as numctl reads it.
  enum class Type { integer, text, bytes };
  Type type(int column) const;
  bool null(int row, int column) const;
  std::string text(int row, int column) const;
  std::string_view view(int row, int column) const;
  std::optional<std::string> optional(int row, int column) const;
  std::int64_t integer(int row, int column) const;
  // A bytea column asked for in binary.
  std::string bytes(int row, int column) const;
  // Rows an INSERT, UPDATE or DELETE changed.
  std::int64_t changed() const;

private:
  pg_result* result_;
};

// SQLSTATE classes the store reacts to.
bool is_unique_violation(std::string_view sqlstate);

// A connection string for messages, read by libpq's own parser: every password masked, whatever
// the form (URI, keyword/value with or without spaces, quoted); one libpq cannot read is not shown.
std::string mask_url(std::string_view url);
// A libpq message about `url` with its password masked, should libpq have quoted it.
std::string mask_message(std::string message, std::string_view url);
// `url` with target_session_attrs=`attrs` added, unless it says one itself (then as written):
// read-write for a command that writes (the primary, whatever the order of its hosts),
// prefer-standby for one that only reads, where `url` names more than one server (among one it
// would only cost a second connection to a primary).
std::string with_session_attrs(const std::string& url, std::string_view attrs);

// What a failover looks like from the client: the connection lost, the server shutting down
// (57P01-57P03), a connection exception (class 08), or a server become read-only (25006).
bool is_failover(std::string_view sqlstate);
// The message of a command that failover interrupted before it committed.
inline constexpr std::string_view failover_message =
    "the database failed over during the command; nothing was changed: run it again";
// The same for a command of several transactions (a sweep settling each carrier call) after one
// of them committed: those stay, and a rerun finishes the work without repeating it.
inline constexpr std::string_view failover_after_commits_message =
    "the database failed over during the command; the step under way was rolled back, the steps "
    "committed before it stay: run it again to finish";

class Connection {
public:
  // Connects with a libpq URL or keyword string; a failure raises a database error that names
  // the server and never the password.
  explicit Connection(const std::string& url);
  // Drops the connection and connects again with the same string (after a failover: libpq finds
  // the host that answers it now).
  void reconnect();
  // Whether the connection is gone (the server stopped, the network, a failover).
  bool lost() const;
  // "primary" or "standby" (pg_is_in_recovery()), asked of the server.
  std::string role();
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  Result exec(const std::string& sql, const Params& params = {});
  // The same, but a statement that fails with `sqlstate` answers nullopt instead of raising (a
  // unique violation that means "there already").
  std::optional<Result> exec_unless(const std::string& sql, const Params& params, std::string_view sqlstate);
  // Several statements without parameters (a migration).
  void script(const std::string& sql);
  // Rows streamed one at a time (single-row mode): memory stays flat over a million rows.
  void stream(const std::string& sql, const Params& params, const std::function<void(const Result&)>& row);
  // COPY ... FROM STDIN: `write` is called with a function that sends a chunk.
  std::int64_t copy_in(const std::string& sql, const std::function<void(const std::function<void(std::string_view)>&)>& write);
  // "user@host:port/db" for messages: never the password.
  const std::string& describe() const { return describe_; }
  // A transaction of this command committed (a failover afterwards does not undo it).
  void committed() { ++commits_; }
  // Called before each statement is sent: the store writes what it has deferred first.
  void before_statements(std::function<void()> hook) { before_ = std::move(hook); }

 private:
  struct Prepared;
  [[noreturn]] void raise(pg_result* result, const std::string& sql);
  // Whether an error means the server is gone (or read-only now): a failover, not a refusal.
  bool gone(std::string_view sqlstate, std::string_view message) const;
  void connect();

  std::string url_;
  pg_conn* conn_ = nullptr;
  std::string describe_;
  bool lost_ = false;
  int commits_ = 0;
  std::function<void()> before_;
};

// Appends one field of COPY's text format: backslash, tab, newline and carriage return escaped.
void copy_field(std::string& out, std::string_view value);

}  // namespace numctl::pg
