// What the account flows add to users: password and verification updates, deleting a user
// with everything it owns, one-time mail tokens, and linked sign-in providers.
#include "store/sqlite/query.h"
#include "store/sqlite/sqlite_store.h"

namespace stratus::store::sqlite {
namespace {

constexpr NotFound kUserNotFound{"user_not_found", "no such user"};
// Used, expired, wrong kind or unknown all read the same, so the answer to a guessed or
// replayed link says nothing about which it was.
constexpr NotFound kTokenNotFound{"invalid_token", "this link is invalid or has expired"};
constexpr NotFound kLinkNotFound{"account_not_linked", "no account is linked to this identity"};

Result<OneTimeToken> tokenFromRow(const Statement& row) {
  return OneTimeToken{
      .hash = row.text(0),
      .userId = row.text(1),
      .kind = row.text(2),
      .createdAt = row.int64(3),
      .expiresAt = row.int64(4),
      .usedAt = row.optionalInt64(5),
  };
}

Result<LinkedAccount> linkFromRow(const Statement& row) {
  return LinkedAccount{
      .provider = row.text(0),
      .providerAccountId = row.text(1),
      .userId = row.text(2),
      .createdAt = row.int64(3),
  };
}

// A foreign-key failure names no table; here the only parent is the user.
Status userMustExist(Status status) {
  if (!status && status.error().kind == ErrorKind::not_found) {
    status.error().code = kUserNotFound.code;
    status.error().message = kUserNotFound.message;
  }
  return status;
}

}  // namespace

Status SqliteMetadataStore::setPasswordHash(const std::string& userId,
                                            const std::optional<std::string>& hash) {
  return within("set password", pool_->write([&](Connection& db) {
    return expectChanged(
        change(db, "UPDATE users SET password_hash = ? WHERE id = ?", {}, hash, userId),
        kUserNotFound);
  }));
}

Status SqliteMetadataStore::markEmailVerified(const std::string& userId, int64_t at) {
  return within("mark email verified", pool_->write([&](Connection& db) {
    return expectChanged(change(db,
                                "UPDATE users SET email_verified_at = "
                                "COALESCE(email_verified_at, ?) WHERE id = ?",
                                {}, at, userId),
                         kUserNotFound);
  }));
}

// Every table that refers to a user does so with ON DELETE CASCADE (and versions and
// invocations cascade from functions), so one DELETE removes the lot atomically.
Status SqliteMetadataStore::deleteUser(const std::string& userId) {
  return within("delete user", pool_->write([&](Connection& db) {
    return expectChanged(change(db, "DELETE FROM users WHERE id = ?", {}, userId), kUserNotFound);
  }));
}

Status SqliteMetadataStore::createToken(const OneTimeToken& token) {
  return within("create token", pool_->write([&](Connection& db) {
    return userMustExist(ignoreCount(change(
        db,
        "INSERT INTO tokens (hash, user_id, kind, created_at, expires_at, used_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        {}, token.hash, token.userId, token.kind, token.createdAt, token.expiresAt,
        token.usedAt)));
  }));
}

Result<OneTimeToken> SqliteMetadataStore::consumeToken(const std::string& hash,
                                                       const std::string& kind, int64_t now) {
  // The writer connection is exclusive to this call, and the read and the update share one
  // transaction, so two racing requests cannot both see the token unused.
  return within("consume token", pool_->write([&](Connection& db) -> Result<OneTimeToken> {
    auto transaction = Transaction::begin(db);
    if (!transaction) return std::unexpected(std::move(transaction.error()));
    auto token = queryOne(db,
                          "SELECT hash, user_id, kind, created_at, expires_at, used_at FROM tokens "
                          "WHERE hash = ? AND kind = ? AND used_at IS NULL AND expires_at > ?",
                          tokenFromRow, kTokenNotFound, hash, kind, now);
    if (!token) return token;
    auto used = change(db, "UPDATE tokens SET used_at = ? WHERE hash = ?", {}, now, hash);
    if (!used) return std::unexpected(std::move(used.error()));
    if (auto committed = transaction->commit(); !committed)
      return std::unexpected(std::move(committed.error()));
    token->usedAt = now;
    return token;
  }));
}

Status SqliteMetadataStore::deleteTokens(const std::string& userId, const std::string& kind) {
  return within("delete tokens", pool_->write([&](Connection& db) {
    return ignoreCount(change(db,
                              "DELETE FROM tokens WHERE user_id = ? AND kind = ? AND "
                              "used_at IS NULL",
                              {}, userId, kind));
  }));
}

Status SqliteMetadataStore::linkAccount(const LinkedAccount& account) {
  return within("link account", pool_->write([&](Connection& db) {
    auto linked = userMustExist(ignoreCount(
        change(db,
               "INSERT INTO accounts (provider, provider_account_id, user_id, created_at) "
               "VALUES (?, ?, ?, ?)",
               {}, account.provider, account.providerAccountId, account.userId,
               account.createdAt)));
    // (provider, provider_account_id) is the primary key, whose violation SQLite reports
    // without naming it; say what it means here.
    if (!linked && linked.error().kind == ErrorKind::conflict) {
      linked.error().code = "account_linked";
      linked.error().message = "this sign-in identity is already linked to an account";
    }
    return linked;
  }));
}

Result<LinkedAccount> SqliteMetadataStore::linkedAccount(const std::string& provider,
                                                         const std::string& providerAccountId) {
  return within("find linked account", pool_->read([&](Connection& db) {
    return queryOne(db,
                    "SELECT provider, provider_account_id, user_id, created_at FROM accounts "
                    "WHERE provider = ? AND provider_account_id = ?",
                    linkFromRow, kLinkNotFound, provider, providerAccountId);
  }));
}

}  // namespace stratus::store::sqlite
