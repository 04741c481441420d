#include "auth/oauth/flow_cookie.h"

#include <sodium.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "auth/sealed_secret.h"

namespace stratus::auth::oauth {
namespace {

// Browsers keep cookies up to about 4 KiB; a bigger value would be dropped silently, so a
// bigger one cannot be ours.
constexpr std::size_t kMaxCookieChars = 4096;

std::unexpected<Error> invalidFlow() {
  return fail(ErrorKind::forbidden, "oauth_flow_invalid",
              "this sign-in was not started in this browser, or its cookie was changed");
}

std::string stringField(const boost::json::object& object, std::string_view name) {
  const auto* value = object.if_contains(name);
  return value && value->is_string() ? std::string(value->as_string()) : std::string();
}

}  // namespace

std::string sealFlow(const FlowState& flow, std::string_view key32) {
  std::string plain = boost::json::serialize(boost::json::object{
      {"provider", flow.provider},
      {"state", flow.state},
      {"nonce", flow.nonce},
      {"codeVerifier", flow.codeVerifier},
      {"returnTo", flow.returnTo},
      {"expiresAtMs", flow.expiresAtMs},
  });
  std::string sealed = sealSecret(plain, key32);
  sodium_memzero(plain.data(), plain.size());
  return sealed;
}

Result<FlowState> openFlow(std::string_view cookieValue, std::string_view key32, int64_t nowMs) {
  if (cookieValue.size() > kMaxCookieChars) return invalidFlow();
  auto opened = openSealedSecret(cookieValue, key32);
  if (!opened) return invalidFlow();
  std::string& plain = *opened;

  // Authentic from here on: only this server could have written it, so a shape error is
  // a version mismatch between nodes, still refused rather than trusted.
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(plain, ec);
  sodium_memzero(plain.data(), plain.size());
  if (ec || !value.is_object()) return invalidFlow();
  const auto& object = value.as_object();
  const auto* expires = object.if_contains("expiresAtMs");
  if (!expires || !expires->is_int64()) return invalidFlow();

  FlowState flow;
  flow.provider = stringField(object, "provider");
  flow.state = stringField(object, "state");
  flow.nonce = stringField(object, "nonce");
  flow.codeVerifier = stringField(object, "codeVerifier");
  flow.returnTo = stringField(object, "returnTo");
  flow.expiresAtMs = expires->as_int64();
  if (nowMs >= flow.expiresAtMs)
    return fail(ErrorKind::forbidden, "oauth_flow_expired",
                "this sign-in took too long; please start again");
  return flow;
}

}  // namespace stratus::auth::oauth
