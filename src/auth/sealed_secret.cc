#include "auth/sealed_secret.h"

#include <sodium.h>

#include <cstdio>
#include <cstdlib>

#include "auth/oauth/base64url.h"

namespace stratus::auth {
namespace {

// The largest thing sealed is a cookie, which browsers keep up to about 4 KiB; anything
// longer is not ours.
constexpr std::size_t kMaxSealedChars = 4096;

void requireKey(std::string_view key32) {
  if (key32.size() != crypto_secretbox_KEYBYTES) {
    std::fputs("stratus: the key that seals secrets is not 32 bytes\n", stderr);
    std::abort();
  }
}

const unsigned char* bytesOf(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

std::unexpected<Error> notOpened() {
  return fail(ErrorKind::forbidden, "sealed_secret_invalid",
              "a stored secret could not be opened with this server's secret key");
}

}  // namespace

std::string sealSecret(std::string_view plain, std::string_view key32) {
  requireKey(key32);
  std::string sealed(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plain.size(), '\0');
  auto* out = reinterpret_cast<unsigned char*>(sealed.data());
  // 24 random bytes: XSalsa20's nonce is long enough that random ones never repeat.
  randombytes_buf(out, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(out + crypto_secretbox_NONCEBYTES, bytesOf(plain), plain.size(), out,
                        bytesOf(key32));
  return oauth::base64UrlEncode(sealed);
}

Result<std::string> openSealedSecret(std::string_view sealed, std::string_view key32) {
  requireKey(key32);
  if (sealed.size() > kMaxSealedChars) return notOpened();
  auto raw = oauth::base64UrlDecode(sealed);
  if (!raw || raw->size() < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
    return notOpened();
  const auto* in = bytesOf(*raw);
  const std::size_t boxSize = raw->size() - crypto_secretbox_NONCEBYTES;
  std::string plain(boxSize - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()),
                                 in + crypto_secretbox_NONCEBYTES, boxSize, in,
                                 bytesOf(key32)) != 0)
    return notOpened();
  return plain;
}

}  // namespace stratus::auth
