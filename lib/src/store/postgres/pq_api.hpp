// libpq's functions as numctl reaches them: looked up in libpq.so.5 on first use (dlopen), so
// that SQLite users never load it. Shared by pq.cpp (connections, statements) and pq_urls.cpp
// (connection strings).
#pragma once

#include "util/dynamic.hpp"

#include <libpq-fe.h>

namespace numctl::pg {

// Every libpq function numctl calls, named once: the table's slot and the symbol looked up.
// clang-format off
#define NUMCTL_LIBPQ_FUNCTIONS(X)               \
  X(connectdb, PQconnectdb)                     \
  X(status, PQstatus)                           \
  X(error_message, PQerrorMessage)              \
  X(finish, PQfinish)                           \
  X(exec_params, PQexecParams)                  \
  X(exec, PQexec)                               \
  X(result_status, PQresultStatus)              \
  X(result_error_field, PQresultErrorField)     \
  X(result_error_message, PQresultErrorMessage) \
  X(clear, PQclear)                             \
  X(ntuples, PQntuples)                         \
  X(getisnull, PQgetisnull)                     \
  X(getvalue, PQgetvalue)                       \
  X(getlength, PQgetlength)                     \
  X(ftype, PQftype)                             \
  X(nfields, PQnfields)                         \
  X(cmd_tuples, PQcmdTuples)                    \
  X(send_query_params, PQsendQueryParams)       \
  X(set_single_row_mode, PQsetSingleRowMode)    \
  X(get_result, PQgetResult)                    \
  X(put_copy_data, PQputCopyData)               \
  X(put_copy_end, PQputCopyEnd)                 \
  X(db, PQdb)                                   \
  X(user, PQuser)                               \
  X(host, PQhost)                               \
  X(port, PQport)                               \
  X(set_notice_processor, PQsetNoticeProcessor) \
  X(conninfo_parse, PQconninfoParse)            \
  X(conninfo_free, PQconninfoFree)              \
  X(freemem, PQfreemem)
// clang-format on

struct Pq {
  NUMCTL_DYNAMIC_SLOTS(NUMCTL_LIBPQ_FUNCTIONS)
};

// The table, loaded once; a database error naming the package when libpq is missing.
const Pq& pq();

}  // namespace numctl::pg
