// SqlMetadataStore: users, sessions and API keys. Part of sql_store_impl.h.
#pragma once

#include "store/sql/query.h"
#include "store/sql/rows.h"
#include "store/sql/sql_store.h"

namespace stratus::store::sql {

inline constexpr NotFound kUserNotFound{"user_not_found", "no such user"};
inline constexpr NotFound kSessionNotFound{"session_not_found", "no such session"};
inline constexpr NotFound kApiKeyNotFound{"api_key_not_found", "no such API key"};
inline constexpr const char* kApiKeyColumns =
    "SELECT id, user_id, name, hash, prefix, created_at, last_used_at, revoked_at, sealed_secret "
    "FROM api_keys ";

// ---- Users

template <class Pool>
Status SqlMetadataStore<Pool>::createUser(const User& user) {
  return within("create user", pool_->write([&](auto& db) {
    return ignoreCount(
        change(db,
               "INSERT INTO users (id, email, name, password_hash, email_verified_at, created_at) "
               "VALUES (?, ?, ?, ?, ?, ?)",
               {"email_taken", "an account with this email already exists"}, user.id, user.email,
               user.name, user.passwordHash, user.emailVerifiedAt, user.createdAt));
  }));
}

template <class Pool>
Result<User> SqlMetadataStore<Pool>::userById(const std::string& id) {
  return within("find user by id", pool_->read([&](auto& db) {
    return queryOne(db,
                    "SELECT id, email, name, password_hash, email_verified_at, created_at "
                    "FROM users WHERE id = ?",
                    userFromRow, kUserNotFound, id);
  }));
}

template <class Pool>
Result<User> SqlMetadataStore<Pool>::userByEmail(const std::string& email) {
  return within("find user by email", pool_->read([&](auto& db) {
    return queryOne(db,
                    "SELECT id, email, name, password_hash, email_verified_at, created_at "
                    "FROM users WHERE email = ?",
                    userFromRow, kUserNotFound, email);
  }));
}

// ---- Sessions

template <class Pool>
Status SqlMetadataStore<Pool>::createSession(const Session& session) {
  return within("create session", pool_->write([&](auto& db) {
    return ignoreCount(change(db,
                              "INSERT INTO sessions (id_hash, user_id, created_at, expires_at, "
                              "last_seen) VALUES (?, ?, ?, ?, ?)",
                              {}, session.idHash, session.userId, session.createdAt,
                              session.expiresAt, session.lastSeen));
  }));
}

template <class Pool>
Result<Session> SqlMetadataStore<Pool>::sessionByHash(const std::string& idHash) {
  return within("find session", pool_->read([&](auto& db) {
    return queryOne(db,
                    "SELECT id_hash, user_id, created_at, expires_at, last_seen "
                    "FROM sessions WHERE id_hash = ?",
                    sessionFromRow, kSessionNotFound, idHash);
  }));
}

template <class Pool>
Status SqlMetadataStore<Pool>::touchSession(const std::string& idHash, int64_t now) {
  return within("touch session", pool_->write([&](auto& db) {
    return expectChanged(
        change(db, "UPDATE sessions SET last_seen = ? WHERE id_hash = ?", {}, now, idHash),
        kSessionNotFound);
  }));
}

// Deleting an absent session succeeds: signing out twice, or after expiry, is not an error.
template <class Pool>
Status SqlMetadataStore<Pool>::deleteSession(const std::string& idHash) {
  return within("delete session", pool_->write([&](auto& db) {
    return ignoreCount(change(db, "DELETE FROM sessions WHERE id_hash = ?", {}, idHash));
  }));
}

template <class Pool>
Status SqlMetadataStore<Pool>::deleteUserSessions(const std::string& userId) {
  return within("delete user sessions", pool_->write([&](auto& db) {
    return ignoreCount(change(db, "DELETE FROM sessions WHERE user_id = ?", {}, userId));
  }));
}

// ---- API keys

template <class Pool>
Status SqlMetadataStore<Pool>::createApiKey(const ApiKey& key) {
  return within("create API key", pool_->write([&](auto& db) {
    return ignoreCount(change(db,
                              "INSERT INTO api_keys (id, user_id, name, hash, prefix, created_at, "
                              "last_used_at, revoked_at, sealed_secret) "
                              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                              {}, key.id, key.userId, key.name, key.hash, key.prefix, key.createdAt,
                              key.lastUsedAt, key.revokedAt, key.sealedSecret));
  }));
}

// A revoked key is not found: authentication cannot accept one by forgetting to look at
// revokedAt. Listings still show revoked keys.
template <class Pool>
Result<ApiKey> SqlMetadataStore<Pool>::apiKeyByHash(const std::string& hash) {
  return within("find API key", pool_->read([&](auto& db) {
    return queryOne(db,
                    std::string(kApiKeyColumns) + "WHERE hash = ? AND revoked_at IS NULL",
                    apiKeyFromRow, kApiKeyNotFound, hash);
  }));
}

template <class Pool>
Result<ApiKey> SqlMetadataStore<Pool>::apiKeyById(const std::string& id) {
  return within("find API key by id", pool_->read([&](auto& db) {
    return queryOne(db, std::string(kApiKeyColumns) + "WHERE id = ? AND revoked_at IS NULL",
                    apiKeyFromRow, kApiKeyNotFound, id);
  }));
}

template <class Pool>
Result<std::vector<ApiKey>> SqlMetadataStore<Pool>::listApiKeys(const std::string& userId) {
  return within("list API keys", pool_->read([&](auto& db) {
    return queryAll(db,
                    std::string(kApiKeyColumns) + "WHERE user_id = ? ORDER BY created_at, id",
                    apiKeyFromRow, userId);
  }));
}

template <class Pool>
Status SqlMetadataStore<Pool>::revokeApiKey(const std::string& userId, const std::string& keyId,
                                            int64_t now) {
  return within("revoke API key", pool_->write([&](auto& db) {
    return expectChanged(change(db,
                                "UPDATE api_keys SET revoked_at = ? "
                                "WHERE id = ? AND user_id = ? AND revoked_at IS NULL",
                                {}, now, keyId, userId),
                         kApiKeyNotFound);
  }));
}

template <class Pool>
Status SqlMetadataStore<Pool>::touchApiKey(const std::string& keyId, int64_t now) {
  return within("touch API key", pool_->write([&](auto& db) {
    return expectChanged(
        change(db, "UPDATE api_keys SET last_used_at = ? WHERE id = ?", {}, now, keyId),
        kApiKeyNotFound);
  }));
}

}  // namespace stratus::store::sql
