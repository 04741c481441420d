#include "app/serve_config.h"

#include <gtest/gtest.h>

namespace stratus::app {
namespace {

TEST(ServeConfig, EmbeddedDefaults) {
  auto config = parseServeConfig({});
  ASSERT_TRUE(config);
  EXPECT_EQ(config->host, "127.0.0.1");
  EXPECT_EQ(config->port, 8080);
  EXPECT_EQ(config->databaseFile, "data/stratus.db");
  EXPECT_EQ(config->blobDir, "data/blobs");
  EXPECT_EQ(config->maxUploadBytes, 50u << 20);
  EXPECT_EQ(config->maxInvokeBytes, 6u << 20);
  EXPECT_EQ(config->publicUrl, "http://127.0.0.1:8080");
}

TEST(ServeConfig, FlagsBeatEnvironment) {
  auto settings = withEnvironment({{"listen", "0.0.0.0:9000"}},
                                  {{"STRATUS_LISTEN", "1.2.3.4:1"},
                                   {"DATABASE_URL", "sqlite:///var/lib/s.db"},
                                   {"NEXT_PUBLIC_BASE_URL", "https://fn.example.com/"}});
  auto config = parseServeConfig(settings);
  ASSERT_TRUE(config);
  EXPECT_EQ(config->port, 9000);
  EXPECT_EQ(config->databaseFile, "/var/lib/s.db");
  EXPECT_EQ(config->publicUrl, "https://fn.example.com");
  EXPECT_TRUE(config->secureCookies);
}

TEST(ServeConfig, RefusesWhatItCannotServe) {
  EXPECT_EQ(parseServeConfig({{"listen", "nohost"}}).error().code, "invalid_config");
  EXPECT_EQ(parseServeConfig({{"listen", "h:99999"}}).error().code, "invalid_config");
  EXPECT_EQ(parseServeConfig({{"database", "mysql://x"}}).error().code, "invalid_config");
  EXPECT_EQ(parseServeConfig({{"database", "postgres://u@h/db"}}).error().code,
            "unsupported_database");
  EXPECT_EQ(parseServeConfig({{"max-upload-mb", "0"}}).error().code, "invalid_config");
  EXPECT_EQ(parseServeConfig({{"log-level", "loud"}}).error().code, "invalid_config");
}

}  // namespace
}  // namespace stratus::app
