#include "store/sqlite/migrations.h"

#include <array>
#include <string>

#include "store/sql/migration_steps.h"

namespace stratus::store::sqlite {

namespace {

// STRICT tables make SQLite check column types like every other database would, so a
// bug that stores text in an integer column fails here instead of in the PostgreSQL port.
// Timestamps are Unix milliseconds (INTEGER); booleans are 0/1.
// ON DELETE CASCADE keeps the database consistent even if a caller deletes a parent row
// directly; the store still deletes children explicitly where the interface promises it.
constexpr const char* kInitialSchema = R"sql(
CREATE TABLE users (
  id                TEXT    NOT NULL PRIMARY KEY,
  email             TEXT    NOT NULL UNIQUE,
  name              TEXT    NOT NULL,
  password_hash     TEXT,
  email_verified_at INTEGER,
  created_at        INTEGER NOT NULL
) STRICT;

CREATE TABLE accounts (
  provider            TEXT    NOT NULL,
  provider_account_id TEXT    NOT NULL,
  user_id             TEXT    NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at          INTEGER NOT NULL,
  PRIMARY KEY (provider, provider_account_id)
) STRICT;
CREATE INDEX accounts_by_user ON accounts(user_id);

CREATE TABLE sessions (
  id_hash    TEXT    NOT NULL PRIMARY KEY,
  user_id    TEXT    NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  last_seen  INTEGER NOT NULL
) STRICT;
CREATE INDEX sessions_by_user ON sessions(user_id);
CREATE INDEX sessions_by_expiry ON sessions(expires_at);

CREATE TABLE tokens (
  hash       TEXT    NOT NULL PRIMARY KEY,
  user_id    TEXT    NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind       TEXT    NOT NULL CHECK (kind IN ('verify', 'reset')),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at    INTEGER
) STRICT;
CREATE INDEX tokens_by_user ON tokens(user_id);

CREATE TABLE api_keys (
  id           TEXT    NOT NULL PRIMARY KEY,
  user_id      TEXT    NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name         TEXT    NOT NULL,
  hash         TEXT    NOT NULL UNIQUE,
  prefix       TEXT    NOT NULL,
  created_at   INTEGER NOT NULL,
  last_used_at INTEGER,
  revoked_at   INTEGER
) STRICT;
CREATE INDEX api_keys_by_user ON api_keys(user_id);

CREATE TABLE functions (
  id                TEXT    NOT NULL PRIMARY KEY,
  user_id           TEXT    NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name              TEXT    NOT NULL,
  description       TEXT    NOT NULL,
  runtime           TEXT    NOT NULL,
  handler           TEXT    NOT NULL,
  mode              TEXT    NOT NULL,
  executor          TEXT    NOT NULL,
  timeout_s         INTEGER NOT NULL,
  memory_mb         INTEGER NOT NULL,
  env               TEXT    NOT NULL DEFAULT '{}',
  is_public         INTEGER NOT NULL DEFAULT 0,
  concurrency_limit INTEGER,
  current_version   INTEGER NOT NULL,
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL,
  UNIQUE (user_id, name)
) STRICT;

CREATE TABLE function_versions (
  function_id TEXT    NOT NULL REFERENCES functions(id) ON DELETE CASCADE,
  version     INTEGER NOT NULL,
  code_sha256 TEXT    NOT NULL,
  code_size   INTEGER NOT NULL,
  blob_key    TEXT    NOT NULL,
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (function_id, version)
) STRICT;

CREATE TABLE invocations (
  id          TEXT    NOT NULL PRIMARY KEY,
  function_id TEXT    NOT NULL REFERENCES functions(id) ON DELETE CASCADE,
  version     INTEGER NOT NULL,
  executor    TEXT    NOT NULL,
  started_at  INTEGER NOT NULL,
  duration_ms INTEGER NOT NULL,
  status      TEXT    NOT NULL,
  exit_code   INTEGER NOT NULL,
  timed_out   INTEGER NOT NULL,
  cold_start  INTEGER NOT NULL,
  memory_used INTEGER NOT NULL,
  error       TEXT    NOT NULL,
  log_excerpt TEXT    NOT NULL
) STRICT;
CREATE INDEX invocations_by_function ON invocations(function_id, started_at DESC);
)sql";

// Email verification became required with schema 2. Accounts made before it never had
// the chance to verify, so they count as verified rather than being locked out of their
// own functions by an upgrade.
constexpr const char* kVerifyExistingAccounts = R"sql(
UPDATE users SET email_verified_at = created_at WHERE email_verified_at IS NULL;
)sql";

// Schema 3, for the execution engine: how many instances of a function's current version
// to keep warm, and how long a cold start spent initialising the runtime (0 when warm).
// Existing functions keep nothing warm, and existing records predate the measurement.
constexpr const char* kEngineFields = R"sql(
ALTER TABLE functions ADD COLUMN prewarm INTEGER NOT NULL DEFAULT 0;
ALTER TABLE invocations ADD COLUMN init_duration_ms INTEGER NOT NULL DEFAULT 0;
)sql";

// Schema 4, for AWS Signature Version 4: an API key's secret sealed with the server's
// secret. Keys made before have none (only their digest was ever stored) and cannot sign.
constexpr const char* kApiKeySecrets = R"sql(
ALTER TABLE api_keys ADD COLUMN sealed_secret TEXT;
)sql";

// Schema 5, for the Lambda-compatible API: published versions (snapshots of code and
// settings), aliases with weighted routing, and function URLs. A published version's code
// must be one of the function's code versions.
constexpr const char* kLambdaTables = R"sql(
CREATE TABLE published_versions (
  function_id  TEXT    NOT NULL REFERENCES functions(id) ON DELETE CASCADE,
  version      INTEGER NOT NULL,
  code_version INTEGER NOT NULL,
  description  TEXT    NOT NULL,
  runtime      TEXT    NOT NULL,
  handler      TEXT    NOT NULL,
  timeout_s    INTEGER NOT NULL,
  memory_mb    INTEGER NOT NULL,
  env          TEXT    NOT NULL DEFAULT '{}',
  created_at   INTEGER NOT NULL,
  PRIMARY KEY (function_id, version),
  FOREIGN KEY (function_id, code_version) REFERENCES function_versions(function_id, version)
) STRICT;

CREATE TABLE aliases (
  function_id           TEXT    NOT NULL REFERENCES functions(id) ON DELETE CASCADE,
  name                  TEXT    NOT NULL,
  function_version      TEXT    NOT NULL,
  description           TEXT    NOT NULL,
  additional_version    TEXT,
  additional_weight_ppm INTEGER NOT NULL DEFAULT 0,
  revision_id           TEXT    NOT NULL,
  created_at            INTEGER NOT NULL,
  updated_at            INTEGER NOT NULL,
  PRIMARY KEY (function_id, name)
) STRICT;

CREATE TABLE function_urls (
  id          TEXT    NOT NULL PRIMARY KEY,
  function_id TEXT    NOT NULL REFERENCES functions(id) ON DELETE CASCADE,
  user_id     TEXT    NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  qualifier   TEXT    NOT NULL,
  auth_type   TEXT    NOT NULL CHECK (auth_type IN ('NONE', 'AWS_IAM')),
  cors        TEXT    NOT NULL,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  UNIQUE (function_id, qualifier)
) STRICT;
)sql";

constexpr std::array kMigrations = {
    kInitialSchema,
    kVerifyExistingAccounts,
    kEngineFields,
    kApiKeySecrets,
    kLambdaTables,
};

constexpr const char* kCreateMigrationsTable = R"sql(
CREATE TABLE IF NOT EXISTS schema_migrations (
  version    INTEGER NOT NULL PRIMARY KEY,
  applied_at INTEGER NOT NULL
) STRICT;
)sql";

}  // namespace

std::span<const char* const> migrations() { return kMigrations; }

Result<int> schemaVersion(Connection& connection) {
  if (auto created = connection.execute(kCreateMigrationsTable); !created) {
    return propagate(std::move(created.error()), "create schema_migrations");
  }
  auto statement = connection.prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  if (!statement) return propagate(std::move(statement.error()), "read schema version");
  auto row = statement->step();
  if (!row) return propagate(std::move(row.error()), "read schema version");
  return statement->integer(0);
}

Result<int> applyMigrations(Connection& connection, std::span<const char* const> all, int64_t now) {
  // The transaction also serialises two processes starting on the same new database:
  // the second waits for the first's write lock, then finds nothing left to apply.
  auto transaction = Transaction::begin(connection);
  if (!transaction) return propagate(std::move(transaction.error()), "migrate schema");
  auto current = schemaVersion(connection);
  if (!current) return propagate(std::move(current.error()), "migrate schema");
  auto applied = sql::applyPendingSteps(connection, all, *current, now);
  if (!applied) return applied;
  if (auto committed = transaction->commit(); !committed) {
    return propagate(std::move(committed.error()), "migrate schema");
  }
  return applied;
}

}  // namespace stratus::store::sqlite
