#include "store/postgres/pg_connection.h"

#include <poll.h>

#include <charconv>
#include <cstdlib>

namespace stratus::store::postgres {

namespace {

Error unavailableError() {
  return Error{ErrorKind::unavailable, "storage_unavailable", std::string(sql::kUnavailableMessage),
               {}};
}

bool startsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// SQLSTATE classes and codes that mean "try again" rather than "this statement is wrong":
// connection exceptions (08), operator intervention such as a shutdown (57P01..57P03),
// too many connections (53300), and serialization failures and deadlocks (40001, 40P01),
// where PostgreSQL rolled the transaction back and a retry normally succeeds. All answer
// 503 storage_unavailable with Retry-After.
bool meansUnavailable(std::string_view state) {
  return startsWith(state, "08") || state == "57P01" || state == "57P02" || state == "57P03" ||
         state == "53300" || state == "40001" || state == "40P01";
}

// Libpq reports notices (for example "relation already exists, skipping") on stderr by
// default; they are expected and say nothing an operator needs.
void ignoreNotice(void*, const char*) {}

}  // namespace

Error postgresError(PGconn* connection, const PGresult* result, std::string_view step,
                    const UniqueConflict& unique) {
  const char* stateField =
      result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  const std::string_view state = stateField != nullptr ? stateField : "";
  Error error;
  if (state == "23505") {
    const char* constraint = PQresultErrorField(result, PG_DIAG_CONSTRAINT_NAME);
    const std::string_view name = constraint != nullptr ? constraint : "";
    if (name.ends_with("_pkey")) {
      error = Error{ErrorKind::conflict, "conflict", "the record already exists", {}};
    } else {
      error = Error{ErrorKind::conflict, std::string(unique.code), std::string(unique.message), {}};
    }
  } else if (state == "23503") {
    error = Error{ErrorKind::not_found, "not_found", "a referenced record does not exist", {}};
  } else if (state == "22021" || state == "22P05") {
    error = Error{ErrorKind::invalid_argument, "invalid_text",
                  "text must be valid UTF-8 without NUL characters", {}};
  } else if (meansUnavailable(state) || connection == nullptr ||
             PQstatus(connection) == CONNECTION_BAD) {
    error = unavailableError();
  } else {
    error = Error{ErrorKind::internal, "internal", "database error", {}};
  }
  const char* detail = result != nullptr ? PQresultErrorMessage(result) : "";
  if ((detail == nullptr || *detail == '\0') && connection != nullptr) {
    detail = PQerrorMessage(connection);
  }
  if (detail != nullptr && *detail != '\0') error.addContext(detail);
  error.addContext(std::string(step));
  return error;
}

std::string redactUrl(std::string_view url) {
  const auto scheme = url.find("://");
  if (scheme == std::string_view::npos) {
    // The key=value form: "host=h password=secret dbname=d".
    std::string text(url);
    for (auto at = text.find("password="); at != std::string::npos;
         at = text.find("password=", at + 1)) {
      if (at > 0 && text[at - 1] != ' ') continue;
      const auto valueStart = at + 9;
      auto valueEnd = text.find(' ', valueStart);
      if (valueEnd == std::string::npos) valueEnd = text.size();
      text.replace(valueStart, valueEnd - valueStart, "***");
    }
    return text;
  }
  const auto authorityStart = scheme + 3;
  const auto at = url.find('@', authorityStart);
  const auto slash = url.find('/', authorityStart);
  std::string text(url);
  const auto colon = url.find(':', authorityStart);
  if (at != std::string_view::npos && (slash == std::string_view::npos || at < slash) &&
      colon != std::string_view::npos && colon < at) {
    text = std::string(url.substr(0, colon + 1)) + "***" + std::string(url.substr(at));
  }
  // libpq also takes the password as a query parameter: "...?sslmode=require&password=x".
  const auto query = text.find('?');
  if (query == std::string::npos) return text;
  for (auto at = text.find("password=", query); at != std::string::npos;
       at = text.find("password=", at + 1)) {
    if (text[at - 1] != '?' && text[at - 1] != '&') continue;
    const auto valueStart = at + 9;
    auto valueEnd = text.find('&', valueStart);
    if (valueEnd == std::string::npos) valueEnd = text.size();
    text.replace(valueStart, valueEnd - valueStart, "***");
  }
  return text;
}

std::string numberPlaceholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int next = 1;
  char quote = 0;
  for (char c : sql) {
    if (quote != 0) {
      if (c == quote) quote = 0;
      out += c;
    } else if (c == '\'' || c == '"') {
      quote = c;
      out += c;
    } else if (c == '?') {
      out += '$' + std::to_string(next++);
    } else {
      out += c;
    }
  }
  return out;
}

// ---- PgStatement

void PgStatement::add(std::string_view value) {
  // A C-string parameter would silently end at a NUL, storing less than was given;
  // PostgreSQL text cannot hold one anyway, so refuse the statement instead.
  if (value.find('\0') != std::string_view::npos && !bindError_) {
    bindError_ = Error{ErrorKind::invalid_argument, "invalid_text",
                       "text must be valid UTF-8 without NUL characters", {}};
  }
  values_.emplace_back(std::string(value));
}

Result<bool> PgStatement::step(const UniqueConflict& unique) {
  if (row_ >= 0) return ++row_ < rows_;
  if (bindError_) return std::unexpected(*bindError_);
  std::vector<const char*> pointers;
  pointers.reserve(values_.size());
  for (const auto& value : values_) pointers.push_back(value ? value->c_str() : nullptr);
  PGconn* db = connection_->raw();
  result_.reset(PQexecPrepared(db, name_.c_str(), static_cast<int>(pointers.size()),
                               pointers.data(), nullptr, nullptr, 0));
  const ExecStatusType status =
      result_ ? PQresultStatus(result_.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
    return std::unexpected(postgresError(db, result_.get(), "run statement " + name_, unique));
  }
  const char* changed = PQcmdTuples(result_.get());
  connection_->changes_ = (changed != nullptr && *changed != '\0') ? std::atoll(changed) : 0;
  rows_ = PQntuples(result_.get());
  row_ = 0;
  return rows_ > 0;
}

Status PgStatement::run(const UniqueConflict& unique) {
  auto stepped = step(unique);
  if (!stepped) return std::unexpected(std::move(stepped.error()));
  return {};
}

std::string PgStatement::text(int column) const {
  return std::string(PQgetvalue(result_.get(), row_, column),
                     static_cast<std::size_t>(PQgetlength(result_.get(), row_, column)));
}

int64_t PgStatement::int64(int column) const {
  int64_t value = 0;
  const char* text = PQgetvalue(result_.get(), row_, column);
  std::from_chars(text, text + PQgetlength(result_.get(), row_, column), value);
  return value;
}

bool PgStatement::boolean(int column) const {
  return PQgetvalue(result_.get(), row_, column)[0] == 't';
}

bool PgStatement::isNull(int column) const {
  return PQgetisnull(result_.get(), row_, column) != 0;
}

std::optional<int64_t> PgStatement::optionalInt64(int column) const {
  if (isNull(column)) return std::nullopt;
  return int64(column);
}

std::optional<int> PgStatement::optionalInt(int column) const {
  if (isNull(column)) return std::nullopt;
  return integer(column);
}

std::optional<std::string> PgStatement::optionalText(int column) const {
  if (isNull(column)) return std::nullopt;
  return text(column);
}

// ---- PgConnection

Result<std::unique_ptr<PgConnection>> PgConnection::open(const std::string& url,
                                                         int connectTimeoutS) {
  // Checked before connecting because libpq's own message for a malformed URL quotes it,
  // password included; this one does not.
  char* parseError = nullptr;
  PQconninfoOption* parsed = PQconninfoParse(url.c_str(), &parseError);
  PQfreemem(parseError);
  if (parsed == nullptr) {
    return fail(ErrorKind::invalid_argument, "invalid_database_url",
                "the PostgreSQL connection URL is malformed");
  }
  PQconninfoFree(parsed);
  // Defaults come first: the URL, expanded from dbname, overrides them. Keepalives and a
  // TCP user timeout make a database host that vanished from the network fail calls in
  // about half a minute instead of the kernel's many minutes.
  const std::string timeout = std::to_string(connectTimeoutS);
  const char* keywords[] = {"connect_timeout", "keepalives_idle", "keepalives_interval",
                            "keepalives_count", "tcp_user_timeout", "application_name",
                            "dbname", nullptr};
  const char* values[] = {timeout.c_str(), "10", "5", "3", "30000", "stratus", url.c_str(),
                          nullptr};
  ConnectionHandle handle(PQconnectdbParams(keywords, values, 1));
  if (!handle) return std::unexpected(unavailableError().addContext("connect: out of memory"));
  if (PQstatus(handle.get()) != CONNECTION_OK) {
    Error error = unavailableError();
    error.addContext(PQerrorMessage(handle.get()));
    error.addContext("connect to PostgreSQL");
    return std::unexpected(std::move(error));
  }
  PQsetNoticeProcessor(handle.get(), ignoreNotice, nullptr);
  return std::unique_ptr<PgConnection>(new PgConnection(std::move(handle)));
}

Status PgConnection::execute(const char* sql) {
  ResultHandle result(PQexec(handle_.get(), sql));
  const ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    return std::unexpected(postgresError(handle_.get(), result.get(), "execute"));
  }
  return {};
}

Result<PgStatement> PgConnection::prepare(std::string_view sql) {
  auto found = prepared_.find(sql);
  if (found == prepared_.end()) {
    std::string name = "s" + std::to_string(prepared_.size() + 1);
    ResultHandle result(
        PQprepare(handle_.get(), name.c_str(), numberPlaceholders(sql).c_str(), 0, nullptr));
    if (!result || PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
      return std::unexpected(
          postgresError(handle_.get(), result.get(), "prepare " + std::string(sql)));
    }
    found = prepared_.emplace(std::string(sql), std::move(name)).first;
  }
  return PgStatement(*this, found->second);
}

bool PgConnection::healthy() {
  if (PQstatus(handle_.get()) != CONNECTION_OK) return false;
  pollfd descriptor{.fd = PQsocket(handle_.get()), .events = POLLIN, .revents = 0};
  if (descriptor.fd < 0) return false;
  // Nothing may arrive on an idle connection (Stratus never LISTENs): anything readable is
  // the server's "terminating connection" message, end of file or an error, whether the
  // server is restarting, killed the session or timed it out. libpq would only notice
  // when the next query fails, so drop the connection now instead.
  return ::poll(&descriptor, 1, 0) == 0;
}

// ---- PgTransaction

Result<PgTransaction> PgTransaction::begin(PgConnection& connection) {
  if (auto begun = connection.execute("BEGIN"); !begun) {
    return propagate(std::move(begun.error()), "begin transaction");
  }
  return PgTransaction(connection);
}

PgTransaction::~PgTransaction() {
  if (connection_ == nullptr) return;
  // Best effort: if the connection is gone the server has rolled back already, and the
  // pool will not reuse a connection that is not idle.
  ResultHandle result(PQexec(connection_->raw(), "ROLLBACK"));
}

Status PgTransaction::commit() {
  PgConnection* connection = std::exchange(connection_, nullptr);
  ResultHandle result(PQexec(connection->raw(), "COMMIT"));
  const ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK) {
    return std::unexpected(postgresError(connection->raw(), result.get(), "commit transaction"));
  }
  // COMMIT of a transaction that already failed succeeds as a command but answers
  // "ROLLBACK": nothing was written, and the caller must not think otherwise.
  if (std::string_view(PQcmdStatus(result.get())) != "COMMIT") {
    Error error{ErrorKind::internal, "internal", "database error", {}};
    error.addContext("commit transaction: the transaction had failed and was rolled back");
    return std::unexpected(std::move(error));
  }
  return {};
}

}  // namespace stratus::store::postgres
