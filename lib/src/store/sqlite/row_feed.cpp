// The virtual table of row_feed.hpp: a forward scan over a vector, values handed to SQLite
// without copies (they live until the statement ends).
#include "row_feed.hpp"
#include "../new_rows.hpp"

#include <string>

namespace numctl::row_feed {
namespace {

struct Table : sqlite3_vtab {
  Source* source = nullptr;
};

struct Cursor : sqlite3_vtab_cursor {
  std::size_t at = 0;
};

const std::vector<const NewNumber*>& rows_of(sqlite3_vtab_cursor* cursor) {
  static const std::vector<const NewNumber*> none;
  auto* source = static_cast<Table*>(cursor->pVtab)->source;
  return source->rows ? *source->rows : none;
}

void text(sqlite3_context* ctx, const std::string& value) {
  sqlite3_result_text(ctx, value.data(), static_cast<int>(value.size()), SQLITE_STATIC);
}

void text(sqlite3_context* ctx, std::string_view value) {
  sqlite3_result_text(ctx, value.data(), static_cast<int>(value.size()), SQLITE_STATIC);
}

// An empty view: no value.
void text_or_null(sqlite3_context* ctx, std::string_view value) {
  if (value.empty()) sqlite3_result_null(ctx);
  else text(ctx, value);
}

void integer(sqlite3_context* ctx, const std::optional<std::int64_t>& value) {
  if (value) sqlite3_result_int64(ctx, *value);
  else sqlite3_result_null(ctx);
}

int connect(sqlite3* db, void* aux, int, const char* const*, sqlite3_vtab** out, char**) {
  int rc = sqlite3_declare_vtab(db, (std::string("CREATE TABLE x(") + columns + ")").c_str());
  if (rc != SQLITE_OK) return rc;
  // Only numctl's own statements may read it: never a trigger or a view in a database file.
  sqlite3_vtab_config(db, SQLITE_VTAB_DIRECTONLY);
  auto* table = new Table();
  table->source = static_cast<Source*>(aux);
  *out = table;
  return SQLITE_OK;
}

int disconnect(sqlite3_vtab* table) {
  delete static_cast<Table*>(table);
  return SQLITE_OK;
}

int best_index(sqlite3_vtab*, sqlite3_index_info* info) {
  // One plan: a scan in row order, which is also rowid order.
  if (info->nOrderBy == 1 && info->aOrderBy[0].iColumn == -1 && !info->aOrderBy[0].desc) info->orderByConsumed = 1;
  info->estimatedCost = 1e6;
  return SQLITE_OK;
}

int open(sqlite3_vtab*, sqlite3_vtab_cursor** out) {
  *out = new Cursor();
  return SQLITE_OK;
}

int close(sqlite3_vtab_cursor* cursor) {
  delete static_cast<Cursor*>(cursor);
  return SQLITE_OK;
}

int filter(sqlite3_vtab_cursor* cursor, int, const char*, int, sqlite3_value**) {
  static_cast<Cursor*>(cursor)->at = 0;
  return SQLITE_OK;
}

int next(sqlite3_vtab_cursor* cursor) {
  auto& at = static_cast<Cursor*>(cursor)->at;
  ++at;
  store::prefetch_ahead(rows_of(cursor), at);
  auto* source = static_cast<Table*>(cursor->pVtab)->source;
  if (source->progress && *source->progress && at % 4096 == 0) (*source->progress)(at);
  return SQLITE_OK;
}

int eof(sqlite3_vtab_cursor* cursor) { return static_cast<Cursor*>(cursor)->at >= rows_of(cursor).size(); }

int column(sqlite3_vtab_cursor* cursor, sqlite3_context* ctx, int i) {
  const auto& r = *rows_of(cursor)[static_cast<Cursor*>(cursor)->at];
  auto status = [&](const std::optional<Status>& s) {
    if (s) text(ctx, to_string(*s));
    else sqlite3_result_null(ctx);
  };
  switch (i) {
    case 0: text(ctx, r.e164); break;
    case 1: text(ctx, r.display); break;
    case 2: text(ctx, r.national_digits); break;
    case 3: text(ctx, r.country); break;
    case 4: text(ctx, to_string(r.type)); break;
    case 5: text(ctx, to_string(r.status)); break;
    case 6: status(r.previous_status); break;
    case 7: integer(ctx, r.team_id); break;
    case 8: integer(ctx, r.member_id); break;
    case 9: text_or_null(ctx, r.label); break;
    case 10: text_or_null(ctx, r.bought_at); break;
    case 11: text_or_null(ctx, r.activated_at); break;
    case 12: text_or_null(ctx, r.cancel_requested_at); break;
    case 13: text_or_null(ctx, r.release_at); break;
    case 14: text_or_null(ctx, r.expires_at); break;
    case 15: text(ctx, r.audit_details); break;
    case 16: text_or_null(ctx, r.risk_reason); break;
    case 17: text_or_null(ctx, r.replaced_by); break;
    case 18: text_or_null(ctx, r.replaces); break;
    case 19: text_or_null(ctx, r.provider); break;
    case 20: text_or_null(ctx, r.provider_ref); break;
    case 21: text_or_null(ctx, r.currency); break;
    case 22: integer(ctx, r.monthly_price); break;
    default: sqlite3_result_null(ctx);
  }
  return SQLITE_OK;
}

int rowid(sqlite3_vtab_cursor* cursor, sqlite3_int64* out) {
  *out = static_cast<sqlite3_int64>(static_cast<Cursor*>(cursor)->at) + 1;
  return SQLITE_OK;
}

sqlite3_module make_module() {
  sqlite3_module m{};
  m.iVersion = 0;
  m.xCreate = nullptr;  // eponymous only: it exists on every connection it is registered on
  m.xConnect = connect;
  m.xBestIndex = best_index;
  m.xDisconnect = disconnect;
  m.xDestroy = disconnect;
  m.xOpen = open;
  m.xClose = close;
  m.xFilter = filter;
  m.xNext = next;
  m.xEof = eof;
  m.xColumn = column;
  m.xRowid = rowid;
  return m;
}

}  // namespace

void register_on(sqlite3* db, Source* source) {
  static const sqlite3_module module = make_module();
  sqlite3_create_module_v2(db, "numctl_new_numbers", &module, source, nullptr);
}

}  // namespace numctl::row_feed
