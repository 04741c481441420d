#include "auth/oauth_login.h"

#include "auth/auth_service.h"
#include "auth/password.h"
#include "common/clock.h"
#include "common/crypto.h"
#include "common/log.h"

namespace stratus::auth {
namespace {

Result<ProviderSignIn> linkTo(store::MetadataStore& store, store::User user,
                              const oauth::ExternalIdentity& identity) {
  const int64_t now = nowMs();
  if (!user.emailVerifiedAt) {
    // Someone signed up with this address and never proved it was theirs; the provider has
    // now proved it belongs to this person. Whatever password that sign-up chose (perhaps an
    // attacker's, waiting for the owner to arrive) and its sessions must not survive.
    if (auto ok = store.setPasswordHash(user.id, std::nullopt); !ok) return std::unexpected(ok.error());
    if (auto ok = store.deleteUserSessions(user.id); !ok) return std::unexpected(ok.error());
    if (auto ok = revokeAllApiKeys(store, user.id); !ok) return std::unexpected(ok.error());
    user.passwordHash.reset();
  }
  if (auto ok = store.linkAccount({identity.provider, identity.subject, user.id, now}); !ok)
    return std::unexpected(ok.error());
  if (auto ok = store.markEmailVerified(user.id, now); !ok) return std::unexpected(ok.error());
  if (!user.emailVerifiedAt) user.emailVerifiedAt = now;
  log::info("provider identity linked", {{"user_id", user.id}, {"provider", identity.provider}});
  return ProviderSignIn{std::move(user), false, true};
}

}  // namespace

Result<ProviderSignIn> signInWithProvider(store::MetadataStore& store,
                                          const oauth::ExternalIdentity& identity) {
  if (identity.provider.empty() || identity.subject.empty() || identity.subject.size() > 255)
    return fail(ErrorKind::unauthorized, "oauth_identity_invalid",
                "the provider did not say who signed in");
  auto linked = store.linkedAccount(identity.provider, identity.subject);
  if (linked) {
    auto user = store.userById(linked->userId);
    if (!user) return std::unexpected(user.error());
    return ProviderSignIn{std::move(*user), false, false};
  }
  if (linked.error().kind != ErrorKind::not_found) return std::unexpected(linked.error());

  if (!identity.emailVerified)
    return fail(ErrorKind::forbidden, "provider_email_unverified",
                "your email address at " + identity.provider +
                    " is not verified; verify it there, or sign up with email and password");
  auto email = normaliseEmail(identity.email);
  if (!email) return fail(ErrorKind::forbidden, "provider_email_invalid",
                          identity.provider + " gave no usable email address");

  auto existing = store.userByEmail(*email);
  if (existing) return linkTo(store, std::move(*existing), identity);
  if (existing.error().kind != ErrorKind::not_found) return std::unexpected(existing.error());

  store::User user;
  user.id = newId();
  user.email = *email;
  user.name = identity.name.substr(0, 128);
  user.emailVerifiedAt = nowMs();
  user.createdAt = *user.emailVerifiedAt;
  if (auto created = store.createUser(user); !created) {
    // Someone created the address between our look-up and now: link to them instead.
    if (created.error().code != "email_taken") return std::unexpected(created.error());
    auto raced = store.userByEmail(*email);
    if (!raced) return std::unexpected(raced.error());
    return linkTo(store, std::move(*raced), identity);
  }
  if (auto ok = store.linkAccount({identity.provider, identity.subject, user.id, user.createdAt});
      !ok)
    return std::unexpected(ok.error());
  log::info("user signed up", {{"user_id", user.id}, {"provider", identity.provider}});
  return ProviderSignIn{std::move(user), true, true};
}

}  // namespace stratus::auth
