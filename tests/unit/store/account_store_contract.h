// The MetadataStore contract, account half: password and verification updates, deleting a
// user with everything it owns, one-time tokens and linked provider accounts. Included by
// metadata_store_contract.h; not meant to be included on its own.
#pragma once

namespace stratus::store::contract {

inline OneTimeToken token(const std::string& hash, const std::string& userId,
                          const std::string& kind, int64_t expiresAt) {
  return OneTimeToken{.hash = hash, .userId = userId, .kind = kind, .createdAt = 100,
                      .expiresAt = expiresAt};
}

TEST_P(MetadataStoreContract, SetPasswordHashReplacesAndClears) {
  createAliceAndBob();
  ASSERT_TRUE(store().setPasswordHash("ua", std::string("$argon2id$new")));
  EXPECT_EQ(store().userById("ua")->passwordHash, "$argon2id$new");
  EXPECT_FALSE(store().userById("ub")->passwordHash.has_value());
  ASSERT_TRUE(store().setPasswordHash("ua", std::nullopt));
  EXPECT_FALSE(store().userById("ua")->passwordHash.has_value());
  EXPECT_EQ(kindOf(store().setPasswordHash("nobody", std::string("x"))), ErrorKind::not_found);
}

TEST_P(MetadataStoreContract, MarkEmailVerifiedKeepsTheFirstTime) {
  createAliceAndBob();
  ASSERT_TRUE(store().markEmailVerified("ua", 500));
  ASSERT_TRUE(store().markEmailVerified("ua", 900));
  EXPECT_EQ(store().userById("ua")->emailVerifiedAt, 500);
  EXPECT_FALSE(store().userById("ub")->emailVerifiedAt.has_value());
  EXPECT_EQ(kindOf(store().markEmailVerified("nobody", 1)), ErrorKind::not_found);
}

TEST_P(MetadataStoreContract, DeleteUserRemovesEverythingItOwnsAndNothingElse) {
  createAliceAndBob();
  createFunction("ua", "f1", "hello");
  createFunction("ub", "f2", "hello");
  ASSERT_TRUE(store().recordInvocation(invocation("i1", "f1", 10)));
  ASSERT_TRUE(store().createSession(Session{"sa", "ua", 1, 99999, 1}));
  ASSERT_TRUE(store().createSession(Session{"sb", "ub", 1, 99999, 1}));
  ASSERT_TRUE(store().createApiKey(ApiKey{.id = "ka", .userId = "ua", .name = "k", .hash = "ha",
                                          .prefix = "sk_a", .createdAt = 1}));
  ASSERT_TRUE(store().createToken(token("ta", "ua", "verify", 99999)));
  ASSERT_TRUE(store().linkAccount(LinkedAccount{"github", "1", "ua", 1}));

  ASSERT_TRUE(store().deleteUser("ua"));
  EXPECT_EQ(kindOf(store().userById("ua")), ErrorKind::not_found);
  EXPECT_EQ(kindOf(store().userByEmail("alice@example.com")), ErrorKind::not_found);
  EXPECT_EQ(kindOf(store().sessionByHash("sa")), ErrorKind::not_found);
  EXPECT_EQ(kindOf(store().apiKeyByHash("ha")), ErrorKind::not_found);
  EXPECT_EQ(kindOf(store().consumeToken("ta", "verify", 1)), ErrorKind::not_found);
  EXPECT_EQ(kindOf(store().linkedAccount("github", "1")), ErrorKind::not_found);
  EXPECT_EQ(kindOf(store().functionById("ua", "f1")), ErrorKind::not_found);
  EXPECT_TRUE(store().listVersions("f1")->empty());
  EXPECT_TRUE(store().listInvocations("f1", 10)->empty());
  // Bob is untouched, and the address can sign up again.
  EXPECT_TRUE(store().userById("ub"));
  EXPECT_TRUE(store().sessionByHash("sb"));
  EXPECT_TRUE(store().functionById("ub", "f2"));
  EXPECT_TRUE(store().createUser(user("ua2", "alice@example.com")));
  EXPECT_EQ(kindOf(store().deleteUser("ua")), ErrorKind::not_found);
}

TEST_P(MetadataStoreContract, TokenIsConsumedOnce) {
  createAliceAndBob();
  ASSERT_TRUE(store().createToken(token("t1", "ua", "verify", 5000)));
  auto consumed = store().consumeToken("t1", "verify", 1000);
  ASSERT_TRUE(consumed) << consumed.error().describe();
  EXPECT_EQ(consumed->userId, "ua");
  EXPECT_EQ(consumed->kind, "verify");
  EXPECT_EQ(consumed->usedAt, 1000);
  EXPECT_EQ(codeOf(store().consumeToken("t1", "verify", 1001)), "invalid_token");
}

TEST_P(MetadataStoreContract, ExpiredOrWrongKindTokenIsNotFoundAndStaysUnused) {
  createAliceAndBob();
  ASSERT_TRUE(store().createToken(token("t1", "ua", "reset", 5000)));
  EXPECT_EQ(codeOf(store().consumeToken("t1", "reset", 5000)), "invalid_token");
  EXPECT_EQ(codeOf(store().consumeToken("t1", "verify", 10)), "invalid_token");
  EXPECT_EQ(codeOf(store().consumeToken("unknown", "reset", 10)), "invalid_token");
  // Neither refusal used it up.
  EXPECT_TRUE(store().consumeToken("t1", "reset", 4999));
}

TEST_P(MetadataStoreContract, TokenForUnknownUserIsRefusedAndDuplicateIsConflict) {
  createAliceAndBob();
  EXPECT_EQ(kindOf(store().createToken(token("t1", "nobody", "verify", 5000))),
            ErrorKind::not_found);
  ASSERT_TRUE(store().createToken(token("t1", "ua", "verify", 5000)));
  EXPECT_EQ(kindOf(store().createToken(token("t1", "ub", "verify", 5000))), ErrorKind::conflict);
}

TEST_P(MetadataStoreContract, DeleteTokensForgetsOnlyThatUsersUnusedTokensOfThatKind) {
  createAliceAndBob();
  ASSERT_TRUE(store().createToken(token("r1", "ua", "reset", 5000)));
  ASSERT_TRUE(store().createToken(token("r2", "ua", "reset", 5000)));
  ASSERT_TRUE(store().createToken(token("v1", "ua", "verify", 5000)));
  ASSERT_TRUE(store().createToken(token("r3", "ub", "reset", 5000)));
  ASSERT_TRUE(store().deleteTokens("ua", "reset"));
  EXPECT_EQ(kindOf(store().consumeToken("r1", "reset", 1)), ErrorKind::not_found);
  EXPECT_EQ(kindOf(store().consumeToken("r2", "reset", 1)), ErrorKind::not_found);
  EXPECT_TRUE(store().consumeToken("v1", "verify", 1));
  EXPECT_TRUE(store().consumeToken("r3", "reset", 1));
}

TEST_P(MetadataStoreContract, ConcurrentConsumersGetATokenOnce) {
  createAliceAndBob();
  ASSERT_TRUE(store().createToken(token("t1", "ua", "reset", 5000)));
  std::atomic<int> winners{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&] {
      if (store().consumeToken("t1", "reset", 100)) ++winners;
    });
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(winners.load(), 1);
}

TEST_P(MetadataStoreContract, LinkedAccountRoundTripsAndIsUnique) {
  createAliceAndBob();
  ASSERT_TRUE(store().linkAccount(LinkedAccount{"github", "42", "ua", 7}));
  auto link = store().linkedAccount("github", "42");
  ASSERT_TRUE(link);
  EXPECT_EQ(link->userId, "ua");
  EXPECT_EQ(link->createdAt, 7);
  EXPECT_EQ(codeOf(store().linkedAccount("google", "42")), "account_not_linked");
  EXPECT_EQ(codeOf(store().linkAccount(LinkedAccount{"github", "42", "ub", 8})), "account_linked");
  EXPECT_EQ(kindOf(store().linkAccount(LinkedAccount{"google", "9", "nobody", 8})),
            ErrorKind::not_found);
  // One user may link several providers.
  EXPECT_TRUE(store().linkAccount(LinkedAccount{"google", "abc", "ua", 9}));
}

}  // namespace stratus::store::contract
