// The SQLite engine's reputation readings: storing a feed, reading readings back, and what the
// reputation policy weighs (the fresh readings that may flag a number, the recent ones that may
// clear it, and numbers whose feed stopped).
#include "store_impl.hpp"

namespace numctl::sqlite {
namespace {

constexpr const char* reading_columns = "r.source, r.score, r.risk, r.labels, r.carrier, r.checked_at, r.imported_at";

void read_reading(const SQLite::Statement& row, int first, std::string number, Reading& out) {
  out.number = std::move(number);
  out.source = row.getColumn(first).getString();
  out.score = row.getColumn(first + 1).getInt();
  out.risk = optional_text(row, first + 2);
  out.labels = row.getColumn(first + 3).getString();
  out.carrier = optional_text(row, first + 4);
  out.checked_at = row.getColumn(first + 5).getString();
  out.imported_at = row.getColumn(first + 6).getString();
}

// A number with who changed its risk last, from number_columns followed by risk_set_by and
// risk_changed_at.
RiskSubject read_subject(const SQLite::Statement& row) {
  RiskSubject subject;
  read_record(row, subject.record);
  subject.risk_set_by = optional_text(row, store::number_column_count);
  subject.risk_changed_at = optional_text(row, store::number_column_count + 1);
  return subject;
}

}  // namespace

ReadingsAdded SqliteStore::add_readings(const std::vector<Reading>& readings, const std::vector<std::uint32_t>& order,
                                        const std::string& imported_at) {
  return guarded([&] {
    ReadingsAdded out;
    // Two single-row statements a reading: the number's id through the unique index on e164,
    // then the row (one with VALUES needs no statement journal or scratch table, which an
    // INSERT ... SELECT would open every time). A reading stored already (number, time,
    // source) is left as it is.
    SQLite::Statement id_of(db_, "SELECT id FROM numbers WHERE e164 = ?");
    SQLite::Statement insert(db_,
        "INSERT INTO reputation_readings (number_id, checked_at, source, score, risk, labels, carrier, imported_at)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT DO NOTHING");
    insert.bind(8, imported_at);
    const std::string* last_number = nullptr;
    std::optional<std::int64_t> id;
    for (std::uint32_t i : order) {
      const Reading& r = readings[i];
      if (!last_number || *last_number != r.number) {  // readings of one number come together
        last_number = &r.number;
        id_of.reset();
        id_of.bind(1, r.number);
        id = id_of.executeStep() ? std::optional(id_of.getColumn(0).getInt64()) : std::nullopt;
      }
      if (!id) {
        out.unknown.push_back(i);
        continue;
      }
      insert.reset();
      insert.bind(1, static_cast<int64_t>(*id));
      insert.bind(2, r.checked_at);
      insert.bind(3, r.source);
      insert.bind(4, r.score);
      bind_optional(insert, 5, r.risk);
      insert.bind(6, r.labels);
      bind_optional(insert, 7, r.carrier);
      if (insert.exec() == 1) ++out.added;
      else ++out.known;
    }
    return out;
  });
}

void SqliteStore::for_each_reading(const ReadingQuery& query, const std::function<void(const Reading&)>& visit) {
  guarded([&] {
    std::string sql = std::string("SELECT n.e164, ") + reading_columns +
                      " FROM reputation_readings r JOIN numbers n ON n.id = r.number_id WHERE true";
    if (query.number) sql += " AND n.e164 = :number";
    if (query.since) sql += " AND r.checked_at >= :since";
    sql += " ORDER BY r.checked_at DESC, n.e164, r.source";
    if (query.limit) sql += " LIMIT " + std::to_string(query.limit);
    SQLite::Statement q(db_, sql);
    if (query.number) q.bind(":number", *query.number);
    if (query.since) q.bind(":since", *query.since);
    Reading reading;
    while (q.executeStep()) {
      read_reading(q, 1, q.getColumn(0).getString(), reading);
      visit(reading);
    }
  });
}

std::int64_t SqliteStore::prune_readings(const std::string& before_iso) {
  return guarded([&] {
    SQLite::Statement q(db_, "DELETE FROM reputation_readings WHERE checked_at < ?");
    q.bind(1, before_iso);
    return static_cast<std::int64_t>(q.exec());
  });
}

std::vector<RiskSubject> SqliteStore::risk_to_flag(const std::string& fresh_since, int flag_at) {
  return guarded([&] {
    // The fresh readings at or above the threshold, through the index on time; a reading no
    // newer than the number's last risk change was weighed already (or overruled by a person).
    SQLite::Statement q(db_, std::string("SELECT ") + number_columns + ", n.risk_set_by, n.risk_changed_at, " + reading_columns +
                                 " FROM reputation_readings r JOIN numbers n ON n.id = r.number_id" + number_side_joins +
                                 " WHERE r.checked_at >= ?1 AND r.score >= ?2 AND n.status = 'active'"
                                 " AND (n.risk_changed_at IS NULL OR r.checked_at > n.risk_changed_at)"
                                 " ORDER BY n.e164, r.score DESC, r.checked_at DESC, r.source");
    q.bind(1, fresh_since);
    q.bind(2, flag_at);
    std::vector<RiskSubject> out;
    while (q.executeStep()) {
      std::int64_t id = q.getColumn(0).getInt64();
      if (out.empty() || out.back().record.id != id) out.push_back(read_subject(q));
      out.back().readings.emplace_back();
      read_reading(q, store::number_column_count + 2, out.back().record.e164, out.back().readings.back());
    }
    return out;
  });
}

std::vector<RiskSubject> SqliteStore::risk_to_clear(const std::string& fresh_since, std::size_t recent) {
  return guarded([&] {
    SQLite::Statement numbers(db_,
        std::string("SELECT ") + number_columns + ", n.risk_set_by, n.risk_changed_at" + number_joins +
        " WHERE n.status = 'high_risk' AND n.risk_set_by = 'reputation' ORDER BY n.e164");
    std::vector<RiskSubject> out;
    while (numbers.executeStep()) out.push_back(read_subject(numbers));
    SQLite::Statement readings(db_,
        std::string("SELECT ") + reading_columns +
        " FROM reputation_readings r WHERE r.number_id = ?1 AND r.checked_at >= ?2"
        " AND (?3 IS NULL OR r.checked_at > ?3) ORDER BY r.checked_at DESC, r.source LIMIT ?4");
    for (auto& subject : out) {
      readings.reset();
      readings.bind(1, static_cast<int64_t>(subject.record.id));
      readings.bind(2, fresh_since);
      bind_optional(readings, 3, subject.risk_changed_at);
      readings.bind(4, static_cast<int64_t>(recent));
      while (readings.executeStep()) {
        subject.readings.emplace_back();
        read_reading(readings, 0, subject.record.e164, subject.readings.back());
      }
    }
    return out;
  });
}

void SqliteStore::note_risk_change(std::int64_t number_id, const std::string& by, const std::string& at_iso) {
  guarded([&] {
    auto& q = cached(note_risk_, "UPDATE numbers SET risk_set_by = ?2, risk_changed_at = ?3 WHERE id = ?1");
    q.bind(1, static_cast<int64_t>(number_id));
    q.bind(2, by);
    q.bind(3, at_iso);
    q.exec();
  });
}

std::vector<std::pair<NumberRecord, std::string>> SqliteStore::stale_readings(const std::string& before_iso) {
  return guarded([&] {
    SQLite::Statement q(db_, std::string("SELECT ") + number_columns +
                                 ", x.last"
                                 " FROM (SELECT number_id, max(checked_at) AS last FROM reputation_readings GROUP BY number_id) x"
                                 " JOIN numbers n ON n.id = x.number_id" +
                                 number_side_joins +
                                 " WHERE x.last < ?1 AND n.status IN ('active', 'high_risk') ORDER BY x.last, n.e164");
    q.bind(1, before_iso);
    std::vector<std::pair<NumberRecord, std::string>> out;
    while (q.executeStep()) {
      NumberRecord record;
      read_record(q, record);
      out.emplace_back(std::move(record), q.getColumn(store::number_column_count).getString());
    }
    return out;
  });
}

}  // namespace numctl::sqlite
