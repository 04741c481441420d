#include "store/postgres/pg_migrations.h"

#include <array>
#include <string>

#include "store/sql/migration_steps.h"

namespace stratus::store::postgres {

namespace {

// The same tables as the SQLite schema, in PostgreSQL's types: timestamps are Unix
// milliseconds (BIGINT), flags BOOLEAN, the environment JSONB. ON DELETE CASCADE keeps
// children consistent with their parents (deleteUser relies on it). Columns the store
// sorts by use the "C" collation, so order is byte order, as on SQLite, whatever locale
// the database was created with.
constexpr const char* kInitialSchema = R"sql(
CREATE TABLE users (
  id                TEXT    NOT NULL PRIMARY KEY,
  email             TEXT    NOT NULL UNIQUE,
  name              TEXT    NOT NULL,
  password_hash     TEXT,
  email_verified_at BIGINT,
  created_at        BIGINT  NOT NULL
);

CREATE TABLE accounts (
  provider            TEXT   NOT NULL,
  provider_account_id TEXT   NOT NULL,
  user_id             TEXT   NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at          BIGINT NOT NULL,
  PRIMARY KEY (provider, provider_account_id)
);
CREATE INDEX accounts_by_user ON accounts(user_id);

CREATE TABLE sessions (
  id_hash    TEXT   NOT NULL PRIMARY KEY,
  user_id    TEXT   NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  last_seen  BIGINT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions(user_id);
CREATE INDEX sessions_by_expiry ON sessions(expires_at);

CREATE TABLE tokens (
  hash       TEXT   NOT NULL PRIMARY KEY,
  user_id    TEXT   NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind       TEXT   NOT NULL CHECK (kind IN ('verify', 'reset')),
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at    BIGINT
);
CREATE INDEX tokens_by_user ON tokens(user_id);

CREATE TABLE api_keys (
  id           TEXT   COLLATE "C" NOT NULL PRIMARY KEY,
  user_id      TEXT   NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name         TEXT   NOT NULL,
  hash         TEXT   NOT NULL UNIQUE,
  prefix       TEXT   NOT NULL,
  created_at   BIGINT NOT NULL,
  last_used_at BIGINT,
  revoked_at   BIGINT
);
CREATE INDEX api_keys_by_user ON api_keys(user_id);

CREATE TABLE functions (
  id                TEXT    NOT NULL PRIMARY KEY,
  user_id           TEXT    NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name              TEXT    COLLATE "C" NOT NULL,
  description       TEXT    NOT NULL,
  runtime           TEXT    NOT NULL,
  handler           TEXT    NOT NULL,
  mode              TEXT    NOT NULL,
  executor          TEXT    NOT NULL,
  timeout_s         INTEGER NOT NULL,
  memory_mb         INTEGER NOT NULL,
  env               JSONB   NOT NULL DEFAULT '{}',
  is_public         BOOLEAN NOT NULL DEFAULT FALSE,
  concurrency_limit INTEGER,
  current_version   INTEGER NOT NULL,
  created_at        BIGINT  NOT NULL,
  updated_at        BIGINT  NOT NULL,
  UNIQUE (user_id, name)
);

CREATE TABLE function_versions (
  function_id TEXT    NOT NULL REFERENCES functions(id) ON DELETE CASCADE,
  version     INTEGER NOT NULL,
  code_sha256 TEXT    NOT NULL,
  code_size   BIGINT  NOT NULL,
  blob_key    TEXT    COLLATE "C" NOT NULL,
  created_at  BIGINT  NOT NULL,
  PRIMARY KEY (function_id, version)
);
CREATE INDEX function_versions_by_blob ON function_versions(blob_key);

CREATE TABLE invocations (
  id          TEXT    NOT NULL PRIMARY KEY,
  function_id TEXT    NOT NULL REFERENCES functions(id) ON DELETE CASCADE,
  version     INTEGER NOT NULL,
  executor    TEXT    NOT NULL,
  started_at  BIGINT  NOT NULL,
  duration_ms BIGINT  NOT NULL,
  status      TEXT    NOT NULL,
  exit_code   INTEGER NOT NULL,
  timed_out   BOOLEAN NOT NULL,
  cold_start  BOOLEAN NOT NULL,
  memory_used BIGINT  NOT NULL,
  error       TEXT    NOT NULL,
  log_excerpt TEXT    NOT NULL
);
CREATE INDEX invocations_by_function ON invocations(function_id, started_at DESC);
)sql";

// Schema 2 on SQLite marks accounts made before verification was required as verified.
// A PostgreSQL database starts at this code, after that change, but the step stays so
// both backends count schema versions the same way.
constexpr const char* kVerifyExistingAccounts = R"sql(
UPDATE users SET email_verified_at = created_at WHERE email_verified_at IS NULL;
)sql";

// Schema 3, as on SQLite: prewarmed instances per function and the runtime's initialisation
// time of a cold start. BIGINT for the duration, like duration_ms.
constexpr const char* kEngineFields = R"sql(
ALTER TABLE functions ADD COLUMN prewarm INTEGER NOT NULL DEFAULT 0;
ALTER TABLE invocations ADD COLUMN init_duration_ms BIGINT NOT NULL DEFAULT 0;
)sql";

// Schema 4, as on SQLite: API keys' secrets sealed with the server's secret, for SigV4.
constexpr const char* kApiKeySecrets = R"sql(
ALTER TABLE api_keys ADD COLUMN sealed_secret TEXT;
)sql";

// Schema 5, as on SQLite: published versions, aliases and function URLs. Names the store
// sorts by use the "C" collation, as elsewhere.
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
  env          JSONB   NOT NULL DEFAULT '{}',
  created_at   BIGINT  NOT NULL,
  PRIMARY KEY (function_id, version),
  FOREIGN KEY (function_id, code_version) REFERENCES function_versions(function_id, version)
);

CREATE TABLE aliases (
  function_id           TEXT    NOT NULL REFERENCES functions(id) ON DELETE CASCADE,
  name                  TEXT    COLLATE "C" NOT NULL,
  function_version      TEXT    NOT NULL,
  description           TEXT    NOT NULL,
  additional_version    TEXT,
  additional_weight_ppm INTEGER NOT NULL DEFAULT 0,
  revision_id           TEXT    NOT NULL,
  created_at            BIGINT  NOT NULL,
  updated_at            BIGINT  NOT NULL,
  PRIMARY KEY (function_id, name)
);

CREATE TABLE function_urls (
  id          TEXT    NOT NULL PRIMARY KEY,
  function_id TEXT    NOT NULL REFERENCES functions(id) ON DELETE CASCADE,
  user_id     TEXT    NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  qualifier   TEXT    NOT NULL,
  auth_type   TEXT    NOT NULL CHECK (auth_type IN ('NONE', 'AWS_IAM')),
  cors        TEXT    NOT NULL,
  created_at  BIGINT  NOT NULL,
  updated_at  BIGINT  NOT NULL,
  UNIQUE (function_id, qualifier)
);
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
  applied_at BIGINT  NOT NULL
);
)sql";

// Any fixed number works as long as every Stratus node uses the same one; this is the
// first eight bytes of SHA-256("stratus schema migrations"), read as a signed integer.
constexpr const char* kTakeMigrationLock = "SELECT pg_advisory_xact_lock(5784896822301750775)";

Result<int> readVersion(PgConnection& connection) {
  auto statement = connection.prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  if (!statement) return std::unexpected(std::move(statement.error()));
  auto row = statement->step();
  if (!row) return std::unexpected(std::move(row.error()));
  return statement->integer(0);
}

}  // namespace

std::span<const char* const> migrations() { return kMigrations; }

Result<int> schemaVersion(PgConnection& connection) {
  auto exists = connection.prepare("SELECT to_regclass('schema_migrations') IS NOT NULL");
  if (!exists) return propagate(std::move(exists.error()), "read schema version");
  auto row = exists->step();
  if (!row) return propagate(std::move(row.error()), "read schema version");
  if (!exists->boolean(0)) return 0;
  auto version = readVersion(connection);
  if (!version) return propagate(std::move(version.error()), "read schema version");
  return version;
}

Result<int> applyMigrations(PgConnection& connection, std::span<const char* const> all,
                            int64_t now) {
  auto transaction = PgTransaction::begin(connection);
  if (!transaction) return propagate(std::move(transaction.error()), "migrate schema");
  for (const char* step : {kTakeMigrationLock, kCreateMigrationsTable}) {
    if (auto done = connection.execute(step); !done) {
      return propagate(std::move(done.error()), "migrate schema");
    }
  }
  auto current = readVersion(connection);
  if (!current) return propagate(std::move(current.error()), "migrate schema");
  auto applied = sql::applyPendingSteps(connection, all, *current, now);
  if (!applied) return applied;
  if (auto committed = transaction->commit(); !committed) {
    return propagate(std::move(committed.error()), "migrate schema");
  }
  return applied;
}

}  // namespace stratus::store::postgres
