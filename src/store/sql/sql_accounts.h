// SqlMetadataStore: what the account flows add to users — password and verification
// updates, deleting a user with everything it owns, one-time mail tokens, and linked
// sign-in providers. Part of sql_store_impl.h.
#pragma once

#include "store/sql/query.h"
#include "store/sql/rows.h"
#include "store/sql/sql_store.h"
#include "store/sql/sql_users.h"

namespace stratus::store::sql {

// Used, expired, wrong kind or unknown all read the same, so the answer to a guessed or
// replayed link says nothing about which it was.
inline constexpr NotFound kTokenNotFound{"invalid_token", "this link is invalid or has expired"};
inline constexpr NotFound kLinkNotFound{"account_not_linked",
                                        "no account is linked to this identity"};

template <class Pool>
Status SqlMetadataStore<Pool>::setPasswordHash(const std::string& userId,
                                               const std::optional<std::string>& hash) {
  return within("set password", pool_->write([&](auto& db) {
    return expectChanged(
        change(db, "UPDATE users SET password_hash = ? WHERE id = ?", {}, hash, userId),
        kUserNotFound);
  }));
}

template <class Pool>
Status SqlMetadataStore<Pool>::markEmailVerified(const std::string& userId, int64_t at) {
  return within("mark email verified", pool_->write([&](auto& db) {
    return expectChanged(change(db,
                                "UPDATE users SET email_verified_at = "
                                "COALESCE(email_verified_at, ?) WHERE id = ?",
                                {}, at, userId),
                         kUserNotFound);
  }));
}

// Every table that refers to a user does so with ON DELETE CASCADE (and versions and
// invocations cascade from functions), so one DELETE removes the lot atomically.
template <class Pool>
Status SqlMetadataStore<Pool>::deleteUser(const std::string& userId) {
  return within("delete user", pool_->write([&](auto& db) {
    return expectChanged(change(db, "DELETE FROM users WHERE id = ?", {}, userId), kUserNotFound);
  }));
}

template <class Pool>
Status SqlMetadataStore<Pool>::createToken(const OneTimeToken& token) {
  return within("create token", pool_->write([&](auto& db) {
    return parentMustExist(ignoreCount(change(db,
                                              "INSERT INTO tokens (hash, user_id, kind, "
                                              "created_at, expires_at, used_at) "
                                              "VALUES (?, ?, ?, ?, ?, ?)",
                                              {}, token.hash, token.userId, token.kind,
                                              token.createdAt, token.expiresAt, token.usedAt)),
                           kUserNotFound);
  }));
}

// The conditional UPDATE is the claim: of two racing requests, the second's UPDATE finds
// used_at already set (PostgreSQL makes it wait for the first to commit, then re-checks
// the row; SQLite runs one writer at a time), changes nothing and gets not_found.
template <class Pool>
Result<OneTimeToken> SqlMetadataStore<Pool>::consumeToken(const std::string& hash,
                                                          const std::string& kind, int64_t now) {
  return within("consume token", pool_->write([&](auto& db) -> Result<OneTimeToken> {
    auto transaction = Pool::Transaction::begin(db);
    if (!transaction) return std::unexpected(std::move(transaction.error()));
    auto claimed = expectChanged(change(db,
                                        "UPDATE tokens SET used_at = ? WHERE hash = ? AND "
                                        "kind = ? AND used_at IS NULL AND expires_at > ?",
                                        {}, now, hash, kind, now),
                                 kTokenNotFound);
    if (!claimed) return std::unexpected(std::move(claimed.error()));
    auto token = queryOne(db,
                          "SELECT hash, user_id, kind, created_at, expires_at, used_at FROM tokens "
                          "WHERE hash = ?",
                          tokenFromRow, kTokenNotFound, hash);
    if (!token) return token;
    if (auto committed = transaction->commit(); !committed) {
      return std::unexpected(std::move(committed.error()));
    }
    return token;
  }));
}

template <class Pool>
Status SqlMetadataStore<Pool>::deleteTokens(const std::string& userId, const std::string& kind) {
  return within("delete tokens", pool_->write([&](auto& db) {
    return ignoreCount(change(db,
                              "DELETE FROM tokens WHERE user_id = ? AND kind = ? AND "
                              "used_at IS NULL",
                              {}, userId, kind));
  }));
}

template <class Pool>
Status SqlMetadataStore<Pool>::linkAccount(const LinkedAccount& account) {
  return within("link account", pool_->write([&](auto& db) {
    auto linked = parentMustExist(
        ignoreCount(change(db,
                           "INSERT INTO accounts (provider, provider_account_id, user_id, "
                           "created_at) VALUES (?, ?, ?, ?)",
                           {}, account.provider, account.providerAccountId, account.userId,
                           account.createdAt)),
        kUserNotFound);
    // (provider, provider_account_id) is the primary key, whose violation is the generic
    // conflict; say what it means here.
    if (!linked && linked.error().kind == ErrorKind::conflict) {
      linked.error().code = "account_linked";
      linked.error().message = "this sign-in identity is already linked to an account";
    }
    return linked;
  }));
}

template <class Pool>
Result<LinkedAccount> SqlMetadataStore<Pool>::linkedAccount(const std::string& provider,
                                                            const std::string& providerAccountId) {
  return within("find linked account", pool_->read([&](auto& db) {
    return queryOne(db,
                    "SELECT provider, provider_account_id, user_id, created_at FROM accounts "
                    "WHERE provider = ? AND provider_account_id = ?",
                    linkFromRow, kLinkNotFound, provider, providerAccountId);
  }));
}

}  // namespace stratus::store::sql
