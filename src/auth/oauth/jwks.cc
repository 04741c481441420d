#include "auth/oauth/jwks.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <boost/json/parse.hpp>
#include <optional>

#include "auth/oauth/base64url.h"

namespace stratus::auth::oauth {
namespace {

// Owning handles for the OpenSSL objects used on the way, so every early return frees them.
struct BignumFree {
  void operator()(BIGNUM* n) const noexcept { BN_free(n); }
};
struct ParamBuildFree {
  void operator()(OSSL_PARAM_BLD* b) const noexcept { OSSL_PARAM_BLD_free(b); }
};
struct ParamFree {
  void operator()(OSSL_PARAM* p) const noexcept { OSSL_PARAM_free(p); }
};
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* c) const noexcept { EVP_PKEY_CTX_free(c); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const noexcept { EVP_MD_CTX_free(c); }
};
struct EcdsaSigFree {
  void operator()(ECDSA_SIG* s) const noexcept { ECDSA_SIG_free(s); }
};
using BignumPtr = std::unique_ptr<BIGNUM, BignumFree>;
using ParamBuildPtr = std::unique_ptr<OSSL_PARAM_BLD, ParamBuildFree>;
using ParamPtr = std::unique_ptr<OSSL_PARAM, ParamFree>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;
using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, EcdsaSigFree>;

constexpr int kMinRsaBits = 2048;
constexpr int kMaxRsaBits = 8192;  // bigger only costs verification time, nobody uses it
constexpr std::size_t kP256CoordinateBytes = 32;

// Failed OpenSSL calls leave entries in the thread's error queue; a later, unrelated caller
// on this worker thread must not find them.
struct ClearOpenSslErrors {
  ~ClearOpenSslErrors() { ERR_clear_error(); }
};

const unsigned char* bytesOf(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

BignumPtr bignumFrom(std::string_view bigEndian) {
  return BignumPtr(BN_bin2bn(bytesOf(bigEndian), static_cast<int>(bigEndian.size()), nullptr));
}

std::optional<std::string> stringField(const boost::json::object& object, std::string_view name) {
  const auto* value = object.if_contains(name);
  if (!value || !value->is_string()) return std::nullopt;
  return std::string(value->as_string());
}

std::optional<std::string> base64Field(const boost::json::object& object, std::string_view name) {
  auto text = stringField(object, name);
  if (!text || text->empty()) return std::nullopt;
  return base64UrlDecode(*text);
}

EvpPkeyPtr keyFromParams(const char* type, OSSL_PARAM_BLD* builder) {
  ParamPtr params(OSSL_PARAM_BLD_to_param(builder));
  PkeyCtxPtr context(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  if (!params || !context || EVP_PKEY_fromdata_init(context.get()) <= 0) return nullptr;
  EVP_PKEY* raw = nullptr;
  if (EVP_PKEY_fromdata(context.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) <= 0)
    return nullptr;
  return EvpPkeyPtr(raw);
}

EvpPkeyPtr rsaKey(const boost::json::object& jwk) {
  auto modulus = base64Field(jwk, "n");
  auto exponent = base64Field(jwk, "e");
  if (!modulus || !exponent) return nullptr;
  BignumPtr n = bignumFrom(*modulus);
  BignumPtr e = bignumFrom(*exponent);
  if (!n || !e || BN_num_bits(n.get()) < kMinRsaBits || BN_num_bits(n.get()) > kMaxRsaBits ||
      !BN_is_odd(e.get()) || BN_is_one(e.get()))
    return nullptr;
  ParamBuildPtr builder(OSSL_PARAM_BLD_new());
  if (!builder || !OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) ||
      !OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, e.get()))
    return nullptr;
  return keyFromParams("RSA", builder.get());
}

EvpPkeyPtr p256Key(const boost::json::object& jwk) {
  auto x = base64Field(jwk, "x");
  auto y = base64Field(jwk, "y");
  // RFC 7518 §6.2.1.2: the coordinates are full-length, leading zeros kept.
  if (!x || !y || x->size() != kP256CoordinateBytes || y->size() != kP256CoordinateBytes)
    return nullptr;
  std::string point = "\x04" + *x + *y;  // SEC 1 uncompressed point
  ParamBuildPtr builder(OSSL_PARAM_BLD_new());
  if (!builder ||
      !OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME, "P-256", 0) ||
      !OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                        point.size()))
    return nullptr;
  EvpPkeyPtr key = keyFromParams("EC", builder.get());
  if (!key) return nullptr;
  // Decoding already refuses points off the curve; the explicit check says so and also
  // refuses the point at infinity.
  PkeyCtxPtr check(EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr));
  if (!check || EVP_PKEY_public_check(check.get()) != 1) return nullptr;
  return key;
}

std::optional<Jwk> parseKey(const boost::json::value& value) {
  if (!value.is_object()) return std::nullopt;
  const auto& object = value.as_object();
  Jwk jwk;
  jwk.kty = stringField(object, "kty").value_or("");
  jwk.kid = stringField(object, "kid").value_or("");
  jwk.use = stringField(object, "use").value_or("");
  jwk.alg = stringField(object, "alg").value_or("");
  if (!jwk.use.empty() && jwk.use != "sig") return std::nullopt;  // an encryption key
  if (jwk.kty == "RSA") {
    if (jwk.alg.empty()) jwk.alg = "RS256";
    if (jwk.alg != "RS256") return std::nullopt;
    jwk.key = rsaKey(object);
  } else if (jwk.kty == "EC") {
    if (stringField(object, "crv") != "P-256") return std::nullopt;
    if (jwk.alg.empty()) jwk.alg = "ES256";
    if (jwk.alg != "ES256") return std::nullopt;
    jwk.key = p256Key(object);
  }
  if (!jwk.key) return std::nullopt;
  return jwk;
}

// JOSE carries an ECDSA signature as r||s, OpenSSL wants the DER SEQUENCE of two INTEGERs.
std::optional<std::string> ecdsaRawToDer(std::string_view raw) {
  if (raw.size() != 2 * kP256CoordinateBytes) return std::nullopt;
  BignumPtr r = bignumFrom(raw.substr(0, kP256CoordinateBytes));
  BignumPtr s = bignumFrom(raw.substr(kP256CoordinateBytes));
  EcdsaSigPtr signature(ECDSA_SIG_new());
  if (!r || !s || !signature || !ECDSA_SIG_set0(signature.get(), r.get(), s.get()))
    return std::nullopt;
  (void)r.release();  // owned by signature now
  (void)s.release();
  unsigned char* der = nullptr;
  int length = i2d_ECDSA_SIG(signature.get(), &der);
  if (length <= 0) return std::nullopt;
  std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(length));
  OPENSSL_free(der);
  return out;
}

}  // namespace

void EvpPkeyFree::operator()(EVP_PKEY* key) const noexcept { EVP_PKEY_free(key); }

Result<Jwks> parseJwks(const boost::json::value& document) {
  ClearOpenSslErrors clearErrors;
  const auto* keys = document.is_object() ? document.as_object().if_contains("keys") : nullptr;
  if (!keys || !keys->is_array())
    return fail(ErrorKind::unavailable, "jwks_invalid",
                "the provider's key set is not a JSON object with a \"keys\" array");
  Jwks jwks;
  for (const auto& value : keys->as_array()) {
    if (auto jwk = parseKey(value)) jwks.keys.push_back(std::move(*jwk));
  }
  return jwks;
}

Result<Jwks> parseJwksText(std::string_view text) {
  boost::system::error_code ec;
  boost::json::value document = boost::json::parse(text, ec);
  if (ec) return fail(ErrorKind::unavailable, "jwks_invalid", "the provider's key set is not JSON");
  return parseJwks(document);
}

bool verify(const Jwk& key, std::string_view alg, std::string_view signingInput,
            std::string_view signature) {
  ClearOpenSslErrors clearErrors;
  if (!key.key || alg != key.alg) return false;
  std::string der;
  if (alg == "RS256") {
    if (key.kty != "RSA" || !EVP_PKEY_is_a(key.key.get(), "RSA")) return false;
    // A PKCS#1 v1.5 signature is exactly as long as the modulus.
    if (signature.size() != static_cast<std::size_t>(EVP_PKEY_get_size(key.key.get())))
      return false;
    der = std::string(signature);
  } else if (alg == "ES256") {
    if (key.kty != "EC" || !EVP_PKEY_is_a(key.key.get(), "EC")) return false;
    auto converted = ecdsaRawToDer(signature);
    if (!converted) return false;
    der = std::move(*converted);
  } else {
    return false;
  }
  MdCtxPtr context(EVP_MD_CTX_new());
  if (!context ||
      EVP_DigestVerifyInit(context.get(), nullptr, EVP_sha256(), nullptr, key.key.get()) != 1)
    return false;
  return EVP_DigestVerify(context.get(), bytesOf(der), der.size(), bytesOf(signingInput),
                          signingInput.size()) == 1;
}

}  // namespace stratus::auth::oauth
