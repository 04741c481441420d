// Opening the database, and the account tables: users, sessions, API keys.
// Functions, versions and invocations are in sqlite_functions.cc.
#include "store/sqlite/sqlite_store.h"

#include <fcntl.h>

#include <cerrno>
#include <system_error>

#include "common/clock.h"
#include "common/log.h"
#include "common/unique_fd.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/query.h"

namespace stratus::store::sqlite {

namespace {

constexpr NotFound kUserNotFound{"user_not_found", "no such user"};
constexpr NotFound kSessionNotFound{"session_not_found", "no such session"};
constexpr NotFound kApiKeyNotFound{"api_key_not_found", "no such API key"};

Result<User> userFromRow(const Statement& row) {
  return User{
      .id = row.text(0),
      .email = row.text(1),
      .name = row.text(2),
      .passwordHash = row.optionalText(3),
      .emailVerifiedAt = row.optionalInt64(4),
      .createdAt = row.int64(5),
  };
}

Result<Session> sessionFromRow(const Statement& row) {
  return Session{
      .idHash = row.text(0),
      .userId = row.text(1),
      .createdAt = row.int64(2),
      .expiresAt = row.int64(3),
      .lastSeen = row.int64(4),
  };
}

Result<ApiKey> apiKeyFromRow(const Statement& row) {
  return ApiKey{
      .id = row.text(0),
      .userId = row.text(1),
      .name = row.text(2),
      .hash = row.text(3),
      .prefix = row.text(4),
      .createdAt = row.int64(5),
      .lastUsedAt = row.optionalInt64(6),
      .revokedAt = row.optionalInt64(7),
  };
}

}  // namespace

// ---- Users

Status SqliteMetadataStore::createUser(const User& user) {
  return within("create user", pool_->write([&](Connection& db) {
    return ignoreCount(
        change(db,
               "INSERT INTO users (id, email, name, password_hash, email_verified_at, created_at) "
               "VALUES (?, ?, ?, ?, ?, ?)",
               {"email_taken", "an account with this email already exists"}, user.id, user.email,
               user.name, user.passwordHash, user.emailVerifiedAt, user.createdAt));
  }));
}

Result<User> SqliteMetadataStore::userById(const std::string& id) {
  return within("find user by id", pool_->read([&](Connection& db) {
    return queryOne(db,
                    "SELECT id, email, name, password_hash, email_verified_at, created_at "
                    "FROM users WHERE id = ?",
                    userFromRow, kUserNotFound, id);
  }));
}

Result<User> SqliteMetadataStore::userByEmail(const std::string& email) {
  return within("find user by email", pool_->read([&](Connection& db) {
    return queryOne(db,
                    "SELECT id, email, name, password_hash, email_verified_at, created_at "
                    "FROM users WHERE email = ?",
                    userFromRow, kUserNotFound, email);
  }));
}

// ---- Sessions

Status SqliteMetadataStore::createSession(const Session& session) {
  return within("create session", pool_->write([&](Connection& db) {
    return ignoreCount(change(db,
                              "INSERT INTO sessions (id_hash, user_id, created_at, expires_at, "
                              "last_seen) VALUES (?, ?, ?, ?, ?)",
                              {}, session.idHash, session.userId, session.createdAt,
                              session.expiresAt, session.lastSeen));
  }));
}

Result<Session> SqliteMetadataStore::sessionByHash(const std::string& idHash) {
  return within("find session", pool_->read([&](Connection& db) {
    return queryOne(db,
                    "SELECT id_hash, user_id, created_at, expires_at, last_seen "
                    "FROM sessions WHERE id_hash = ?",
                    sessionFromRow, kSessionNotFound, idHash);
  }));
}

Status SqliteMetadataStore::touchSession(const std::string& idHash, int64_t now) {
  return within("touch session", pool_->write([&](Connection& db) {
    return expectChanged(
        change(db, "UPDATE sessions SET last_seen = ? WHERE id_hash = ?", {}, now, idHash),
        kSessionNotFound);
  }));
}

// Deleting an absent session succeeds: signing out twice, or after expiry, is not an error.
Status SqliteMetadataStore::deleteSession(const std::string& idHash) {
  return within("delete session", pool_->write([&](Connection& db) {
    return ignoreCount(change(db, "DELETE FROM sessions WHERE id_hash = ?", {}, idHash));
  }));
}

Status SqliteMetadataStore::deleteUserSessions(const std::string& userId) {
  return within("delete user sessions", pool_->write([&](Connection& db) {
    return ignoreCount(change(db, "DELETE FROM sessions WHERE user_id = ?", {}, userId));
  }));
}

// ---- API keys

Status SqliteMetadataStore::createApiKey(const ApiKey& key) {
  return within("create API key", pool_->write([&](Connection& db) {
    return ignoreCount(change(db,
                              "INSERT INTO api_keys (id, user_id, name, hash, prefix, created_at, "
                              "last_used_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                              {}, key.id, key.userId, key.name, key.hash, key.prefix, key.createdAt,
                              key.lastUsedAt, key.revokedAt));
  }));
}

// A revoked key is not found: authentication cannot accept one by forgetting to look at
// revokedAt. Listings still show revoked keys.
Result<ApiKey> SqliteMetadataStore::apiKeyByHash(const std::string& hash) {
  return within("find API key", pool_->read([&](Connection& db) {
    return queryOne(db,
                    "SELECT id, user_id, name, hash, prefix, created_at, last_used_at, revoked_at "
                    "FROM api_keys WHERE hash = ? AND revoked_at IS NULL",
                    apiKeyFromRow, kApiKeyNotFound, hash);
  }));
}

Result<std::vector<ApiKey>> SqliteMetadataStore::listApiKeys(const std::string& userId) {
  return within("list API keys", pool_->read([&](Connection& db) {
    return queryAll(db,
                    "SELECT id, user_id, name, hash, prefix, created_at, last_used_at, revoked_at "
                    "FROM api_keys WHERE user_id = ? ORDER BY created_at, id",
                    apiKeyFromRow, userId);
  }));
}

Status SqliteMetadataStore::revokeApiKey(const std::string& userId, const std::string& keyId,
                                         int64_t now) {
  return within("revoke API key", pool_->write([&](Connection& db) {
    return expectChanged(change(db,
                                "UPDATE api_keys SET revoked_at = ? "
                                "WHERE id = ? AND user_id = ? AND revoked_at IS NULL",
                                {}, now, keyId, userId),
                         kApiKeyNotFound);
  }));
}

Status SqliteMetadataStore::touchApiKey(const std::string& keyId, int64_t now) {
  return within("touch API key", pool_->write([&](Connection& db) {
    return expectChanged(
        change(db, "UPDATE api_keys SET last_used_at = ? WHERE id = ?", {}, now, keyId),
        kApiKeyNotFound);
  }));
}

// ---- Opening

namespace {

constexpr const char* kMemory = ":memory:";

// The file holds password and session hashes: create it owner-only before SQLite does
// (SQLite gives its -wal and -shm files the mode of the main file).
Status createPrivateFile(const std::filesystem::path& file) {
  std::error_code ec;
  if (file.has_parent_path()) {
    std::filesystem::create_directories(file.parent_path(), ec);
    if (ec) return sysError("create database folder", ec.value());
  }
  UniqueFd fd(::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (!fd.valid() && errno != EEXIST) return sysError("create database file", errno);
  return {};
}

Status enableWal(Connection& writer) {
  auto statement = writer.prepare("PRAGMA journal_mode = WAL");
  if (!statement) return std::unexpected(std::move(statement.error()));
  auto row = statement->step();
  if (!row) return std::unexpected(std::move(row.error()));
  // Some file systems (network mounts) cannot hold WAL's shared memory; SQLite then keeps
  // the rollback journal. Everything still works, only readers wait for writers.
  if (*row && statement->text(0) != "wal") {
    log::warn("sqlite database is not in WAL mode", {{"journal_mode", statement->text(0)}});
  }
  return {};
}

}  // namespace

Result<MetadataStorePtr> openSqliteStore(const std::filesystem::path& file,
                                         const SqliteOptions& options) {
  if (sqlite3_threadsafe() == 0) {
    return internalError("the SQLite library was built without thread support");
  }
  const bool inMemory = file == kMemory;
  if (!inMemory) {
    if (auto created = createPrivateFile(file); !created) {
      return propagate(std::move(created.error()), "open database " + file.string());
    }
  }

  const ConnectionOptions writerOptions{.busyTimeoutMs = options.busyTimeoutMs};
  auto writer = Connection::open(file.string(), writerOptions);
  if (!writer) return propagate(std::move(writer.error()), "open database " + file.string());
  if (!inMemory) {
    if (auto wal = enableWal(*writer); !wal) {
      return propagate(std::move(wal.error()), "enable WAL");
    }
  }
  auto applied = applyMigrations(*writer, migrations(), nowMs());
  if (!applied) return propagate(std::move(applied.error()), "open database " + file.string());
  if (*applied > 0) {
    log::info("applied database migrations",
              {{"count", *applied}, {"version", static_cast<int>(migrations().size())}});
  }

  // Readers open after the migrations so they never see a half-built schema.
  std::vector<Connection> readers;
  if (!inMemory) {
    const ConnectionOptions readerOptions{.busyTimeoutMs = options.busyTimeoutMs, .readOnly = true};
    for (int i = 0; i < options.readers; ++i) {
      auto reader = Connection::open(file.string(), readerOptions);
      if (!reader) return propagate(std::move(reader.error()), "open reader connection");
      readers.push_back(std::move(*reader));
    }
  }
  return std::make_unique<SqliteMetadataStore>(
      std::make_unique<ConnectionPool>(std::move(*writer), std::move(readers)));
}

}  // namespace stratus::store::sqlite
