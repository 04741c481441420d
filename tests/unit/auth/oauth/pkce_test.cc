#include "auth/oauth/pkce.h"

#include <gtest/gtest.h>

#include <set>

#include "auth/oauth/base64url.h"
#include "common/crypto.h"

namespace stratus::auth::oauth {
namespace {

// RFC 7636 Appendix B.
TEST(Pkce, MatchesTheRfc7636AppendixBExample) {
  EXPECT_EQ(codeChallengeS256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

TEST(Pkce, VerifiersAreLongUniqueAndUnreservedCharactersOnly) {
  initCrypto();
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    std::string verifier = newCodeVerifier();
    EXPECT_GE(verifier.size(), 43u);
    EXPECT_LE(verifier.size(), 128u);
    EXPECT_EQ(verifier.find_first_not_of(
                  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"),
              std::string::npos);
    EXPECT_TRUE(base64UrlDecode(verifier));
    seen.insert(verifier);
  }
  EXPECT_EQ(seen.size(), 50u);
}

}  // namespace
}  // namespace stratus::auth::oauth
