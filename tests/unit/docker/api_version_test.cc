// API version negotiation: the daemon's newest, capped at ours, within both sides' ranges.
#include "docker/api_version.h"

#include <gtest/gtest.h>

namespace stratus::docker {
namespace {

TEST(ApiVersion, Parses) {
  auto version = parseApiVersion("1.41");
  ASSERT_TRUE(version);
  EXPECT_EQ(version->major, 1);
  EXPECT_EQ(version->minor, 41);
  EXPECT_EQ(version->text(), "1.41");
  for (const char* bad : {"", "1", "v1.41", "1.", ".41", "1.x", "1.41.2", "-1.2", "99999.1"}) {
    EXPECT_FALSE(parseApiVersion(bad)) << bad;
  }
}

TEST(ApiVersion, Orders) {
  EXPECT_LT((ApiVersion{1, 9}), (ApiVersion{1, 41}));
  EXPECT_LT((ApiVersion{1, 99}), (ApiVersion{2, 0}));
}

TEST(ApiVersion, UsesTheDaemonsWhenOlderThanOurs) {
  EXPECT_EQ(negotiateApiVersion("1.40", "1.12")->text(), "1.40");
  EXPECT_EQ(negotiateApiVersion("1.41", "1.12")->text(), "1.41");
}

TEST(ApiVersion, CapsANewerDaemonAtOurs) {
  // Docker 28 speaks 1.50 and still accepts 1.24 and up.
  EXPECT_EQ(negotiateApiVersion("1.50", "1.24")->text(), kNewestApiVersion.text());
  EXPECT_EQ(negotiateApiVersion("2.3", "")->text(), kNewestApiVersion.text());
}

TEST(ApiVersion, RefusesDaemonsOutsideOurRange) {
  auto old = negotiateApiVersion("1.39", "1.12");
  ASSERT_FALSE(old);
  EXPECT_EQ(old.error().kind, ErrorKind::unavailable);
  EXPECT_EQ(old.error().code, "docker_api_unsupported");
  EXPECT_NE(old.error().message.find("1.39"), std::string::npos);

  auto tooNew = negotiateApiVersion("1.60", "1.44");
  ASSERT_FALSE(tooNew);
  EXPECT_NE(tooNew.error().message.find("1.44"), std::string::npos);

  EXPECT_FALSE(negotiateApiVersion("", ""));
  EXPECT_FALSE(negotiateApiVersion("garbage", "1.12"));
}

}  // namespace
}  // namespace stratus::docker
