// Accounts, sessions and API keys on top of the MetadataStore. Secrets (cookie values, API
// keys) are random, shown once, and stored only as SHA-256 digests, so a leaked database
// does not let anyone sign in. The mail flows (email_flows.h) and provider sign-in
// (oauth_login.h) build on these primitives.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth/password.h"
#include "common/error.h"
#include "store/metadata_store.h"

namespace stratus::auth {

struct AuthOptions {
  PasswordCost passwordCost;
  int64_t sessionLifetimeMs = 14LL * 24 * 3600 * 1000;
  // lastSeen is refreshed at most this often, so reads do not turn into writes.
  int64_t sessionTouchIntervalMs = 5LL * 60 * 1000;
  // 32 bytes (ServerSecret::subkey("api-key-secret")) that seal each new API key's secret
  // for AWS Signature Version 4. Empty: keys are stored as digests only and cannot sign.
  std::string keySealingKey;
};

enum class CredentialKind { session, apiKey };

struct Identity {
  store::User user;
  CredentialKind via = CredentialKind::session;
  std::string apiKeyId;  // set when via == apiKey
};

struct NewSession {
  std::string cookieValue;  // give to the browser; never log
  int64_t expiresAt = 0;
};

struct NewApiKey {
  store::ApiKey record;
  std::string key;  // the full key, shown to its owner once
};

inline constexpr std::string_view kSessionCookie = "stratus_session";
inline constexpr std::string_view kApiKeyPrefix = "sk_";

// Revokes every key the user still has. Used when an address is proved for the first time
// (a reset link, a provider): whoever signed up with it unproved must lose all access.
Status revokeAllApiKeys(store::MetadataStore& store, const std::string& userId);

class AuthService {
 public:
  AuthService(store::MetadataStore& store, AuthOptions options);

  Result<store::User> signUp(std::string_view email, std::string_view password,
                             std::string_view name);
  // One answer ("invalid_credentials") for an unknown email and a wrong password, and the
  // same Argon2 work in both cases, so neither the message nor the timing tells them apart.
  Result<store::User> signIn(std::string_view email, std::string_view password);

  // Changing the password while signed in needs the current one (an account that has none,
  // made through a provider, may set its first). Every session of the user ends; the caller
  // gets a fresh one for the browser that asked.
  Result<NewSession> changePassword(const std::string& userId, std::string_view current,
                                    std::string_view replacement);
  // After a reset link: the new password, every session ended, the address counted as
  // verified (the link reached it), older reset links void.
  Status resetPassword(const std::string& userId, std::string_view replacement);
  // Re-authentication for destructive actions (deleting the account).
  Status confirmPassword(const store::User& user, std::string_view password);

  Result<NewSession> createSession(const std::string& userId);
  Result<Identity> authenticateSession(std::string_view cookieValue);
  Status signOut(std::string_view cookieValue);

  Result<NewApiKey> createApiKey(const std::string& userId, std::string_view name);
  Result<Identity> authenticateApiKey(std::string_view key);
  // AWS Signature Version 4: the secret of the key whose id is the access key id. Unknown
  // or revoked: not_found. A key stored before secrets were (or on a server that seals
  // none): forbidden "key_cannot_sign", whose message says to create a new key.
  Result<std::string> signingSecret(std::string_view keyId);
  // The owner of a key whose signature was verified, recording the key's use.
  Result<Identity> identityOfKey(std::string_view keyId);
  Result<std::vector<store::ApiKey>> listApiKeys(const std::string& userId);
  Status revokeApiKey(const std::string& userId, const std::string& keyId);

 private:
  Result<Identity> ownerOf(const store::ApiKey& record);

  store::MetadataStore& store_;
  AuthOptions options_;
  std::string dummyHash_;  // verified against when the email is unknown
};

}  // namespace stratus::auth
