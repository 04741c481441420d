// Signing keys made on the spot for the unit tests, so ID tokens are checked against real
// RS256 / ES256 signatures without any key material in the repository. Test-only: the
// production code never signs.
#pragma once

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sodium.h>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "auth/oauth/base64url.h"
#include "auth/oauth/jwks.h"

namespace stratus::auth::oauth::test {

// Test set-up that cannot fail on a working OpenSSL; if it does, nothing here is meaningful.
inline void require(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "test_signer: %s failed\n", what);
    std::abort();
  }
}

struct BnFree {
  void operator()(BIGNUM* n) const { BN_free(n); }
};
using BnPtr = std::unique_ptr<BIGNUM, BnFree>;

inline std::string bnBytes(const EVP_PKEY* key, const char* param, int padTo = 0) {
  BIGNUM* raw = nullptr;
  require(EVP_PKEY_get_bn_param(key, param, &raw) == 1, "EVP_PKEY_get_bn_param");
  BnPtr n(raw);
  int size = padTo ? padTo : BN_num_bytes(n.get());
  std::string out(static_cast<std::size_t>(size), '\0');
  require(BN_bn2binpad(n.get(), reinterpret_cast<unsigned char*>(out.data()), size) == size,
          "BN_bn2binpad");
  return out;
}

class TestKey {
 public:
  static TestKey rsa(std::string kid, unsigned bits = 2048) {
    EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(bits));
    require(key != nullptr, "RSA keygen");
    return TestKey(EvpPkeyPtr(key), std::move(kid), "RS256");
  }
  static TestKey p256(std::string kid) {
    EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
    require(key != nullptr, "EC keygen");
    return TestKey(EvpPkeyPtr(key), std::move(kid), "ES256");
  }

  const std::string& kid() const { return kid_; }
  const std::string& alg() const { return alg_; }

  // The public half as a JWK, as a provider would publish it.
  boost::json::object publicJwk() const {
    boost::json::object jwk{{"kid", kid_}, {"use", "sig"}, {"alg", alg_}};
    if (alg_ == "RS256") {
      jwk["kty"] = "RSA";
      jwk["n"] = base64UrlEncode(bnBytes(key_.get(), OSSL_PKEY_PARAM_RSA_N));
      jwk["e"] = base64UrlEncode(bnBytes(key_.get(), OSSL_PKEY_PARAM_RSA_E));
    } else {
      jwk["kty"] = "EC";
      jwk["crv"] = "P-256";
      jwk["x"] = base64UrlEncode(bnBytes(key_.get(), OSSL_PKEY_PARAM_EC_PUB_X, 32));
      jwk["y"] = base64UrlEncode(bnBytes(key_.get(), OSSL_PKEY_PARAM_EC_PUB_Y, 32));
    }
    return jwk;
  }

  // SubjectPublicKeyInfo PEM: what an alg-confusion attacker uses as an HMAC secret.
  std::string publicPem() const {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
    require(bio && PEM_write_bio_PUBKEY(bio.get(), key_.get()) == 1, "PEM_write_bio_PUBKEY");
    char* data = nullptr;
    long size = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(size));
  }

  // The JOSE signature over signingInput: PKCS#1 v1.5 for RSA, raw r||s for ECDSA.
  std::string sign(std::string_view signingInput) const {
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(),
                                                                    EVP_MD_CTX_free);
    require(context &&
                EVP_DigestSignInit(context.get(), nullptr, EVP_sha256(), nullptr, key_.get()) == 1,
            "EVP_DigestSignInit");
    auto input = reinterpret_cast<const unsigned char*>(signingInput.data());
    size_t size = 0;
    require(EVP_DigestSign(context.get(), nullptr, &size, input, signingInput.size()) == 1,
            "EVP_DigestSign size");
    std::string signature(size, '\0');
    require(EVP_DigestSign(context.get(), reinterpret_cast<unsigned char*>(signature.data()), &size,
                           input, signingInput.size()) == 1,
            "EVP_DigestSign");
    signature.resize(size);
    if (alg_ == "RS256") return signature;
    const unsigned char* der = reinterpret_cast<const unsigned char*>(signature.data());
    std::unique_ptr<ECDSA_SIG, decltype(&ECDSA_SIG_free)> parsed(
        d2i_ECDSA_SIG(nullptr, &der, static_cast<long>(signature.size())), ECDSA_SIG_free);
    require(parsed != nullptr, "d2i_ECDSA_SIG");
    std::string raw(64, '\0');
    auto* out = reinterpret_cast<unsigned char*>(raw.data());
    require(BN_bn2binpad(ECDSA_SIG_get0_r(parsed.get()), out, 32) == 32 &&
                BN_bn2binpad(ECDSA_SIG_get0_s(parsed.get()), out + 32, 32) == 32,
            "r||s");
    return raw;
  }

 private:
  TestKey(EvpPkeyPtr key, std::string kid, std::string alg)
      : key_(std::move(key)), kid_(std::move(kid)), alg_(std::move(alg)) {}
  EvpPkeyPtr key_;
  std::string kid_, alg_;
};

inline std::string encodeJson(const boost::json::object& object) {
  return base64UrlEncode(boost::json::serialize(object));
}

// header.payload.signature with the key's alg and kid (unless the header given sets them).
inline std::string signToken(const TestKey& key, const boost::json::object& payload,
                             boost::json::object header = {}) {
  if (!header.contains("alg")) header["alg"] = key.alg();
  if (!header.contains("kid")) header["kid"] = key.kid();
  std::string input = encodeJson(header) + "." + encodeJson(payload);
  return input + "." + base64UrlEncode(key.sign(input));
}

// An HS256 token whose HMAC secret is `secret`.
inline std::string hmacToken(std::string_view secret, const boost::json::object& payload,
                             boost::json::object header) {
  header["alg"] = "HS256";
  std::string input = encodeJson(header) + "." + encodeJson(payload);
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(secret.data()),
                              secret.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(input.data()),
                                input.size());
  crypto_auth_hmacsha256_final(&state, mac);
  return input + "." +
         base64UrlEncode(std::string_view(reinterpret_cast<const char*>(mac), sizeof mac));
}

}  // namespace stratus::auth::oauth::test
