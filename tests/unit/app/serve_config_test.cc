#include "app/serve_config.h"

#include <gtest/gtest.h>

namespace stratus::app {
namespace {

TEST(ServeConfig, EmbeddedDefaults) {
  auto config = parseServeConfig({});
  ASSERT_TRUE(config);
  EXPECT_EQ(config->host, "127.0.0.1");
  EXPECT_EQ(config->port, 8080);
  EXPECT_EQ(config->storage.databaseFile, "data/stratus.db");
  EXPECT_EQ(config->storage.blobDir, "data/blobs");
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
  EXPECT_EQ(config->storage.databaseFile, "/var/lib/s.db");
  EXPECT_EQ(config->publicUrl, "https://fn.example.com");
  EXPECT_TRUE(config->secureCookies);
}

TEST(ServeConfig, DockerImagesPerRuntime) {
  EXPECT_TRUE(parseServeConfig({})->docker.images.empty());
  auto config = parseServeConfig(withEnvironment(
      {{"docker-image", "python3.11=registry.local:5000/py:3.11"}},
      {{"STRATUS_DOCKER_IMAGES", "nodejs20=ignored/node"}}));
  ASSERT_TRUE(config);
  EXPECT_EQ(config->docker.images,
            (std::map<std::string, std::string>{{"python3.11", "registry.local:5000/py:3.11"}}));
  config = parseServeConfig(withEnvironment({}, {{"STRATUS_DOCKER_IMAGES", "nodejs20=my/node"}}));
  ASSERT_TRUE(config);
  EXPECT_EQ(config->docker.images.at("nodejs20"), "my/node");
  EXPECT_EQ(parseServeConfig({{"docker-image", "python3.11"}}).error().code, "invalid_config");
  EXPECT_EQ(parseServeConfig({{"docker-image", "python3.11=../x"}}).error().code, "invalid_config");
}

TEST(ServeConfig, RefusesWhatItCannotServe) {
  EXPECT_EQ(parseServeConfig({{"listen", "nohost"}}).error().code, "invalid_config");
  EXPECT_EQ(parseServeConfig({{"listen", "h:99999"}}).error().code, "invalid_config");
  EXPECT_EQ(parseServeConfig({{"database", "mysql://x"}}).error().code, "invalid_config");
  EXPECT_EQ(parseServeConfig({{"blobs", "ftp://x"}}).error().code, "invalid_config");
  EXPECT_EQ(parseServeConfig({{"database-pool", "0"}}).error().code, "invalid_config");
  EXPECT_EQ(parseServeConfig({{"max-upload-mb", "0"}}).error().code, "invalid_config");
  EXPECT_EQ(parseServeConfig({{"log-level", "loud"}}).error().code, "invalid_config");
}

TEST(ServeConfig, SelectsPostgresAndS3) {
  auto config = parseServeConfig(withEnvironment(
      {{"blobs", "s3://code-bucket/stratus?path-style=true"}, {"database-pool", "4"}},
      {{"DATABASE_URL", "postgres://u:p@db:5432/stratus"},
       {"AWS_REGION", "eu-west-1"},
       {"AWS_ACCESS_KEY_ID", "AKID"},
       {"AWS_SECRET_ACCESS_KEY", "secret"}}));
  ASSERT_TRUE(config) << config.error().describe();
  EXPECT_EQ(config->storage.postgresUrl, "postgres://u:p@db:5432/stratus");
  EXPECT_EQ(config->storage.databasePool, 4);
  EXPECT_TRUE(config->storage.useS3);
  EXPECT_EQ(config->storage.s3Url, "s3://code-bucket/stratus?path-style=true");
  EXPECT_EQ(config->storage.awsEnv.at("AWS_REGION"), "eu-west-1");
  EXPECT_EQ(config->storage.awsEnv.at("AWS_SECRET_ACCESS_KEY"), "secret");
}

TEST(ServeConfig, APasswordOnTheCommandLineIsRefused) {
  EXPECT_EQ(refuseSecretsInFlags({{"database", "postgres://u:secret@db/stratus"}}).error().code,
            "secret_in_flag");
  EXPECT_EQ(refuseSecretsInFlags({{"database", "postgres://u@db/s?password=secret"}}).error().code,
            "secret_in_flag");
  EXPECT_TRUE(refuseSecretsInFlags({{"database", "postgres://u@db:5432/stratus"}}));
  EXPECT_TRUE(refuseSecretsInFlags({{"database", "sqlite:///var/lib/s.db"}}));
  EXPECT_TRUE(refuseSecretsInFlags({}));
}

TEST(ServeConfig, TheClonesBucketVariableAloneSelectsS3) {
  auto config = parseServeConfig(withEnvironment({}, {{"AWS_S3_BUCKET", "lambda-code"}}));
  ASSERT_TRUE(config);
  EXPECT_TRUE(config->storage.useS3);
  EXPECT_EQ(config->storage.s3Url, "");
  // An explicit folder wins over the bucket variable.
  config = parseServeConfig(
      withEnvironment({{"blobs", "file:///srv/blobs"}}, {{"AWS_S3_BUCKET", "lambda-code"}}));
  ASSERT_TRUE(config);
  EXPECT_FALSE(config->storage.useS3);
  EXPECT_EQ(config->storage.blobDir, "/srv/blobs");
}

}  // namespace
}  // namespace stratus::app

namespace stratus::app {
namespace {

TEST(ServeConfig, WebDirFromFlagOrEnvironment) {
  EXPECT_TRUE(parseServeConfig({})->webDir.empty());
  auto fromEnv = parseServeConfig(withEnvironment({}, {{"STRATUS_WEB_DIR", "site"}}));
  ASSERT_TRUE(fromEnv);
  EXPECT_EQ(fromEnv->webDir, "site");
  auto flagWins = parseServeConfig(withEnvironment({{"web-dir", "dist"}}, {{"STRATUS_WEB_DIR", "site"}}));
  ASSERT_TRUE(flagWins);
  EXPECT_EQ(flagWins->webDir, "dist");
}

}  // namespace
}  // namespace stratus::app
