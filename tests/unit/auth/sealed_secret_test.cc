#include "auth/sealed_secret.h"

#include <gtest/gtest.h>

#include "common/crypto.h"

namespace stratus::auth {
namespace {

const std::string kKey(32, 'a');

TEST(SealedSecret, OpensWhatItSealedAndNothingElse) {
  initCrypto();
  const std::string secret = "sk_Jb0v1ZqkY3l9F2mXcT8rWnA4pG6sHdE5uKoLiQ7yVzM";
  std::string sealed = sealSecret(secret, kKey);
  EXPECT_EQ(sealed.find(secret), std::string::npos);
  EXPECT_NE(sealSecret(secret, kKey), sealed);  // a fresh nonce each time
  auto opened = openSealedSecret(sealed, kKey);
  ASSERT_TRUE(opened) << opened.error().describe();
  EXPECT_EQ(*opened, secret);

  auto wrongKey = openSealedSecret(sealed, std::string(32, 'b'));
  ASSERT_FALSE(wrongKey);
  EXPECT_EQ(wrongKey.error().code, "sealed_secret_invalid");
  std::string changed = sealed;
  changed[changed.size() / 2] = changed[changed.size() / 2] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(openSealedSecret(changed, kKey));
  EXPECT_FALSE(openSealedSecret(sealed.substr(0, 20), kKey));
  EXPECT_FALSE(openSealedSecret("", kKey));
  EXPECT_FALSE(openSealedSecret("not base64!", kKey));
  EXPECT_FALSE(openSealedSecret(std::string(5000, 'A'), kKey));
}

}  // namespace
}  // namespace stratus::auth
