#include "api/lambda/lambda_target.h"

#include <gtest/gtest.h>

namespace stratus::api::lambda {
namespace {

TEST(LambdaTarget, AnAliasSendsItsWeightedShareToTheAdditionalVersion) {
  store::Alias alias;
  alias.functionVersion = "1";
  EXPECT_EQ(aliasVersionFor(alias, 0.0), "1");
  alias.additionalVersion = "2";
  alias.additionalWeightPpm = 250'000;
  EXPECT_EQ(aliasVersionFor(alias, 0.0), "2");
  EXPECT_EQ(aliasVersionFor(alias, 0.2499), "2");
  EXPECT_EQ(aliasVersionFor(alias, 0.25), "1");
  EXPECT_EQ(aliasVersionFor(alias, 0.9999), "1");
  alias.additionalWeightPpm = 0;
  EXPECT_EQ(aliasVersionFor(alias, 0.0), "1");
}

TEST(LambdaTarget, APublishedVersionRunsItsSnapshot) {
  store::Function function;
  function.id = "f";
  function.runtime = "nodejs20";
  function.handler = "index.handler";
  function.timeoutS = 3;
  function.memoryMb = 128;
  function.env = {{"A", "latest"}};
  function.concurrencyLimit = 5;
  function.executor = "docker";
  function.prewarm = 2;
  function.currentVersion = 9;
  function.updatedAt = 500;
  store::PublishedVersion version{.functionId = "f",
                                  .version = 2,
                                  .codeVersion = 4,
                                  .description = "two",
                                  .runtime = "python3.11",
                                  .handler = "app.handler",
                                  .timeoutS = 30,
                                  .memoryMb = 512,
                                  .env = {{"A", "v2"}},
                                  .createdAt = 300};
  auto snapshot = asPublished(function, version);
  EXPECT_EQ(snapshot.currentVersion, 4);
  EXPECT_EQ(snapshot.runtime, "python3.11");
  EXPECT_EQ(snapshot.handler, "app.handler");
  EXPECT_EQ(snapshot.timeoutS, 30);
  EXPECT_EQ(snapshot.memoryMb, 512);
  EXPECT_EQ(snapshot.env.at("A"), "v2");
  EXPECT_EQ(snapshot.updatedAt, 300);
  EXPECT_EQ(snapshot.prewarm, 0);
  // Not versioned, as on Lambda.
  EXPECT_EQ(snapshot.concurrencyLimit, 5);
  EXPECT_EQ(snapshot.executor, "docker");
}

}  // namespace
}  // namespace stratus::api::lambda
