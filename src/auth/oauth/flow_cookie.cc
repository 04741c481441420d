#include "auth/oauth/flow_cookie.h"

#include <sodium.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <cstdio>
#include <cstdlib>

#include "auth/oauth/base64url.h"

namespace stratus::auth::oauth {
namespace {

// Browsers keep cookies up to about 4 KiB; a bigger value would be dropped silently, so a
// bigger one cannot be ours.
constexpr std::size_t kMaxCookieChars = 4096;

void requireKey(std::string_view key32) {
  if (key32.size() != crypto_secretbox_KEYBYTES) {
    std::fputs("stratus: the OAuth flow key is not 32 bytes\n", stderr);
    std::abort();
  }
}

const unsigned char* bytesOf(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

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
  requireKey(key32);
  std::string plain = boost::json::serialize(boost::json::object{
      {"provider", flow.provider},
      {"state", flow.state},
      {"nonce", flow.nonce},
      {"codeVerifier", flow.codeVerifier},
      {"returnTo", flow.returnTo},
      {"expiresAtMs", flow.expiresAtMs},
  });
  // A random 24-byte nonce per seal: secretbox's XSalsa20 nonce is long enough for random
  // choice to never repeat under one key.
  std::string sealed(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plain.size(), '\0');
  auto* out = reinterpret_cast<unsigned char*>(sealed.data());
  randombytes_buf(out, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(out + crypto_secretbox_NONCEBYTES, bytesOf(plain), plain.size(), out,
                        bytesOf(key32));
  sodium_memzero(plain.data(), plain.size());
  return base64UrlEncode(sealed);
}

Result<FlowState> openFlow(std::string_view cookieValue, std::string_view key32, int64_t nowMs) {
  requireKey(key32);
  if (cookieValue.size() > kMaxCookieChars) return invalidFlow();
  auto sealed = base64UrlDecode(cookieValue);
  if (!sealed || sealed->size() < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
    return invalidFlow();
  const auto* in = bytesOf(*sealed);
  std::size_t boxSize = sealed->size() - crypto_secretbox_NONCEBYTES;
  std::string plain(boxSize - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()),
                                 in + crypto_secretbox_NONCEBYTES, boxSize, in,
                                 bytesOf(key32)) != 0)
    return invalidFlow();

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
