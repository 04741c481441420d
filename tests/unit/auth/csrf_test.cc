#include "auth/csrf.h"

#include <gtest/gtest.h>

#include "auth/server_secret.h"
#include "common/crypto.h"
#include "testing/temp_dir.h"

namespace stratus::auth {
namespace {

const std::string kKey(32, 'k');

TEST(Csrf, TokenIsBoundToTheSessionAndTheKey) {
  initCrypto();
  std::string token = csrfTokenFor("session-a", kKey);
  EXPECT_TRUE(csrfTokenMatches(token, "session-a", kKey));
  EXPECT_FALSE(csrfTokenMatches(token, "session-b", kKey));
  EXPECT_FALSE(csrfTokenMatches(token, "session-a", std::string(32, 'x')));
  EXPECT_FALSE(csrfTokenMatches("", "session-a", kKey));
  EXPECT_FALSE(csrfTokenMatches(token, "", kKey));
  token[3] = token[3] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(csrfTokenMatches(token, "session-a", kKey));
}

TEST(ServerSecret, IsCreatedOnceOwnerOnlyAndReadBack) {
  initCrypto();
  testing::TempDir dir;
  auto file = dir.path() / "keys" / "secret.key";
  auto first = ServerSecret::loadOrCreate(file);
  ASSERT_TRUE(first) << first.error().describe();
  auto second = ServerSecret::loadOrCreate(file);
  ASSERT_TRUE(second);
  EXPECT_EQ(first->subkey("csrf"), second->subkey("csrf"));
  EXPECT_NE(first->subkey("csrf"), first->subkey("oauth-flow"));
  EXPECT_EQ(first->subkey("csrf").size(), 32u);
  auto perms = std::filesystem::status(file).permissions();
  EXPECT_EQ(perms & std::filesystem::perms::all, std::filesystem::perms::owner_read |
                                                     std::filesystem::perms::owner_write);
}

TEST(ServerSecret, TextFormMustBe32Bytes) {
  initCrypto();
  EXPECT_TRUE(ServerSecret::fromText("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
  EXPECT_FALSE(ServerSecret::fromText("c2hvcnQ"));
  EXPECT_FALSE(ServerSecret::fromText("not base64 at all!"));
}

}  // namespace
}  // namespace stratus::auth
