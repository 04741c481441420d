// The mail flows: verify an address, ask for a new verification link, forgot password,
// reset password. JSON under /api/v1/auth for the dashboard and the CLI, and the pages the
// mailed links open (/verify, /reset).
//
// The pages never act on GET: mail scanners fetch links to look for malware, and a
// single-use token spent by a scanner would leave the person a dead link. GET shows a
// button; the POST it sends does the work.
#include "api/auth_support.h"
#include "api/html_page.h"
#include "api/request_support.h"
#include "api/routes.h"
#include "auth/password.h"
#include "common/log.h"
#include "http/query.h"

namespace stratus::api {
namespace {

http::Response accepted(std::string status, std::string message) {
  return http::Response::json(202,
                              boost::json::object{{"status", std::move(status)},
                                                  {"message", std::move(message)}});
}

// One form field of an application/x-www-form-urlencoded body.
std::string formField(const http::QueryParameters& form, std::string_view name) {
  for (const auto& [key, value] : form)
    if (key == name) return value;
  return {};
}

std::string tokenOf(const http::Request& request) {
  auto token = request.queryValue("token");
  return token ? std::string(*token) : std::string();
}

std::string paragraph(std::string_view text) { return "<p>" + auth::escapeHtml(text) + "</p>"; }

http::Response verifyPage(ApiContext& context, const http::Request& request,
                          const std::string& token) {
  const std::string addressKey = "token:ip:" + clientAddress(request, context);
  if (auto limited = throttled(context, {addressKey})) return *limited;
  auto user = context.email.verify(token);
  if (!user) {
    recordAttempt(context, addressKey, throttle::kTokenPerAddress);
    if (user.error().kind != ErrorKind::invalid_argument) return http::Response::error(user.error());
    return htmlPage(400, "This link does not work",
                    paragraph("It was used already, has expired, or was cut short. Sign in and "
                              "ask for a new verification mail."));
  }
  return htmlPage(200, "Email verified",
                  paragraph("Thank you, " + user->email + " is verified.") +
                      "<p><a href=\"/signin\">Continue to Stratus</a></p>");
}

http::Response resetPage(ApiContext& context, const http::Request& request,
                         const http::QueryParameters& form) {
  const std::string addressKey = "token:ip:" + clientAddress(request, context);
  if (auto limited = throttled(context, {addressKey})) return *limited;
  const std::string token = formField(form, "token");
  const std::string password = formField(form, "password");
  if (password != formField(form, "confirm"))
    return htmlPage(400, "Choose a new password",
                    paragraph("The two passwords differ.") +
                        tokenForm("/reset", token, "Set password", true));
  auto user = context.email.resetPassword(token, password);
  if (!user) {
    if (user.error().code == "invalid_token") {
      recordAttempt(context, addressKey, throttle::kTokenPerAddress);
      return htmlPage(400, "This link does not work",
                      paragraph("It was used already or has expired. Ask for a new one from "
                                "the sign-in page."));
    }
    if (user.error().kind == ErrorKind::invalid_argument)
      return htmlPage(400, "Choose a new password",
                      paragraph(user.error().message) +
                          tokenForm("/reset", token, "Set password", true));
    return http::Response::error(user.error());
  }
  auto response = htmlPage(200, "Password changed",
                           paragraph("Every session was signed out. Sign in with the new "
                                     "password.") +
                               "<p><a href=\"/signin\">Sign in</a></p>");
  clearSessionCookies(response, request, context);
  return response;
}

Result<http::QueryParameters> formBody(const http::Request& request) {
  auto type = request.header("Content-Type");
  if (!type || !type->starts_with("application/x-www-form-urlencoded"))
    return invalid("expected_form", "send the form as application/x-www-form-urlencoded");
  return http::parseQuery(request.body);
}

}  // namespace

void registerEmailRoutes(http::Router& router, ApiContext& context) {
  router.add("POST", "/api/v1/auth/verify", [&context](http::Request& request) {
    if (auto same = checkSameOrigin(request, context); !same)
      return http::Response::error(same.error());
    const std::string addressKey = "token:ip:" + clientAddress(request, context);
    if (auto limited = throttled(context, {addressKey})) return *limited;
    auto body = parseJsonObject(request);
    if (!body) return http::Response::error(body.error());
    auto user = context.email.verify(stringMember(*body, "token"));
    if (!user) {
      recordAttempt(context, addressKey, throttle::kTokenPerAddress);
      return http::Response::error(user.error());
    }
    return http::Response::json(200, boost::json::object{{"user", userJson(*user)}});
  });

  router.add("POST", "/api/v1/auth/resend", [&context](http::Request& request) {
    auto identity = authenticate(request, context, Verification::optional);
    if (!identity) return http::Response::error(identity.error());
    if (identity->user.emailVerifiedAt)
      return http::Response::json(
          200, boost::json::object{{"status", "already_verified"},
                                   {"message", "This address is verified already."}});
    const std::string addressKey = "mail:ip:" + clientAddress(request, context);
    const std::string account = "mail:account:" + identity->user.email;
    if (auto limited = throttled(context, {addressKey, account})) return *limited;
    recordAttempt(context, addressKey, throttle::kMailPerAddress);
    recordAttempt(context, account, throttle::kMailPerAccount);
    if (auto sent = context.email.sendVerification(identity->user); !sent)
      return http::Response::error(sent.error());
    return accepted("verification_sent", "We sent a new verification link to " +
                                             identity->user.email + ".");
  });

  router.add("POST", "/api/v1/auth/forgot", [&context](http::Request& request) {
    if (auto same = checkSameOrigin(request, context); !same)
      return http::Response::error(same.error());
    auto body = parseJsonObject(request);
    if (!body) return http::Response::error(body.error());
    auto email = auth::normaliseEmail(stringMember(*body, "email"));
    if (!email) return http::Response::error(email.error());
    const std::string addressKey = "mail:ip:" + clientAddress(request, context);
    const std::string account = "mail:account:" + *email;
    if (auto limited = throttled(context, {addressKey, account})) return *limited;
    recordAttempt(context, addressKey, throttle::kMailPerAddress);
    recordAttempt(context, account, throttle::kMailPerAccount);
    // Whether the address has an account is found out after the answer has gone.
    auto& flows = context.email;
    flows.defer([&flows, address = *email] {
      if (auto sent = flows.sendPasswordReset(address); !sent)
        log::warn("password reset mail not sent", {{"error", sent.error().describe()}});
    });
    return accepted("reset_sent",
                    "If an account uses this address, we sent it a link to reset the password. "
                    "The link works for 1 hour.");
  });

  router.add("POST", "/api/v1/auth/reset", [&context](http::Request& request) {
    if (auto same = checkSameOrigin(request, context); !same)
      return http::Response::error(same.error());
    const std::string addressKey = "token:ip:" + clientAddress(request, context);
    if (auto limited = throttled(context, {addressKey})) return *limited;
    auto body = parseJsonObject(request);
    if (!body) return http::Response::error(body.error());
    auto user = context.email.resetPassword(stringMember(*body, "token"),
                                            stringMember(*body, "password"));
    if (!user) {
      if (user.error().code == "invalid_token")
        recordAttempt(context, addressKey, throttle::kTokenPerAddress);
      return http::Response::error(user.error());
    }
    auto response = http::Response::json(
        200, boost::json::object{{"status", "password_reset"},
                                 {"message", "Password changed; every session was signed out."}});
    clearSessionCookies(response, request, context);
    return response;
  });

  // The pages the mailed links open.
  router.add("GET", "/verify", [](http::Request& request) {
    return htmlPage(200, "Verify your email",
                    paragraph("Press the button to confirm this address.") +
                        tokenForm("/verify", tokenOf(request), "Verify email", false));
  });
  router.add("POST", "/verify", [&context](http::Request& request) {
    if (auto same = checkSameOrigin(request, context); !same)
      return http::Response::error(same.error());
    auto form = formBody(request);
    if (!form) return http::Response::error(form.error());
    return verifyPage(context, request, formField(*form, "token"));
  });
  router.add("GET", "/reset", [](http::Request& request) {
    return htmlPage(200, "Choose a new password",
                    paragraph("At least 10 characters. Setting it signs you out everywhere.") +
                        tokenForm("/reset", tokenOf(request), "Set password", true));
  });
  router.add("POST", "/reset", [&context](http::Request& request) {
    if (auto same = checkSameOrigin(request, context); !same)
      return http::Response::error(same.error());
    auto form = formBody(request);
    if (!form) return http::Response::error(form.error());
    return resetPage(context, request, *form);
  });
}

}  // namespace stratus::api
