// /api/v1/auth: sign-up, sign-in, sign-out, me, change password, delete account.
//
// No answer here tells whether an address has an account: sign-in fails with one message
// after the same Argon2 work; with email verification on, sign-up answers "check your
// mail" for new and taken addresses alike and does the differing work (a token and a
// verification mail, or a "you already have an account" mail) after the response.
#include "api/auth_support.h"
#include "api/request_support.h"
#include "api/routes.h"
#include "auth/password.h"
#include "common/log.h"

namespace stratus::api {
namespace {

// The throttle key of an account: the normalised address when it is one, else the text as
// sent (lower-cased), so a malformed address cannot dodge its own limit.
std::string accountKey(std::string_view prefix, const std::string& email) {
  auto normalised = auth::normaliseEmail(email);
  std::string key = normalised ? *normalised : email.substr(0, 320);
  for (auto& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return std::string(prefix) + key;
}

http::Response neutralSignUpAnswer() {
  return http::Response::json(
      202, boost::json::object{
               {"status", "verification_sent"},
               {"message", "Check your email: we sent a link to finish signing up. "
                           "Until you open it you can sign in only to ask for a new link."}});
}

// A fresh session id at every sign-in, and the one the browser held before (if any) ends:
// an id planted before sign-in is worthless.
http::Response signedIn(ApiContext& context, const http::Request& request,
                        const store::User& user, int status) {
  if (auto previous = sessionCookieOf(request)) (void)context.auth.signOut(*previous);
  auto session = context.auth.createSession(user.id);
  if (!session) return http::Response::error(session.error());
  boost::json::object body{{"user", userJson(user)}};
  if (context.options.requireVerifiedEmail && !user.emailVerifiedAt)
    body["verificationRequired"] = true;
  auto response = http::Response::json(status, body);
  setSessionCookies(response, request, context, *session);
  return response;
}

// Changing the password and deleting the account need a signed-in browser, not an API key:
// a leaked key must not become a password (on an account that has none) or a deletion.
Status requireSession(const auth::Identity& identity) {
  if (identity.via != auth::CredentialKind::session)
    return fail(ErrorKind::forbidden, "session_required",
                "sign in with your password to change it or delete the account");
  return {};
}

http::Response noContent() {
  http::Response response;
  response.status = 204;
  return response;
}

http::Response signUp(ApiContext& context, http::Request& request) {
  if (auto same = checkSameOrigin(request, context); !same) return http::Response::error(same.error());
  const std::string addressKey = "signup:ip:" + clientAddress(request, context);
  if (auto limited = throttled(context, {addressKey})) return *limited;
  recordAttempt(context, addressKey, throttle::kSignUpPerAddress);
  auto body = parseJsonObject(request);
  if (!body) return http::Response::error(body.error());
  auto user = context.auth.signUp(stringMember(*body, "email"), stringMember(*body, "password"),
                                  stringMember(*body, "name"));
  auto& flows = context.email;
  // Mails to one address are throttled like resend and forgot, so sign-ups cannot flood
  // someone's inbox; the answer stays the same, only the mail is skipped.
  auto mayMail = [&limiter = context.limiter, enabled = context.options.rateLimits](
                     const std::string& email) {
    const std::string key = "mail:account:" + email;
    if (!enabled) return true;
    if (limiter.retryAfterMs(key) > 0) return false;
    limiter.record(key, throttle::kMailPerAccount);
    return true;
  };
  if (!user) {
    if (user.error().code != "email_taken" || !context.options.requireVerifiedEmail)
      return http::Response::error(user.error());
    auto email = *auth::normaliseEmail(stringMember(*body, "email"));
    flows.defer([&flows, mayMail, email] {
      if (!mayMail(email)) return;
      if (auto sent = flows.sendAlreadyRegistered(email); !sent)
        log::warn("already-registered mail not sent", {{"error", sent.error().describe()}});
    });
    return neutralSignUpAnswer();
  }
  flows.defer([&flows, mayMail, created = *user] {
    if (!mayMail(created.email)) return;
    if (auto sent = flows.sendVerification(created); !sent)
      log::warn("verification mail not sent",
                {{"user_id", created.id}, {"error", sent.error().describe()}});
  });
  if (context.options.requireVerifiedEmail) return neutralSignUpAnswer();
  return signedIn(context, request, *user, 201);
}

http::Response signIn(ApiContext& context, http::Request& request) {
  if (auto same = checkSameOrigin(request, context); !same) return http::Response::error(same.error());
  auto body = parseJsonObject(request);
  if (!body) return http::Response::error(body.error());
  const std::string email = stringMember(*body, "email");
  const std::string addressKey = "signin:ip:" + clientAddress(request, context);
  const std::string account = accountKey("signin:account:", email);
  if (auto limited = throttled(context, {addressKey, account})) return *limited;
  auto user = context.auth.signIn(email, stringMember(*body, "password"));
  if (!user) {
    if (user.error().kind == ErrorKind::unauthorized) {
      recordAttempt(context, addressKey, throttle::kSignInPerAddress);
      recordAttempt(context, account, throttle::kSignInPerAccount);
    }
    return http::Response::error(user.error());
  }
  context.limiter.reset(account);
  return signedIn(context, request, *user, 200);
}

}  // namespace

void registerAuthRoutes(http::Router& router, ApiContext& context) {
  router.add("POST", "/api/v1/auth/signup",
             [&context](http::Request& request) { return signUp(context, request); });
  router.add("POST", "/api/v1/auth/signin",
             [&context](http::Request& request) { return signIn(context, request); });

  router.add("POST", "/api/v1/auth/signout", [&context](http::Request& request) {
    auto session = sessionCookieOf(request);
    if (session) {
      if (auto ok = checkCsrf(request, context, *session); !ok)
        return http::Response::error(ok.error());
      (void)context.auth.signOut(*session);
    }
    auto response = noContent();
    clearSessionCookies(response, request, context);
    return response;
  });

  auto me = [&context](http::Request& request) {
    auto identity = authenticate(request, context, Verification::optional);
    if (!identity) return http::Response::error(identity.error());
    return http::Response::json(200, boost::json::object{{"user", userJson(identity->user)}});
  };
  router.add("GET", "/api/v1/me", me);
  router.add("GET", "/api/v1/auth/me", me);

  router.add("POST", "/api/v1/auth/password", [&context](http::Request& request) {
    auto identity = authenticate(request, context, Verification::optional);
    if (!identity) return http::Response::error(identity.error());
    if (auto ok = requireSession(*identity); !ok) return http::Response::error(ok.error());
    const std::string account = "password:account:" + identity->user.id;
    if (auto limited = throttled(context, {account})) return *limited;
    auto body = parseJsonObject(request);
    if (!body) return http::Response::error(body.error());
    auto session = context.auth.changePassword(identity->user.id,
                                               stringMember(*body, "currentPassword"),
                                               stringMember(*body, "newPassword"));
    if (!session) {
      if (session.error().code == "wrong_password")
        recordAttempt(context, account, throttle::kSignInPerAccount);
      return http::Response::error(session.error());
    }
    auto response = http::Response::json(
        200, boost::json::object{{"status", "password_changed"},
                                 {"message", "Password changed; every other session ended."}});
    // Every session ended, this one included; the browser that asked gets a new one.
    setSessionCookies(response, request, context, *session);
    return response;
  });

  router.add("DELETE", "/api/v1/auth/account", [&context](http::Request& request) {
    auto identity = authenticate(request, context, Verification::optional);
    if (!identity) return http::Response::error(identity.error());
    if (auto ok = requireSession(*identity); !ok) return http::Response::error(ok.error());
    const std::string account = "password:account:" + identity->user.id;
    if (auto limited = throttled(context, {account})) return *limited;
    auto body = parseJsonObject(request);
    if (!body) return http::Response::error(body.error());
    if (auto ok = context.auth.confirmPassword(identity->user, stringMember(*body, "password"));
        !ok) {
      recordAttempt(context, account, throttle::kSignInPerAccount);
      return http::Response::error(ok.error());
    }
    if (auto ok = context.functions.deleteUser(identity->user.id); !ok)
      return http::Response::error(ok.error());
    auto response = noContent();
    clearSessionCookies(response, request, context);
    return response;
  });
}

}  // namespace stratus::api
