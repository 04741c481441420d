// The MetadataStore contract: every implementation runs these tests unchanged.
//
// Include this header from exactly one .cc per test binary and instantiate it there with a
// factory that returns a fresh, empty store for each test:
//
//   INSTANTIATE_TEST_SUITE_P(Postgres, MetadataStoreContract,
//                            ::testing::Values(MetadataStoreFactory([] { return ...; })));
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "store/metadata_store.h"

namespace stratus::store::contract {

using MetadataStoreFactory = std::function<MetadataStorePtr()>;

class MetadataStoreContract : public ::testing::TestWithParam<MetadataStoreFactory> {
 protected:
  void SetUp() override {
    store_ = GetParam()();
    // A factory whose backend is missing here (no PostgreSQL) skips with the reason.
    if (IsSkipped()) return;
    ASSERT_NE(store_, nullptr);
  }

  MetadataStore& store() { return *store_; }

  static User user(const std::string& id, const std::string& email) {
    return User{.id = id, .email = email, .name = "Name of " + id, .createdAt = 1000};
  }
  static Function function(const std::string& userId, const std::string& id,
                           const std::string& name) {
    Function f;
    f.id = id;
    f.userId = userId;
    f.name = name;
    f.description = "does " + name;
    f.runtime = "python3.11";
    f.handler = "cloud.main";
    f.createdAt = 2000;
    f.updatedAt = 2000;
    return f;
  }
  static FunctionVersion version(const std::string& functionId, int number,
                                 const std::string& sha256) {
    return FunctionVersion{.functionId = functionId,
                           .version = number,
                           .codeSha256 = sha256,
                           .codeSize = 100 + number,
                           .blobKey = "users/u/functions/" + functionId + "/" + sha256 + ".zip",
                           .createdAt = 2000 + number};
  }
  static Invocation invocation(const std::string& id, const std::string& functionId,
                               int64_t startedAt) {
    Invocation i;
    i.id = id;
    i.functionId = functionId;
    i.version = 1;
    i.executor = "sandbox";
    i.startedAt = startedAt;
    i.durationMs = 12;
    i.status = "ok";
    return i;
  }

  // A user "alice" (id ua) and "bob" (id ub), each with nothing else.
  void createAliceAndBob() {
    ASSERT_TRUE(store().createUser(user("ua", "alice@example.com")));
    ASSERT_TRUE(store().createUser(user("ub", "bob@example.com")));
  }
  void createFunction(const std::string& userId, const std::string& id, const std::string& name,
                      const std::string& sha256 = "sha-1") {
    ASSERT_TRUE(store().createFunction(function(userId, id, name), version(id, 1, sha256)));
  }

  MetadataStorePtr store_;
};

template <class T>
ErrorKind kindOf(const Result<T>& result) {
  EXPECT_FALSE(result.has_value());
  return result ? ErrorKind::internal : result.error().kind;
}
template <class T>
std::string codeOf(const Result<T>& result) {
  return result ? std::string("<success>") : result.error().code;
}

// ---- Users

TEST_P(MetadataStoreContract, UserRoundTripsByIdAndEmail) {
  User alice = user("ua", "alice@example.com");
  alice.passwordHash = "$argon2id$v=19$hash";
  alice.emailVerifiedAt = 1234;
  ASSERT_TRUE(store().createUser(alice));
  ASSERT_TRUE(store().createUser(user("ub", "bob@example.com")));

  auto byId = store().userById("ua");
  ASSERT_TRUE(byId) << byId.error().describe();
  EXPECT_EQ(byId->id, "ua");
  EXPECT_EQ(byId->email, "alice@example.com");
  EXPECT_EQ(byId->name, "Name of ua");
  EXPECT_EQ(byId->passwordHash, alice.passwordHash);
  EXPECT_EQ(byId->emailVerifiedAt, 1234);
  EXPECT_EQ(byId->createdAt, 1000);

  auto byEmail = store().userByEmail("bob@example.com");
  ASSERT_TRUE(byEmail);
  EXPECT_EQ(byEmail->id, "ub");
  EXPECT_FALSE(byEmail->passwordHash.has_value());
  EXPECT_FALSE(byEmail->emailVerifiedAt.has_value());
}

TEST_P(MetadataStoreContract, MissingUserIsNotFound) {
  EXPECT_EQ(kindOf(store().userById("nobody")), ErrorKind::not_found);
  EXPECT_EQ(kindOf(store().userByEmail("nobody@example.com")), ErrorKind::not_found);
}

TEST_P(MetadataStoreContract, DuplicateEmailIsConflictAndChangesNothing) {
  ASSERT_TRUE(store().createUser(user("ua", "alice@example.com")));
  User impostor = user("ux", "alice@example.com");
  impostor.name = "Impostor";
  auto created = store().createUser(impostor);
  EXPECT_EQ(kindOf(created), ErrorKind::conflict);
  EXPECT_EQ(codeOf(created), "email_taken");
  EXPECT_EQ(store().userByEmail("alice@example.com")->name, "Name of ua");
  EXPECT_EQ(kindOf(store().userById("ux")), ErrorKind::not_found);
}

TEST_P(MetadataStoreContract, DuplicateUserIdIsConflict) {
  ASSERT_TRUE(store().createUser(user("ua", "alice@example.com")));
  EXPECT_EQ(kindOf(store().createUser(user("ua", "other@example.com"))), ErrorKind::conflict);
  EXPECT_EQ(kindOf(store().userByEmail("other@example.com")), ErrorKind::not_found);
}

// ---- Sessions

TEST_P(MetadataStoreContract, SessionRoundTripsExpiryFields) {
  createAliceAndBob();
  const Session session{.idHash = "hash-1",
                        .userId = "ua",
                        .createdAt = 1'700'000'000'000,
                        .expiresAt = 1'700'000'000'000 + 30LL * 24 * 3600 * 1000,
                        .lastSeen = 1'700'000'000'500};
  ASSERT_TRUE(store().createSession(session));
  auto found = store().sessionByHash("hash-1");
  ASSERT_TRUE(found) << found.error().describe();
  EXPECT_EQ(found->idHash, "hash-1");
  EXPECT_EQ(found->userId, "ua");
  EXPECT_EQ(found->createdAt, session.createdAt);
  EXPECT_EQ(found->expiresAt, session.expiresAt);
  EXPECT_EQ(found->lastSeen, session.lastSeen);
  EXPECT_EQ(kindOf(store().sessionByHash("hash-2")), ErrorKind::not_found);
}

TEST_P(MetadataStoreContract, TouchSessionMovesLastSeenOnly) {
  createAliceAndBob();
  ASSERT_TRUE(store().createSession({"h", "ua", 10, 1000, 10}));
  ASSERT_TRUE(store().touchSession("h", 500));
  auto found = store().sessionByHash("h");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->lastSeen, 500);
  EXPECT_EQ(found->expiresAt, 1000);
  EXPECT_EQ(found->createdAt, 10);
  EXPECT_EQ(kindOf(store().touchSession("missing", 500)), ErrorKind::not_found);
}

TEST_P(MetadataStoreContract, DeleteSessionIsIdempotent) {
  createAliceAndBob();
  ASSERT_TRUE(store().createSession({"h", "ua", 10, 1000, 10}));
  ASSERT_TRUE(store().deleteSession("h"));
  EXPECT_EQ(kindOf(store().sessionByHash("h")), ErrorKind::not_found);
  EXPECT_TRUE(store().deleteSession("h"));
}

TEST_P(MetadataStoreContract, DeleteUserSessionsKeepsOtherUsers) {
  createAliceAndBob();
  ASSERT_TRUE(store().createSession({"a1", "ua", 10, 1000, 10}));
  ASSERT_TRUE(store().createSession({"a2", "ua", 10, 1000, 10}));
  ASSERT_TRUE(store().createSession({"b1", "ub", 10, 1000, 10}));
  ASSERT_TRUE(store().deleteUserSessions("ua"));
  EXPECT_EQ(kindOf(store().sessionByHash("a1")), ErrorKind::not_found);
  EXPECT_EQ(kindOf(store().sessionByHash("a2")), ErrorKind::not_found);
  EXPECT_TRUE(store().sessionByHash("b1"));
  EXPECT_TRUE(store().deleteUserSessions("nobody"));
}

TEST_P(MetadataStoreContract, SessionOfUnknownUserIsRefused) {
  EXPECT_FALSE(store().createSession({"h", "nobody", 10, 1000, 10}));
  EXPECT_EQ(kindOf(store().sessionByHash("h")), ErrorKind::not_found);
}

TEST_P(MetadataStoreContract, DuplicateSessionIsConflict) {
  createAliceAndBob();
  ASSERT_TRUE(store().createSession({"h", "ua", 10, 1000, 10}));
  EXPECT_EQ(kindOf(store().createSession({"h", "ub", 20, 2000, 20})), ErrorKind::conflict);
  EXPECT_EQ(store().sessionByHash("h")->userId, "ua");
}

// ---- API keys

inline ApiKey apiKey(const std::string& id, const std::string& userId, int64_t createdAt) {
  return ApiKey{.id = id,
                .userId = userId,
                .name = "key " + id,
                .hash = "hash-of-" + id,
                .prefix = "sk_" + id.substr(0, 2),
                .createdAt = createdAt};
}

TEST_P(MetadataStoreContract, ApiKeyRoundTrips) {
  createAliceAndBob();
  ASSERT_TRUE(store().createApiKey(apiKey("k1", "ua", 100)));
  auto found = store().apiKeyByHash("hash-of-k1");
  ASSERT_TRUE(found) << found.error().describe();
  EXPECT_EQ(found->id, "k1");
  EXPECT_EQ(found->userId, "ua");
  EXPECT_EQ(found->name, "key k1");
  EXPECT_EQ(found->prefix, "sk_k1");
  EXPECT_EQ(found->createdAt, 100);
  EXPECT_FALSE(found->lastUsedAt.has_value());
  EXPECT_FALSE(found->revokedAt.has_value());
  EXPECT_EQ(kindOf(store().apiKeyByHash("hash-of-nothing")), ErrorKind::not_found);
}

TEST_P(MetadataStoreContract, ApiKeyByIdCarriesItsSealedSecret) {
  createAliceAndBob();
  ApiKey sealed = apiKey("k1", "ua", 100);
  sealed.sealedSecret = "c2VhbGVk";
  ASSERT_TRUE(store().createApiKey(sealed));
  ASSERT_TRUE(store().createApiKey(apiKey("k2", "ua", 200)));
  auto found = store().apiKeyById("k1");
  ASSERT_TRUE(found) << found.error().describe();
  EXPECT_EQ(found->hash, "hash-of-k1");
  EXPECT_EQ(found->sealedSecret, "c2VhbGVk");
  EXPECT_EQ(store().apiKeyByHash("hash-of-k1")->sealedSecret, "c2VhbGVk");
  EXPECT_FALSE(store().apiKeyById("k2")->sealedSecret.has_value());
  EXPECT_EQ(kindOf(store().apiKeyById("missing")), ErrorKind::not_found);
  ASSERT_TRUE(store().revokeApiKey("ua", "k1", 300));
  EXPECT_EQ(kindOf(store().apiKeyById("k1")), ErrorKind::not_found);
}

TEST_P(MetadataStoreContract, ListApiKeysIsPerUserOldestFirst) {
  createAliceAndBob();
  ASSERT_TRUE(store().createApiKey(apiKey("k2", "ua", 200)));
  ASSERT_TRUE(store().createApiKey(apiKey("k1", "ua", 100)));
  ASSERT_TRUE(store().createApiKey(apiKey("k3", "ub", 50)));
  auto keys = store().listApiKeys("ua");
  ASSERT_TRUE(keys);
  ASSERT_EQ(keys->size(), 2u);
  EXPECT_EQ((*keys)[0].id, "k1");
  EXPECT_EQ((*keys)[1].id, "k2");
  EXPECT_TRUE(store().listApiKeys("nobody")->empty());
}

TEST_P(MetadataStoreContract, RevokedKeyIsNotFoundByHashButStillListed) {
  createAliceAndBob();
  ASSERT_TRUE(store().createApiKey(apiKey("k1", "ua", 100)));
  ASSERT_TRUE(store().revokeApiKey("ua", "k1", 999));
  EXPECT_EQ(kindOf(store().apiKeyByHash("hash-of-k1")), ErrorKind::not_found);
  auto keys = store().listApiKeys("ua");
  ASSERT_TRUE(keys);
  ASSERT_EQ(keys->size(), 1u);
  EXPECT_EQ((*keys)[0].revokedAt, 999);
  // Revoking twice is not_found, and does not move the revocation time.
  EXPECT_EQ(kindOf(store().revokeApiKey("ua", "k1", 2000)), ErrorKind::not_found);
  EXPECT_EQ((*store().listApiKeys("ua"))[0].revokedAt, 999);
}

TEST_P(MetadataStoreContract, OtherUserCannotRevokeAKey) {
  createAliceAndBob();
  ASSERT_TRUE(store().createApiKey(apiKey("k1", "ua", 100)));
  EXPECT_EQ(kindOf(store().revokeApiKey("ub", "k1", 999)), ErrorKind::not_found);
  EXPECT_TRUE(store().apiKeyByHash("hash-of-k1"));
  EXPECT_EQ(kindOf(store().revokeApiKey("ua", "missing", 999)), ErrorKind::not_found);
}

TEST_P(MetadataStoreContract, TouchApiKeyRecordsLastUse) {
  createAliceAndBob();
  ASSERT_TRUE(store().createApiKey(apiKey("k1", "ua", 100)));
  ASSERT_TRUE(store().touchApiKey("k1", 555));
  EXPECT_EQ(store().apiKeyByHash("hash-of-k1")->lastUsedAt, 555);
  EXPECT_EQ(kindOf(store().touchApiKey("missing", 555)), ErrorKind::not_found);
}

TEST_P(MetadataStoreContract, DuplicateApiKeyHashIsConflict) {
  createAliceAndBob();
  ASSERT_TRUE(store().createApiKey(apiKey("k1", "ua", 100)));
  ApiKey copy = apiKey("k2", "ub", 100);
  copy.hash = "hash-of-k1";
  EXPECT_EQ(kindOf(store().createApiKey(copy)), ErrorKind::conflict);
  EXPECT_EQ(store().apiKeyByHash("hash-of-k1")->userId, "ua");
  EXPECT_TRUE(store().listApiKeys("ub")->empty());
}

// ---- Functions

TEST_P(MetadataStoreContract, FunctionRoundTripsEveryField) {
  createAliceAndBob();
  Function f = function("ua", "f1", "hello");
  f.mode = "handler";
  f.executor = "docker";
  f.timeoutS = 30;
  f.memoryMb = 512;
  f.env = {{"GREETING", "hi \"there\"\n"}, {"EMPTY", ""}, {"UNICODE", "h\xc3\xa9"}};
  f.isPublic = true;
  f.concurrencyLimit = 7;
  f.prewarm = 2;
  ASSERT_TRUE(store().createFunction(f, version("f1", 1, "sha-1")));

  auto found = store().functionById("ua", "f1");
  ASSERT_TRUE(found) << found.error().describe();
  EXPECT_EQ(found->id, "f1");
  EXPECT_EQ(found->userId, "ua");
  EXPECT_EQ(found->name, "hello");
  EXPECT_EQ(found->description, "does hello");
  EXPECT_EQ(found->runtime, "python3.11");
  EXPECT_EQ(found->handler, "cloud.main");
  EXPECT_EQ(found->mode, "handler");
  EXPECT_EQ(found->executor, "docker");
  EXPECT_EQ(found->timeoutS, 30);
  EXPECT_EQ(found->memoryMb, 512);
  EXPECT_EQ(found->env, f.env);
  EXPECT_TRUE(found->isPublic);
  EXPECT_EQ(found->concurrencyLimit, 7);
  EXPECT_EQ(found->prewarm, 2);
  EXPECT_EQ(found->currentVersion, 1);
  EXPECT_EQ(found->createdAt, 2000);
  EXPECT_EQ(found->updatedAt, 2000);

  auto byName = store().functionByName("ua", "hello");
  ASSERT_TRUE(byName);
  EXPECT_EQ(byName->id, "f1");
  EXPECT_FALSE(store().functionByName("ua", "hello")->env.empty());
}

TEST_P(MetadataStoreContract, FunctionDefaultsRoundTrip) {
  createAliceAndBob();
  createFunction("ua", "f1", "hello");
  auto found = store().functionById("ua", "f1");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->mode, "script");
  EXPECT_EQ(found->executor, "sandbox");
  EXPECT_TRUE(found->env.empty());
  EXPECT_FALSE(found->isPublic);
  EXPECT_FALSE(found->concurrencyLimit.has_value());
  EXPECT_EQ(found->prewarm, 0);
}

TEST_P(MetadataStoreContract, CreateFunctionWritesTheFirstVersion) {
  createAliceAndBob();
  createFunction("ua", "f1", "hello", "sha-a");
  auto first = store().functionVersion("f1", 1);
  ASSERT_TRUE(first) << first.error().describe();
  EXPECT_EQ(first->functionId, "f1");
  EXPECT_EQ(first->version, 1);
  EXPECT_EQ(first->codeSha256, "sha-a");
  EXPECT_EQ(first->codeSize, 101);
  EXPECT_EQ(first->blobKey, "users/u/functions/f1/sha-a.zip");
  EXPECT_EQ(first->createdAt, 2001);
  EXPECT_EQ(store().listVersions("f1")->size(), 1u);
}

// The original product overwrote the existing function's code when a second upload used
// the same name. A duplicate must fail and leave everything as it was.
TEST_P(MetadataStoreContract, DuplicateFunctionNameIsConflictAndLeavesTheOriginalUntouched) {
  createAliceAndBob();
  createFunction("ua", "f1", "hello", "sha-original");
  Function second = function("ua", "f2", "hello");
  second.description = "the second upload";
  auto created = store().createFunction(second, version("f2", 1, "sha-new"));
  EXPECT_EQ(kindOf(created), ErrorKind::conflict);
  EXPECT_EQ(codeOf(created), "function_exists");

  auto original = store().functionByName("ua", "hello");
  ASSERT_TRUE(original);
  EXPECT_EQ(original->id, "f1");
  EXPECT_EQ(original->description, "does hello");
  EXPECT_EQ(original->currentVersion, 1);
  auto versions = store().listVersions("f1");
  ASSERT_TRUE(versions);
  ASSERT_EQ(versions->size(), 1u);
  EXPECT_EQ((*versions)[0].codeSha256, "sha-original");
  // Nothing of the failed attempt remains, not even its version row.
  EXPECT_EQ(kindOf(store().functionById("ua", "f2")), ErrorKind::not_found);
  EXPECT_TRUE(store().listVersions("f2")->empty());
  EXPECT_EQ(store().listFunctions("ua")->size(), 1u);
}

TEST_P(MetadataStoreContract, DuplicateFunctionIdIsConflict) {
  createAliceAndBob();
  createFunction("ua", "f1", "hello", "sha-original");
  auto created = store().createFunction(function("ub", "f1", "other"), version("f1", 1, "x"));
  EXPECT_EQ(kindOf(created), ErrorKind::conflict);
  EXPECT_EQ(store().functionVersion("f1", 1)->codeSha256, "sha-original");
  EXPECT_TRUE(store().listFunctions("ub")->empty());
}

TEST_P(MetadataStoreContract, SameFunctionNameForDifferentUsersIsFine) {
  createAliceAndBob();
  createFunction("ua", "f1", "hello");
  createFunction("ub", "f2", "hello");
  EXPECT_EQ(store().functionByName("ua", "hello")->id, "f1");
  EXPECT_EQ(store().functionByName("ub", "hello")->id, "f2");
}

TEST_P(MetadataStoreContract, CreateFunctionRejectsAMismatchedFirstVersion) {
  createAliceAndBob();
  EXPECT_FALSE(store().createFunction(function("ua", "f1", "hello"), version("f9", 1, "x")));
  EXPECT_FALSE(store().createFunction(function("ua", "f1", "hello"), version("f1", 2, "x")));
  EXPECT_EQ(kindOf(store().functionById("ua", "f1")), ErrorKind::not_found);
  EXPECT_TRUE(store().listVersions("f1")->empty());
}

TEST_P(MetadataStoreContract, CreateFunctionForUnknownUserIsRefused) {
  EXPECT_FALSE(store().createFunction(function("nobody", "f1", "hello"), version("f1", 1, "x")));
  EXPECT_TRUE(store().listVersions("f1")->empty());
}

TEST_P(MetadataStoreContract, OtherUserCannotReachAFunction) {
  createAliceAndBob();
  createFunction("ua", "f1", "hello", "sha-a");
  EXPECT_EQ(kindOf(store().functionById("ub", "f1")), ErrorKind::not_found);
  EXPECT_EQ(kindOf(store().functionByName("ub", "hello")), ErrorKind::not_found);
  EXPECT_TRUE(store().listFunctions("ub")->empty());

  Function hijack = function("ub", "f1", "hijacked");
  EXPECT_EQ(kindOf(store().updateFunction(hijack)), ErrorKind::not_found);
  EXPECT_EQ(kindOf(store().addVersion("ub", version("f1", 2, "sha-evil"))), ErrorKind::not_found);
  EXPECT_EQ(kindOf(store().deleteFunction("ub", "f1")), ErrorKind::not_found);

  auto unchanged = store().functionById("ua", "f1");
  ASSERT_TRUE(unchanged);
  EXPECT_EQ(unchanged->name, "hello");
  EXPECT_EQ(unchanged->currentVersion, 1);
  EXPECT_EQ(store().listVersions("f1")->size(), 1u);
}

TEST_P(MetadataStoreContract, ListFunctionsIsPerUserByName) {
  createAliceAndBob();
  createFunction("ua", "f1", "zeta");
  createFunction("ua", "f2", "alpha");
  createFunction("ub", "f3", "beta");
  auto listed = store().listFunctions("ua");
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].name, "alpha");
  EXPECT_EQ((*listed)[1].name, "zeta");
  EXPECT_TRUE(store().listFunctions("nobody")->empty());
}

TEST_P(MetadataStoreContract, MissingFunctionIsNotFound) {
  createAliceAndBob();
  EXPECT_EQ(kindOf(store().functionById("ua", "nope")), ErrorKind::not_found);
  EXPECT_EQ(kindOf(store().functionByName("ua", "nope")), ErrorKind::not_found);
  EXPECT_EQ(kindOf(store().updateFunction(function("ua", "nope", "x"))), ErrorKind::not_found);
  EXPECT_EQ(kindOf(store().addVersion("ua", version("nope", 2, "x"))), ErrorKind::not_found);
  EXPECT_EQ(kindOf(store().deleteFunction("ua", "nope")), ErrorKind::not_found);
  EXPECT_EQ(kindOf(store().functionVersion("nope", 1)), ErrorKind::not_found);
  EXPECT_TRUE(store().listVersions("nope")->empty());
}

TEST_P(MetadataStoreContract, UpdateFunctionChangesConfigurationOnly) {
  createAliceAndBob();
  createFunction("ua", "f1", "hello");
  ASSERT_TRUE(store().addVersion("ua", version("f1", 2, "sha-2")));

  Function changed = function("ua", "f1", "renamed");
  changed.description = "new description";
  changed.runtime = "nodejs20";
  changed.handler = "index.handler";
  changed.mode = "handler";
  changed.executor = "nanos";
  changed.timeoutS = 60;
  changed.memoryMb = 1024;
  changed.env = {{"A", "1"}};
  changed.isPublic = true;
  changed.concurrencyLimit = 3;
  changed.prewarm = 3;
  changed.currentVersion = 99;  // ignored: versions move only through addVersion
  changed.createdAt = 1;        // ignored
  changed.updatedAt = 9000;
  ASSERT_TRUE(store().updateFunction(changed));

  auto found = store().functionById("ua", "f1");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->name, "renamed");
  EXPECT_EQ(found->description, "new description");
  EXPECT_EQ(found->runtime, "nodejs20");
  EXPECT_EQ(found->handler, "index.handler");
  EXPECT_EQ(found->mode, "handler");
  EXPECT_EQ(found->executor, "nanos");
  EXPECT_EQ(found->timeoutS, 60);
  EXPECT_EQ(found->memoryMb, 1024);
  EXPECT_EQ(found->env, changed.env);
  EXPECT_TRUE(found->isPublic);
  EXPECT_EQ(found->concurrencyLimit, 3);
  EXPECT_EQ(found->prewarm, 3);
  EXPECT_EQ(found->currentVersion, 2);
  EXPECT_EQ(found->createdAt, 2000);
  EXPECT_EQ(found->updatedAt, 9000);
  EXPECT_EQ(kindOf(store().functionByName("ua", "hello")), ErrorKind::not_found);

  // And back to no limit, nothing kept warm.
  changed.concurrencyLimit.reset();
  changed.prewarm = 0;
  ASSERT_TRUE(store().updateFunction(changed));
  EXPECT_FALSE(store().functionById("ua", "f1")->concurrencyLimit.has_value());
  EXPECT_EQ(store().functionById("ua", "f1")->prewarm, 0);
}

TEST_P(MetadataStoreContract, FunctionsToPrewarmSpansUsersAndSkipsTheRest) {
  createAliceAndBob();
  Function cold = function("ua", "f-cold", "cold");
  Function warmA = function("ua", "f-warm-a", "warm");
  warmA.prewarm = 2;
  Function warmB = function("ub", "f-warm-b", "warm");
  warmB.prewarm = 1;
  for (auto* f : {&cold, &warmA, &warmB})
    ASSERT_TRUE(store().createFunction(*f, version(f->id, 1, std::string(64, 'a'))));
  auto warm = store().functionsToPrewarm();
  ASSERT_TRUE(warm);
  ASSERT_EQ(warm->size(), 2u);
  EXPECT_EQ((*warm)[0].id, "f-warm-a");
  EXPECT_EQ((*warm)[0].prewarm, 2);
  EXPECT_EQ((*warm)[1].id, "f-warm-b");
  EXPECT_EQ((*warm)[1].userId, "ub");
}

TEST_P(MetadataStoreContract, RenamingOntoAnExistingNameIsConflict) {
  createAliceAndBob();
  createFunction("ua", "f1", "one");
  createFunction("ua", "f2", "two");
  Function renamed = *store().functionById("ua", "f2");
  renamed.name = "one";
  renamed.description = "should not stick";
  auto updated = store().updateFunction(renamed);
  EXPECT_EQ(kindOf(updated), ErrorKind::conflict);
  EXPECT_EQ(codeOf(updated), "function_exists");
  EXPECT_EQ(store().functionById("ua", "f2")->name, "two");
  EXPECT_EQ(store().functionById("ua", "f2")->description, "does two");
}

TEST_P(MetadataStoreContract, VersionsNumberUpFromOne) {
  createAliceAndBob();
  createFunction("ua", "f1", "hello", "sha-1");
  ASSERT_TRUE(store().addVersion("ua", version("f1", 2, "sha-2")));
  ASSERT_TRUE(store().addVersion("ua", version("f1", 3, "sha-3")));

  auto found = store().functionById("ua", "f1");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->currentVersion, 3);
  EXPECT_EQ(found->updatedAt, 2003);  // the newest version's time
  auto versions = store().listVersions("f1");
  ASSERT_TRUE(versions);
  ASSERT_EQ(versions->size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ((*versions)[i].version, i + 1);
    EXPECT_EQ((*versions)[i].codeSha256, "sha-" + std::to_string(i + 1));
  }
  EXPECT_EQ(store().functionVersion("f1", 2)->codeSha256, "sha-2");
  EXPECT_EQ(kindOf(store().functionVersion("f1", 4)), ErrorKind::not_found);
}

TEST_P(MetadataStoreContract, AddVersionMustBeTheNextNumber) {
  createAliceAndBob();
  createFunction("ua", "f1", "hello", "sha-1");
  EXPECT_EQ(kindOf(store().addVersion("ua", version("f1", 1, "sha-again"))), ErrorKind::conflict);
  EXPECT_EQ(kindOf(store().addVersion("ua", version("f1", 3, "sha-skip"))), ErrorKind::conflict);
  EXPECT_EQ(store().functionById("ua", "f1")->currentVersion, 1);
  EXPECT_EQ(store().functionVersion("f1", 1)->codeSha256, "sha-1");
  EXPECT_EQ(store().listVersions("f1")->size(), 1u);
}

TEST_P(MetadataStoreContract, AddVersionWithEntryMovesRuntimeAndHandlerWithIt) {
  createAliceAndBob();
  createFunction("ua", "f1", "hello", "sha-1");
  const CodeEntry entry{"nodejs20", "lib/app.main"};
  // A refused version leaves the entry where it was.
  EXPECT_EQ(kindOf(store().addVersionWithEntry("ua", version("f1", 3, "sha-skip"), entry)),
            ErrorKind::conflict);
  EXPECT_EQ(kindOf(store().addVersionWithEntry("ub", version("f1", 2, "sha-evil"), entry)),
            ErrorKind::not_found);
  EXPECT_EQ(store().functionById("ua", "f1")->handler, "cloud.main");

  ASSERT_TRUE(store().addVersionWithEntry("ua", version("f1", 2, "sha-2"), entry));
  auto f = store().functionById("ua", "f1");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->currentVersion, 2);
  EXPECT_EQ(f->runtime, "nodejs20");
  EXPECT_EQ(f->handler, "lib/app.main");
  EXPECT_EQ(f->name, "hello");  // the rest of the configuration stays
  EXPECT_EQ(store().functionVersion("f1", 2)->codeSha256, "sha-2");
}

TEST_P(MetadataStoreContract, DeleteFunctionRemovesVersionsAndInvocations) {
  createAliceAndBob();
  createFunction("ua", "f1", "hello");
  createFunction("ua", "f2", "kept");
  ASSERT_TRUE(store().addVersion("ua", version("f1", 2, "sha-2")));
  ASSERT_TRUE(store().recordInvocation(invocation("i1", "f1", 10)));
  ASSERT_TRUE(store().recordInvocation(invocation("i2", "f2", 10)));

  ASSERT_TRUE(store().deleteFunction("ua", "f1"));
  EXPECT_EQ(kindOf(store().functionById("ua", "f1")), ErrorKind::not_found);
  EXPECT_TRUE(store().listVersions("f1")->empty());
  EXPECT_TRUE(store().listInvocations("f1", 10)->empty());
  EXPECT_EQ(kindOf(store().deleteFunction("ua", "f1")), ErrorKind::not_found);
  // The name is free again, and the other function is untouched.
  createFunction("ua", "f3", "hello");
  EXPECT_EQ(store().listInvocations("f2", 10)->size(), 1u);
  EXPECT_EQ(store().listVersions("f2")->size(), 1u);
}

TEST_P(MetadataStoreContract, BlobKeysInUseListsEachReferencedBlobOnce) {
  createAliceAndBob();
  createFunction("ua", "f1", "hello", "sha-1");
  ASSERT_TRUE(store().addVersion("ua", version("f1", 2, "sha-2")));
  createFunction("ub", "f2", "other", "sha-9");
  // Rolling back to earlier code makes a new version that shares the earlier blob.
  FunctionVersion rollback = version("f1", 3, "sha-1");
  ASSERT_TRUE(store().addVersion("ua", rollback));

  auto keys = store().blobKeysInUse();
  ASSERT_TRUE(keys) << keys.error().describe();
  EXPECT_EQ(*keys, (std::vector<std::string>{version("f1", 1, "sha-1").blobKey,
                                             version("f1", 2, "sha-2").blobKey,
                                             version("f2", 1, "sha-9").blobKey}));

  ASSERT_TRUE(store().deleteFunction("ua", "f1"));
  keys = store().blobKeysInUse();
  ASSERT_TRUE(keys);
  EXPECT_EQ(*keys, std::vector<std::string>{version("f2", 1, "sha-9").blobKey});
}

TEST_P(MetadataStoreContract, RemoveBlobIfUnusedRunsOnlyForUnreferencedKeys) {
  createAliceAndBob();
  createFunction("ua", "f1", "hello", "sha-1");
  const std::string used = version("f1", 1, "sha-1").blobKey;
  int calls = 0;
  auto removeCounting = [&]() -> Status {
    ++calls;
    return {};
  };
  auto kept = store().removeBlobIfUnused(used, removeCounting);
  ASSERT_TRUE(kept) << kept.error().describe();
  EXPECT_FALSE(*kept);
  EXPECT_EQ(calls, 0);

  auto removed = store().removeBlobIfUnused("users/u/functions/f1/orphan.zip", removeCounting);
  ASSERT_TRUE(removed) << removed.error().describe();
  EXPECT_TRUE(*removed);
  EXPECT_EQ(calls, 1);

  auto failed = store().removeBlobIfUnused("users/u/functions/f1/orphan.zip", [] {
    return Status(fail(ErrorKind::unavailable, "blob_storage_unavailable", "down"));
  });
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, "blob_storage_unavailable");
}

// A version naming the key being removed commits only after the removal returned, so the
// uploader can see the blob is gone and write it again.
TEST_P(MetadataStoreContract, AVersionNamingABlobBeingRemovedWaitsForTheRemoval) {
  createAliceAndBob();
  createFunction("ua", "f1", "hello", "sha-1");
  const FunctionVersion next = version("f1", 2, "sha-orphan");
  std::atomic<bool> started{false};
  std::atomic<int64_t> removedAt{0};
  auto now = [] {
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
  };
  std::thread sweeper([&] {
    auto removed = store().removeBlobIfUnused(next.blobKey, [&]() -> Status {
      started = true;
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      removedAt = now();
      return {};
    });
    EXPECT_TRUE(removed && *removed);
  });
  while (!started) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  ASSERT_TRUE(store().addVersion("ua", next));
  const int64_t committedAt = now();
  sweeper.join();
  EXPECT_GE(committedAt, removedAt.load());
}

// ---- Invocations

TEST_P(MetadataStoreContract, InvocationRoundTripsEveryField) {
  createAliceAndBob();
  createFunction("ua", "f1", "hello");
  Invocation i = invocation("i1", "f1", 1'700'000'000'123);
  i.version = 1;
  i.executor = "docker";
  i.durationMs = 3001;
  i.status = "timeout";
  i.exitCode = -9;
  i.timedOut = true;
  i.coldStart = false;
  i.memoryUsed = 64LL << 20;
  i.error = "Task timed out after 3.00 seconds";
  i.logExcerpt = "line 1\nline 2\n";
  ASSERT_TRUE(store().recordInvocation(i));
  auto listed = store().listInvocations("f1", 10);
  ASSERT_TRUE(listed) << listed.error().describe();
  ASSERT_EQ(listed->size(), 1u);
  const Invocation& found = (*listed)[0];
  EXPECT_EQ(found.id, "i1");
  EXPECT_EQ(found.functionId, "f1");
  EXPECT_EQ(found.version, 1);
  EXPECT_EQ(found.executor, "docker");
  EXPECT_EQ(found.startedAt, i.startedAt);
  EXPECT_EQ(found.durationMs, 3001);
  EXPECT_EQ(found.status, "timeout");
  EXPECT_EQ(found.exitCode, -9);
  EXPECT_TRUE(found.timedOut);
  EXPECT_FALSE(found.coldStart);
  EXPECT_EQ(found.initDurationMs, 0);
  EXPECT_EQ(found.memoryUsed, 64LL << 20);
  EXPECT_EQ(found.error, i.error);
  EXPECT_EQ(found.logExcerpt, i.logExcerpt);
}

TEST_P(MetadataStoreContract, ColdStartKeepsItsInitDuration) {
  createAliceAndBob();
  createFunction("ua", "f1", "hello");
  Invocation cold = invocation("cold", "f1", 10);
  cold.coldStart = true;
  cold.initDurationMs = 5'000'000'000;  // beyond 32 bits: the column is 64-bit everywhere
  Invocation warm = invocation("warm", "f1", 20);
  warm.coldStart = false;
  ASSERT_TRUE(store().recordInvocation(cold));
  ASSERT_TRUE(store().recordInvocation(warm));
  auto listed = store().listInvocations("f1", 10);
  ASSERT_TRUE(listed) << listed.error().describe();
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].id, "warm");
  EXPECT_EQ((*listed)[0].initDurationMs, 0);
  EXPECT_EQ((*listed)[1].id, "cold");
  EXPECT_TRUE((*listed)[1].coldStart);
  EXPECT_EQ((*listed)[1].initDurationMs, 5'000'000'000);
}

TEST_P(MetadataStoreContract, InvocationBatchSkipsRecordsOfDeletedFunctions) {
  createAliceAndBob();
  createFunction("ua", "f1", "hello");
  createFunction("ua", "f2", "other");
  ASSERT_TRUE(store().deleteFunction("ua", "f2"));
  std::vector<Invocation> batch = {invocation("a", "f1", 10), invocation("b", "f2", 20),
                                   invocation("c", "f1", 30), invocation("d", "nope", 40)};
  auto recorded = store().recordInvocations(batch);
  ASSERT_TRUE(recorded) << recorded.error().describe();
  auto listed = store().listInvocations("f1", 10);
  ASSERT_TRUE(listed) << listed.error().describe();
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].id, "c");
  EXPECT_EQ((*listed)[1].id, "a");
  EXPECT_TRUE(store().listInvocations("f2", 10)->empty());
  EXPECT_TRUE(store().recordInvocations({}));
}

TEST_P(MetadataStoreContract, InvocationsAreNewestFirstAndLimited) {
  createAliceAndBob();
  createFunction("ua", "f1", "hello");
  createFunction("ua", "f2", "other");
  for (int64_t startedAt : {30, 10, 50, 20, 40}) {
    ASSERT_TRUE(
        store().recordInvocation(invocation("i" + std::to_string(startedAt), "f1", startedAt)));
  }
  ASSERT_TRUE(store().recordInvocation(invocation("other", "f2", 100)));

  auto three = store().listInvocations("f1", 3);
  ASSERT_TRUE(three);
  ASSERT_EQ(three->size(), 3u);
  EXPECT_EQ((*three)[0].id, "i50");
  EXPECT_EQ((*three)[1].id, "i40");
  EXPECT_EQ((*three)[2].id, "i30");
  auto all = store().listInvocations("f1", 100);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 5u);
  EXPECT_EQ(all->back().id, "i10");
  EXPECT_TRUE(store().listInvocations("nope", 10)->empty());
}

TEST_P(MetadataStoreContract, InvocationLimitMustBePositive) {
  createAliceAndBob();
  createFunction("ua", "f1", "hello");
  EXPECT_EQ(kindOf(store().listInvocations("f1", 0)), ErrorKind::invalid_argument);
  EXPECT_EQ(kindOf(store().listInvocations("f1", -1)), ErrorKind::invalid_argument);
}

TEST_P(MetadataStoreContract, InvocationQueryFiltersByStatus) {
  createAliceAndBob();
  createFunction("ua", "f1", "hello");
  int n = 0;
  for (std::string status : {"ok", "error", "ok", "timeout", "killed", "error"}) {
    auto i = invocation("i" + std::to_string(n), "f1", 100 + n);
    i.status = status;
    ++n;
    ASSERT_TRUE(store().recordInvocation(i));
  }
  auto errors = store().queryInvocations({.functionId = "f1", .limit = 10, .status = "error"});
  ASSERT_TRUE(errors) << errors.error().describe();
  ASSERT_EQ(errors->size(), 2u);
  EXPECT_EQ((*errors)[0].id, "i5");
  EXPECT_EQ((*errors)[1].id, "i1");
  auto ok = store().queryInvocations({.functionId = "f1", .limit = 1, .status = "ok"});
  ASSERT_TRUE(ok);
  ASSERT_EQ(ok->size(), 1u);
  EXPECT_EQ((*ok)[0].id, "i2");
  EXPECT_TRUE(store().queryInvocations({.functionId = "f1", .limit = 10, .status = "nope"})->empty());
  EXPECT_EQ(store().queryInvocations({.functionId = "f1", .limit = 10})->size(), 6u);
  EXPECT_EQ(kindOf(store().queryInvocations({.functionId = "f1", .limit = 0})),
            ErrorKind::invalid_argument);
}

// Calls that start in the same millisecond are the normal case under load: paging by the
// start time alone would skip or repeat them at a page boundary.
TEST_P(MetadataStoreContract, InvocationPagesSplitEqualStartTimesExactly) {
  createAliceAndBob();
  createFunction("ua", "f1", "hello");
  createFunction("ua", "f2", "other");
  std::vector<std::string> expected;  // newest first: by start time, then id, descending
  for (int64_t startedAt : {300, 200, 100}) {
    for (std::string id : {"e", "d", "c", "b", "a"}) {
      std::string full = std::to_string(startedAt) + id;
      expected.push_back(full);
      auto i = invocation(full, "f1", startedAt);
      if (id == "c") i.status = "error";
      ASSERT_TRUE(store().recordInvocation(i));
    }
  }
  ASSERT_TRUE(store().recordInvocation(invocation("999z", "f2", 200)));

  for (int pageSize : {1, 2, 3, 4, 7, 15, 20}) {
    std::vector<std::string> seen;
    std::optional<InvocationCursor> before;
    for (int pages = 0; pages < 20; ++pages) {
      auto page = store().queryInvocations({.functionId = "f1", .limit = pageSize, .before = before});
      ASSERT_TRUE(page) << page.error().describe();
      for (const auto& i : *page) seen.push_back(i.id);
      if (page->size() < std::size_t(pageSize)) break;
      before = InvocationCursor{page->back().startedAt, page->back().id};
    }
    EXPECT_EQ(seen, expected) << "page size " << pageSize;
  }

  // The cursor and the status filter together.
  auto errors = store().queryInvocations(
      {.functionId = "f1", .limit = 10, .status = "error", .before = InvocationCursor{300, "300c"}});
  ASSERT_TRUE(errors);
  ASSERT_EQ(errors->size(), 2u);
  EXPECT_EQ((*errors)[0].id, "200c");
  EXPECT_EQ((*errors)[1].id, "100c");
  // Past the oldest row: nothing.
  EXPECT_TRUE(store().queryInvocations({.functionId = "f1", .limit = 10,
                                        .before = InvocationCursor{100, "100a"}})->empty());
}

TEST_P(MetadataStoreContract, InvocationSamplesAreBoundedByTimeAndCount) {
  createAliceAndBob();
  createFunction("ua", "f1", "hello");
  createFunction("ua", "f2", "other");
  for (int64_t startedAt : {10, 20, 30, 40, 50}) {
    auto i = invocation("i" + std::to_string(startedAt), "f1", startedAt);
    i.durationMs = startedAt * 2;
    if (startedAt == 40) i.status = "timeout";
    ASSERT_TRUE(store().recordInvocation(i));
  }
  ASSERT_TRUE(store().recordInvocation(invocation("other", "f2", 45)));
  auto since = store().invocationSamples("f1", 30, 100);
  ASSERT_TRUE(since) << since.error().describe();
  ASSERT_EQ(since->size(), 3u);
  EXPECT_EQ((*since)[0].startedAt, 50);
  EXPECT_EQ((*since)[0].durationMs, 100);
  EXPECT_EQ((*since)[1].status, "timeout");
  EXPECT_EQ((*since)[2].startedAt, 30);
  auto newestTwo = store().invocationSamples("f1", 0, 2);
  ASSERT_TRUE(newestTwo);
  ASSERT_EQ(newestTwo->size(), 2u);
  EXPECT_EQ((*newestTwo)[1].startedAt, 40);
  EXPECT_TRUE(store().invocationSamples("f1", 51, 100)->empty());
  EXPECT_EQ(kindOf(store().invocationSamples("f1", 0, 0)), ErrorKind::invalid_argument);
}

TEST_P(MetadataStoreContract, InvocationOfUnknownFunctionIsNotFound) {
  EXPECT_EQ(kindOf(store().recordInvocation(invocation("i1", "nope", 10))), ErrorKind::not_found);
}

TEST_P(MetadataStoreContract, DuplicateInvocationIdIsConflict) {
  createAliceAndBob();
  createFunction("ua", "f1", "hello");
  ASSERT_TRUE(store().recordInvocation(invocation("i1", "f1", 10)));
  EXPECT_EQ(kindOf(store().recordInvocation(invocation("i1", "f1", 20))), ErrorKind::conflict);
  EXPECT_EQ((*store().listInvocations("f1", 10))[0].startedAt, 10);
}

// ---- Concurrency

// The server calls the store from many threads; every write must land and reads must
// keep working while writes go on.
TEST_P(MetadataStoreContract, ConcurrentWritersAndReaders) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 20;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const std::string userId = "u" + std::to_string(t);
      if (!store().createUser(user(userId, userId + "@example.com"))) ++failures;
      for (int n = 0; n < kPerThread; ++n) {
        const std::string functionId = userId + "f" + std::to_string(n);
        if (!store().createFunction(function(userId, functionId, "fn" + std::to_string(n)),
                                    version(functionId, 1, "sha"))) {
          ++failures;
        }
        if (!store().recordInvocation(invocation(functionId + "i", functionId, n))) ++failures;
        if (!store().createSession({functionId + "s", userId, 1, 2, 3})) ++failures;
        if (!store().functionById(userId, functionId)) ++failures;
        if (!store().sessionByHash(functionId + "s")) ++failures;
        if (!store().listFunctions(userId)) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  for (int t = 0; t < kThreads; ++t) {
    const std::string userId = "u" + std::to_string(t);
    auto listed = store().listFunctions(userId);
    ASSERT_TRUE(listed);
    EXPECT_EQ(listed->size(), static_cast<std::size_t>(kPerThread));
    EXPECT_EQ(store().listInvocations(userId + "f0", 10)->size(), 1u);
  }
}

// Uploads racing on one function: every version number is taken exactly once, the losers
// get a conflict and retry, and nothing is lost.
TEST_P(MetadataStoreContract, ConcurrentAddVersionTakesEachNumberOnce) {
  createAliceAndBob();
  createFunction("ua", "f1", "hello", "sha-1");
  constexpr int kThreads = 6;
  constexpr int kPerThread = 10;
  std::atomic<int> unexpectedErrors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int n = 0; n < kPerThread;) {
        auto current = store().functionById("ua", "f1");
        if (!current) {
          ++unexpectedErrors;
          return;
        }
        auto added = store().addVersion(
            "ua", version("f1", current->currentVersion + 1,
                          "sha-t" + std::to_string(t) + "-" + std::to_string(n)));
        if (added) {
          ++n;
        } else if (added.error().kind != ErrorKind::conflict) {
          ++unexpectedErrors;
          return;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(unexpectedErrors.load(), 0);
  constexpr int kTotal = 1 + kThreads * kPerThread;
  EXPECT_EQ(store().functionById("ua", "f1")->currentVersion, kTotal);
  auto versions = store().listVersions("f1");
  ASSERT_TRUE(versions);
  ASSERT_EQ(versions->size(), static_cast<std::size_t>(kTotal));
  for (int i = 0; i < kTotal; ++i) EXPECT_EQ((*versions)[i].version, i + 1);
}

}  // namespace stratus::store::contract

// The account half of the contract (tokens, linked providers, user updates) lives in its
// own file to keep each small; it uses the fixture above.
#include "unit/store/account_store_contract.h"
// Published versions, aliases and function URLs (the Lambda-compatible API).
#include "unit/store/lambda_store_contract.h"
