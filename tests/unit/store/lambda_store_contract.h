// The MetadataStore contract, Lambda half: published versions, aliases and function URLs.
// Included by metadata_store_contract.h; not meant to be included on its own.
#pragma once

namespace stratus::store::contract {

inline PublishedVersion snapshot(const std::string& functionId, int codeVersion,
                                 const std::string& description) {
  return PublishedVersion{.functionId = functionId,
                          .codeVersion = codeVersion,
                          .description = description,
                          .runtime = "python3.11",
                          .handler = "app.handler",
                          .timeoutS = 7,
                          .memoryMb = 256,
                          .env = {{"A", description}},
                          .createdAt = 5000 + codeVersion};
}

TEST_P(MetadataStoreContract, PublishedVersionsNumberUpAndKeepTheirSnapshot) {
  createAliceAndBob();
  createFunction("ua", "f1", "hello");
  ASSERT_TRUE(store().addVersion("ua", version("f1", 2, "sha-2")));
  auto first = store().publishVersion(snapshot("f1", 1, "one"));
  ASSERT_TRUE(first) << first.error().describe();
  EXPECT_EQ(first->version, 1);
  auto second = store().publishVersion(snapshot("f1", 2, "two"));
  ASSERT_TRUE(second);
  EXPECT_EQ(second->version, 2);
  auto read = store().publishedVersion("f1", 2);
  ASSERT_TRUE(read) << read.error().describe();
  EXPECT_EQ(read->codeVersion, 2);
  EXPECT_EQ(read->description, "two");
  EXPECT_EQ(read->timeoutS, 7);
  EXPECT_EQ(read->memoryMb, 256);
  EXPECT_EQ(read->env.at("A"), "two");
  EXPECT_EQ(read->createdAt, 5002);
  auto all = store().listPublishedVersions("f1");
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].version, 1);
  EXPECT_EQ(kindOf(store().publishedVersion("f1", 3)), ErrorKind::not_found);
  // Only code the function has can be published.
  EXPECT_EQ(kindOf(store().publishVersion(snapshot("f1", 9, "nine"))), ErrorKind::not_found);
  EXPECT_EQ(store().listPublishedVersions("f1")->size(), 2u);
}

TEST_P(MetadataStoreContract, AliasesAreUniquePerFunctionAndUpdatable) {
  createAliceAndBob();
  createFunction("ua", "f1", "hello");
  createFunction("ua", "f2", "other");
  Alias live{.functionId = "f1", .name = "live", .functionVersion = "1", .description = "d",
             .additionalVersion = "2", .additionalWeightPpm = 250000, .revisionId = "r1",
             .createdAt = 10, .updatedAt = 10};
  ASSERT_TRUE(store().createAlias(live));
  EXPECT_EQ(kindOf(store().createAlias(live)), ErrorKind::conflict);
  Alias other = live;
  other.functionId = "f2";
  ASSERT_TRUE(store().createAlias(other));  // the same name on another function
  Alias beta = live;
  beta.name = "beta";
  beta.additionalVersion.reset();
  beta.additionalWeightPpm = 0;
  ASSERT_TRUE(store().createAlias(beta));

  auto read = store().alias("f1", "live");
  ASSERT_TRUE(read) << read.error().describe();
  EXPECT_EQ(read->additionalVersion, "2");
  EXPECT_EQ(read->additionalWeightPpm, 250000);
  live.functionVersion = "2";
  live.additionalVersion.reset();
  live.additionalWeightPpm = 0;
  live.revisionId = "r2";
  live.updatedAt = 20;
  ASSERT_TRUE(store().updateAlias(live));
  read = store().alias("f1", "live");
  EXPECT_EQ(read->functionVersion, "2");
  EXPECT_FALSE(read->additionalVersion.has_value());
  EXPECT_EQ(read->revisionId, "r2");
  EXPECT_EQ(read->createdAt, 10);

  auto listed = store().listAliases("f1");
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].name, "beta");
  ASSERT_TRUE(store().deleteAlias("f1", "beta"));
  EXPECT_EQ(kindOf(store().deleteAlias("f1", "beta")), ErrorKind::not_found);
  EXPECT_EQ(kindOf(store().alias("f1", "beta")), ErrorKind::not_found);
  Alias ghost = live;
  ghost.name = "ghost";
  EXPECT_EQ(kindOf(store().updateAlias(ghost)), ErrorKind::not_found);
  ghost.functionId = "missing";
  EXPECT_EQ(kindOf(store().createAlias(ghost)), ErrorKind::not_found);
}

TEST_P(MetadataStoreContract, FunctionUrlsAreOnePerQualifierAndFoundById) {
  createAliceAndBob();
  createFunction("ua", "f1", "hello");
  FunctionUrl open{.id = "url1", .functionId = "f1", .userId = "ua", .qualifier = "",
                   .authType = "NONE", .cors = R"({"AllowOrigins":["*"]})", .createdAt = 1,
                   .updatedAt = 2};
  ASSERT_TRUE(store().createFunctionUrl(open));
  FunctionUrl again = open;
  again.id = "url2";
  EXPECT_EQ(kindOf(store().createFunctionUrl(again)), ErrorKind::conflict);
  again.qualifier = "live";
  again.authType = "AWS_IAM";
  ASSERT_TRUE(store().createFunctionUrl(again));
  auto byId = store().functionUrlById("url2");
  ASSERT_TRUE(byId) << byId.error().describe();
  EXPECT_EQ(byId->functionId, "f1");
  EXPECT_EQ(byId->userId, "ua");
  EXPECT_EQ(byId->authType, "AWS_IAM");
  auto byFunction = store().functionUrl("f1", "");
  ASSERT_TRUE(byFunction);
  EXPECT_EQ(byFunction->cors, open.cors);
  EXPECT_EQ(byFunction->updatedAt, 2);
  FunctionUrl bad = open;
  bad.id = "url3";
  bad.qualifier = "x";
  bad.authType = "MAGIC";  // the schema knows the two AuthTypes
  EXPECT_FALSE(store().createFunctionUrl(bad));
  ASSERT_TRUE(store().deleteFunctionUrl("f1", ""));
  EXPECT_EQ(kindOf(store().functionUrlById("url1")), ErrorKind::not_found);
  EXPECT_EQ(kindOf(store().deleteFunctionUrl("f1", "")), ErrorKind::not_found);
}

TEST_P(MetadataStoreContract, DeletingAFunctionTakesItsVersionsAliasesAndUrls) {
  createAliceAndBob();
  createFunction("ua", "f1", "hello");
  ASSERT_TRUE(store().publishVersion(snapshot("f1", 1, "one")));
  ASSERT_TRUE(store().createAlias(Alias{.functionId = "f1", .name = "live",
                                        .functionVersion = "1", .revisionId = "r"}));
  ASSERT_TRUE(store().createFunctionUrl(FunctionUrl{.id = "u1", .functionId = "f1",
                                                    .userId = "ua", .authType = "NONE"}));
  ASSERT_TRUE(store().deleteFunction("ua", "f1"));
  EXPECT_TRUE(store().listPublishedVersions("f1")->empty());
  EXPECT_TRUE(store().listAliases("f1")->empty());
  EXPECT_EQ(kindOf(store().functionUrlById("u1")), ErrorKind::not_found);
  // And deleting the account takes the rest of a user's (ON DELETE CASCADE).
  createFunction("ub", "f2", "hello");
  ASSERT_TRUE(store().publishVersion(snapshot("f2", 1, "one")));
  ASSERT_TRUE(store().createFunctionUrl(FunctionUrl{.id = "u2", .functionId = "f2",
                                                    .userId = "ub", .authType = "NONE"}));
  ASSERT_TRUE(store().deleteUser("ub"));
  EXPECT_EQ(kindOf(store().functionUrlById("u2")), ErrorKind::not_found);
  EXPECT_TRUE(store().listPublishedVersions("f2")->empty());
}

}  // namespace stratus::store::contract
