#include "auth/auth_service.h"

#include "auth/sealed_secret.h"
#include "common/clock.h"
#include "common/crypto.h"
#include "common/log.h"

namespace stratus::auth {
namespace {

std::unexpected<Error> invalidCredentials() {
  return fail(ErrorKind::unauthorized, "invalid_credentials", "email or password is incorrect");
}
std::unexpected<Error> notSignedIn() {
  return fail(ErrorKind::unauthorized, "unauthenticated", "sign in or send an API key");
}

}  // namespace

AuthService::AuthService(store::MetadataStore& store, AuthOptions options)
    : store_(store), options_(options) {
  auto dummy = hashPassword(newSecret(), options_.passwordCost);
  if (!dummy) std::abort();  // libsodium cannot hash at start-up: nothing would work
  dummyHash_ = *dummy;
}

Result<store::User> AuthService::signUp(std::string_view email, std::string_view password,
                                        std::string_view name) {
  auto normalised = normaliseEmail(email);
  if (!normalised) return std::unexpected(normalised.error());
  if (auto ok = validatePassword(password); !ok) return std::unexpected(ok.error());
  if (name.size() > 128) return invalid("invalid_name", "name must be at most 128 characters");
  auto hash = hashPassword(password, options_.passwordCost);
  if (!hash) return std::unexpected(hash.error());

  store::User user;
  user.id = newId();
  user.email = *normalised;
  user.name = std::string(name);
  user.passwordHash = *hash;
  user.createdAt = nowMs();
  if (auto created = store_.createUser(user); !created) {
    // "email_taken" stays inside the server when email verification is on: the route
    // answers as for a new account and mails the owner instead (no enumeration).
    return std::unexpected(created.error());
  }
  log::info("user signed up", {{"user_id", user.id}});
  return user;
}

Result<store::User> AuthService::signIn(std::string_view email, std::string_view password) {
  auto normalised = normaliseEmail(email);
  if (!normalised || password.size() > kMaxPasswordLength) {
    verifyPassword(dummyHash_, password.substr(0, kMaxPasswordLength));
    return invalidCredentials();
  }
  auto user = store_.userByEmail(*normalised);
  if (!user) {
    if (user.error().kind != ErrorKind::not_found) return std::unexpected(user.error());
    verifyPassword(dummyHash_, password);
    return invalidCredentials();
  }
  if (!user->passwordHash) {
    verifyPassword(dummyHash_, password);
    return invalidCredentials();
  }
  if (!verifyPassword(*user->passwordHash, password)) return invalidCredentials();
  return *user;
}

Result<NewSession> AuthService::changePassword(const std::string& userId,
                                               std::string_view current,
                                               std::string_view replacement) {
  auto user = store_.userById(userId);
  if (!user) return std::unexpected(user.error());
  if (user->passwordHash && !verifyPassword(*user->passwordHash, current.substr(0, kMaxPasswordLength)))
    return fail(ErrorKind::forbidden, "wrong_password", "the current password is not correct");
  if (auto ok = validatePassword(replacement); !ok) return std::unexpected(ok.error());
  auto hash = hashPassword(replacement, options_.passwordCost);
  if (!hash) return std::unexpected(hash.error());
  if (auto ok = store_.setPasswordHash(userId, *hash); !ok) return std::unexpected(ok.error());
  if (auto ok = store_.deleteUserSessions(userId); !ok) return std::unexpected(ok.error());
  (void)store_.deleteTokens(userId, "reset");
  log::info("password changed", {{"user_id", userId}});
  return createSession(userId);
}

Status revokeAllApiKeys(store::MetadataStore& store, const std::string& userId) {
  auto keys = store.listApiKeys(userId);
  if (!keys) return std::unexpected(keys.error());
  const int64_t now = nowMs();
  for (const auto& key : *keys)
    if (!key.revokedAt)
      if (auto ok = store.revokeApiKey(userId, key.id, now); !ok && ok.error().kind != ErrorKind::not_found)
        return ok;
  return {};
}

Status AuthService::resetPassword(const std::string& userId, std::string_view replacement) {
  if (auto ok = validatePassword(replacement); !ok) return ok;
  auto hash = hashPassword(replacement, options_.passwordCost);
  if (!hash) return std::unexpected(hash.error());
  auto user = store_.userById(userId);
  if (!user) return std::unexpected(user.error());
  // The link proved the address for the first time: keys made before that (possibly by
  // someone who signed up with an address that is not theirs) go with the old password.
  if (!user->emailVerifiedAt)
    if (auto ok = revokeAllApiKeys(store_, userId); !ok) return ok;
  if (auto ok = store_.setPasswordHash(userId, *hash); !ok) return ok;
  if (auto ok = store_.deleteUserSessions(userId); !ok) return ok;
  (void)store_.deleteTokens(userId, "reset");
  (void)store_.markEmailVerified(userId, nowMs());
  log::info("password reset", {{"user_id", userId}});
  return {};
}

Status AuthService::confirmPassword(const store::User& user, std::string_view password) {
  if (!user.passwordHash) return {};  // provider-only account: the session is all there is
  if (password.size() > kMaxPasswordLength || !verifyPassword(*user.passwordHash, password))
    return fail(ErrorKind::forbidden, "wrong_password", "the password is not correct");
  return {};
}

Result<NewSession> AuthService::createSession(const std::string& userId) {
  NewSession session;
  session.cookieValue = newSecret();
  int64_t now = nowMs();
  session.expiresAt = now + options_.sessionLifetimeMs;
  store::Session record{sha256Hex(session.cookieValue), userId, now, session.expiresAt, now};
  if (auto ok = store_.createSession(record); !ok) return std::unexpected(ok.error());
  return session;
}

Result<Identity> AuthService::authenticateSession(std::string_view cookieValue) {
  if (cookieValue.empty() || cookieValue.size() > 128) return notSignedIn();
  std::string hash = sha256Hex(cookieValue);
  auto session = store_.sessionByHash(hash);
  if (!session) {
    if (session.error().kind == ErrorKind::not_found) return notSignedIn();
    return std::unexpected(session.error());
  }
  int64_t now = nowMs();
  if (session->expiresAt <= now) {
    (void)store_.deleteSession(hash);
    return notSignedIn();
  }
  auto user = store_.userById(session->userId);
  if (!user) {
    // Only a user that is really gone signs the session out; a database that went away
    // between the two reads is a 503, not a reason to treat good credentials as bad.
    if (user.error().kind == ErrorKind::not_found) return notSignedIn();
    return std::unexpected(user.error());
  }
  if (now - session->lastSeen > options_.sessionTouchIntervalMs) (void)store_.touchSession(hash, now);
  return Identity{*user, CredentialKind::session, {}};
}

Status AuthService::signOut(std::string_view cookieValue) {
  if (cookieValue.empty()) return {};
  return store_.deleteSession(sha256Hex(cookieValue));
}

Result<NewApiKey> AuthService::createApiKey(const std::string& userId, std::string_view name) {
  if (name.empty() || name.size() > 64)
    return invalid("invalid_key_name", "API key name must be 1 to 64 characters");
  NewApiKey created;
  created.key = std::string(kApiKeyPrefix) + newSecret();
  created.record.id = newId();
  created.record.userId = userId;
  created.record.name = std::string(name);
  created.record.hash = sha256Hex(created.key);
  created.record.prefix = created.key.substr(0, 10);
  created.record.createdAt = nowMs();
  if (!options_.keySealingKey.empty())
    created.record.sealedSecret = sealSecret(created.key, options_.keySealingKey);
  if (auto ok = store_.createApiKey(created.record); !ok) return std::unexpected(ok.error());
  return created;
}

Result<Identity> AuthService::authenticateApiKey(std::string_view key) {
  auto wrongKey = [] {
    return fail(ErrorKind::unauthorized, "invalid_api_key", "API key is not valid");
  };
  if (!key.starts_with(kApiKeyPrefix) || key.size() > 128) return wrongKey();
  // Lookup is by digest, so the comparison that matters (the stored digest against the
  // digest of the offered key) never exposes timing of the secret itself.
  auto record = store_.apiKeyByHash(sha256Hex(key));
  if (!record) {
    if (record.error().kind == ErrorKind::not_found) return wrongKey();
    return std::unexpected(record.error());
  }
  if (record->revokedAt) return wrongKey();
  return ownerOf(*record);
}

Result<Identity> AuthService::ownerOf(const store::ApiKey& record) {
  auto user = store_.userById(record.userId);
  if (!user) {
    if (user.error().kind == ErrorKind::not_found)
      return fail(ErrorKind::unauthorized, "invalid_api_key", "API key is not valid");
    return std::unexpected(user.error());
  }
  int64_t now = nowMs();
  if (!record.lastUsedAt || now - *record.lastUsedAt > options_.sessionTouchIntervalMs)
    (void)store_.touchApiKey(record.id, now);
  return Identity{*user, CredentialKind::apiKey, record.id};
}

Result<std::string> AuthService::signingSecret(std::string_view keyId) {
  // Ids are newId()'s 20 characters; a longer one is not worth a query.
  if (keyId.empty() || keyId.size() > 64)
    return fail(ErrorKind::not_found, "api_key_not_found", "no such API key");
  auto record = store_.apiKeyById(std::string(keyId));
  if (!record) return std::unexpected(record.error());
  if (!record->sealedSecret || options_.keySealingKey.empty())
    return fail(ErrorKind::forbidden, "key_cannot_sign",
                "API key " + record->id + " (" + record->name +
                    ") was created before Stratus kept secrets for AWS Signature Version 4, "
                    "so it cannot sign AWS requests; create a new API key and use its id and "
                    "key as the access key id and secret");
  auto secret = openSealedSecret(*record->sealedSecret, options_.keySealingKey);
  if (!secret) {
    // Sealed under another server secret: the same remedy works.
    secret.error().message = "API key " + record->id +
                             " was sealed with another server secret key; create a new API key";
    secret.error().code = "key_cannot_sign";
  }
  return secret;
}

Result<Identity> AuthService::identityOfKey(std::string_view keyId) {
  auto record = store_.apiKeyById(std::string(keyId));
  if (!record) {
    if (record.error().kind == ErrorKind::not_found)
      return fail(ErrorKind::unauthorized, "invalid_api_key", "API key is not valid");
    return std::unexpected(record.error());
  }
  return ownerOf(*record);
}

Result<std::vector<store::ApiKey>> AuthService::listApiKeys(const std::string& userId) {
  return store_.listApiKeys(userId);
}

Status AuthService::revokeApiKey(const std::string& userId, const std::string& keyId) {
  return store_.revokeApiKey(userId, keyId, nowMs());
}

}  // namespace stratus::auth
