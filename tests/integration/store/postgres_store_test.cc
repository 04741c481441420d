// The MetadataStore contract on a real PostgreSQL (a throwaway cluster, one fresh database
// per test), plus what only a server database has: concurrent migrations, a schema newer
// than the binary, losing the server and getting it back.
#include "store/postgres/postgres_store.h"

#include <gtest/gtest.h>

#include <thread>

#include "common/clock.h"
#include "store/postgres/pg_migrations.h"
#include "testing/postgres_server.h"
#include "unit/store/metadata_store_contract.h"

namespace stratus::store::postgres {
namespace {

using contract::MetadataStoreContract;
using contract::MetadataStoreFactory;
using stratus::testing::PostgresServer;

// One cluster for the whole binary, started on first use.
PostgresServer* sharedCluster() {
  static std::unique_ptr<PostgresServer> cluster =
      PostgresServer::available() ? PostgresServer::start() : nullptr;
  return cluster.get();
}

// Skips the calling test (with the reason) when PostgreSQL is not installed here; fails
// it when PostgreSQL is there but the cluster did not start, which is a broken setup to
// fix rather than a reason to pass without testing anything.
#define REQUIRE_CLUSTER()                                                           \
  do {                                                                              \
    if (!PostgresServer::available()) {                                             \
      GTEST_SKIP() << "skipped: " << PostgresServer::skipReason();                  \
    }                                                                               \
    if (sharedCluster() == nullptr) {                                               \
      GTEST_FAIL() << "the PostgreSQL test cluster did not start (see stderr)";     \
    }                                                                               \
  } while (false)

void skipWithoutCluster() { REQUIRE_CLUSTER(); }

MetadataStorePtr freshStore() {
  skipWithoutCluster();
  if (sharedCluster() == nullptr) return nullptr;
  const std::string url = sharedCluster()->createDatabase();
  if (url.empty()) {
    ADD_FAILURE() << "cannot create a database";
    return nullptr;
  }
  auto store = openPostgresStore(url, PostgresOptions{.poolSize = 4});
  if (!store) {
    ADD_FAILURE() << store.error().describe();
    return nullptr;
  }
  return std::move(*store);
}

INSTANTIATE_TEST_SUITE_P(Postgres, MetadataStoreContract,
                         ::testing::Values(MetadataStoreFactory(freshStore)));

int appliedMigrationRows(const std::string& url) {
  auto connection = PgConnection::open(url, 5);
  if (!connection) return -1;
  auto statement = (*connection)->prepare("SELECT COUNT(*) FROM schema_migrations");
  if (!statement || !statement->step()) return -1;
  return statement->integer(0);
}

TEST(PostgresMigrations, NodesStartingTogetherMigrateOnce) {
  REQUIRE_CLUSTER();
  const std::string url = sharedCluster()->createDatabase();
  constexpr int kNodes = 6;
  std::vector<std::thread> nodes;
  std::vector<std::string> failures(kNodes);
  for (int i = 0; i < kNodes; ++i) {
    nodes.emplace_back([&, i] {
      auto store = openPostgresStore(url, PostgresOptions{.poolSize = 1});
      if (!store) failures[i] = store.error().describe();
    });
  }
  for (auto& node : nodes) node.join();
  for (const auto& failure : failures) EXPECT_EQ(failure, "");
  EXPECT_EQ(appliedMigrationRows(url), static_cast<int>(migrations().size()));
  auto report = migratePostgres(url, /*dryRun=*/true);
  ASSERT_TRUE(report);
  EXPECT_EQ(report->before, report->latest);
}

TEST(PostgresMigrations, MigrateReportsWhatItApplied) {
  REQUIRE_CLUSTER();
  const std::string url = sharedCluster()->createDatabase();
  auto pending = migratePostgres(url, /*dryRun=*/true);
  ASSERT_TRUE(pending) << pending.error().describe();
  EXPECT_EQ(pending->before, 0);
  EXPECT_EQ(pending->applied, 0);
  // Without migrating on open, an empty database is refused with the command to run.
  auto refused = openPostgresStore(url, PostgresOptions{.migrate = false});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, "schema_outdated");
  EXPECT_NE(refused.error().message.find("stratus migrate"), std::string::npos);

  auto applied = migratePostgres(url, /*dryRun=*/false);
  ASSERT_TRUE(applied) << applied.error().describe();
  EXPECT_EQ(applied->applied, applied->latest);
  EXPECT_TRUE(openPostgresStore(url, PostgresOptions{.migrate = false}));
  EXPECT_EQ(migratePostgres(url, false)->applied, 0);
}

TEST(PostgresMigrations, FunctionsAndInvocationsFromBeforeTheEngineGetItsDefaults) {
  REQUIRE_CLUSTER();
  const std::string url = sharedCluster()->createDatabase();
  {
    auto connection = PgConnection::open(url, 5);
    ASSERT_TRUE(connection) << connection.error().describe();
    ASSERT_EQ(*applyMigrations(**connection, migrations().first(2), 10), 2);
  }
  ASSERT_TRUE(PostgresServer::exec(
      url,
      "INSERT INTO users (id, email, name, created_at) VALUES ('u1', 'a@example.com', '', 1);"
      "INSERT INTO functions (id, user_id, name, description, runtime, handler, mode, executor, "
      "timeout_s, memory_mb, current_version, created_at, updated_at) VALUES ('f1', 'u1', "
      "'hello', '', 'python3.11', 'cloud.main', 'script', 'sandbox', 3, 128, 1, 1, 1);"
      "INSERT INTO invocations VALUES ('i1', 'f1', 1, 'sandbox', 5, 12, 'ok', 0, false, true, 0, "
      "'', '');"));
  auto store = openPostgresStore(url);
  ASSERT_TRUE(store) << store.error().describe();
  auto function = (*store)->functionById("u1", "f1");
  ASSERT_TRUE(function) << function.error().describe();
  EXPECT_EQ(function->prewarm, 0);
  auto invocations = (*store)->listInvocations("f1", 10);
  ASSERT_TRUE(invocations) << invocations.error().describe();
  ASSERT_EQ(invocations->size(), 1u);
  EXPECT_EQ((*invocations)[0].initDurationMs, 0);
  EXPECT_EQ(appliedMigrationRows(url), static_cast<int>(migrations().size()));
}

TEST(PostgresMigrations, ApiKeysFromBeforeSealedSecretsHaveNone) {
  REQUIRE_CLUSTER();
  const std::string url = sharedCluster()->createDatabase();
  {
    auto connection = PgConnection::open(url, 5);
    ASSERT_TRUE(connection) << connection.error().describe();
    ASSERT_EQ(*applyMigrations(**connection, migrations().first(3), 10), 3);
  }
  ASSERT_TRUE(PostgresServer::exec(
      url,
      "INSERT INTO users (id, email, name, created_at) VALUES ('u1', 'a@example.com', '', 1);"
      "INSERT INTO api_keys (id, user_id, name, hash, prefix, created_at) "
      "VALUES ('k1', 'u1', 'old', 'h1', 'sk_abc', 2);"));
  auto store = openPostgresStore(url);
  ASSERT_TRUE(store) << store.error().describe();
  auto key = (*store)->apiKeyById("k1");
  ASSERT_TRUE(key) << key.error().describe();
  EXPECT_EQ(key->hash, "h1");
  EXPECT_FALSE(key->sealedSecret.has_value());
  EXPECT_EQ(appliedMigrationRows(url), static_cast<int>(migrations().size()));
}

TEST(PostgresMigrations, RefusesASchemaFromANewerStratus) {
  REQUIRE_CLUSTER();
  const std::string url = sharedCluster()->createDatabase();
  ASSERT_TRUE(openPostgresStore(url));
  ASSERT_TRUE(PostgresServer::exec(url, "INSERT INTO schema_migrations VALUES (99, 0)"));
  auto opened = openPostgresStore(url);
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, "schema_too_new");
}

TEST(PostgresStore, TextThePostgresCannotHoldIsRefusedNotTruncated) {
  REQUIRE_CLUSTER();
  auto store = openPostgresStore(sharedCluster()->createDatabase());
  ASSERT_TRUE(store);
  User user{.id = "u1", .email = "a@example.com", .name = std::string("eve\0il", 6), .createdAt = 1};
  auto created = (*store)->createUser(user);
  ASSERT_FALSE(created);
  EXPECT_EQ(created.error().kind, ErrorKind::invalid_argument);
  EXPECT_EQ(created.error().code, "invalid_text");
  user.name = "bad \xff utf-8";
  created = (*store)->createUser(user);
  ASSERT_FALSE(created);
  EXPECT_EQ(created.error().code, "invalid_text");
  EXPECT_EQ((*store)->userById("u1").error().kind, ErrorKind::not_found);
}

TEST(PostgresStore, AnUnreachableDatabaseIsUnavailableAtOpen) {
  // A port nobody listens on: refused at once, reported as unavailable with the reason in
  // the context and no password anywhere in the description.
  auto opened = openPostgresStore("postgres://stratus:hunter2@127.0.0.1:1/none",
                                  PostgresOptions{.connectTimeoutS = 2});
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().kind, ErrorKind::unavailable);
  EXPECT_EQ(opened.error().code, "storage_unavailable");
  EXPECT_EQ(opened.error().describe().find("hunter2"), std::string::npos);
  EXPECT_NE(opened.error().describe().find("stratus:***@127.0.0.1:1"), std::string::npos);
}

// A restart while the pool sits idle: the first call afterwards must not be the one that
// finds the dead connection (the server's goodbye is noticed when it is taken).
TEST(PostgresStore, AnIdlePoolSurvivesARestartWithoutAFailedCall) {
  if (!PostgresServer::available()) GTEST_SKIP() << "skipped: " << PostgresServer::skipReason();
  auto cluster = PostgresServer::start();
  ASSERT_NE(cluster, nullptr);
  auto store = openPostgresStore(cluster->url(), PostgresOptions{.poolSize = 2});
  ASSERT_TRUE(store) << store.error().describe();
  ASSERT_TRUE((*store)->createUser(User{.id = "u1", .email = "a@example.com", .name = "A", .createdAt = 1}));
  ASSERT_TRUE(cluster->stop());
  ASSERT_TRUE(cluster->restart()) << cluster->lastError();
  for (int i = 0; i < 3; ++i) {
    auto found = (*store)->userById("u1");
    ASSERT_TRUE(found) << "call " << i << ": " << found.error().describe();
  }
}

TEST(PostgresStore, AMalformedUrlIsRefusedWithoutEchoingIt) {
  for (const char* url : {"postgres://u:hunter2@[::1/db", "postgres://u:hunter2@h/db?%zz=1",
                          "host=h password=hunter2 'unterminated"}) {
    auto opened = openPostgresStore(url, PostgresOptions{.connectTimeoutS = 1});
    ASSERT_FALSE(opened) << url;
    EXPECT_EQ(opened.error().describe().find("hunter2"), std::string::npos)
        << opened.error().describe();
  }
}

// The server goes away under a store that is in use, then comes back: calls fail with
// storage_unavailable meanwhile (no crash, no hang) and succeed again afterwards on the
// same store object, which reconnects by itself.
TEST(PostgresStore, RecoversByItselfWhenTheServerComesBack) {
  if (!PostgresServer::available()) GTEST_SKIP() << "skipped: " << PostgresServer::skipReason();
  auto cluster = PostgresServer::start();
  ASSERT_NE(cluster, nullptr);
  auto store = openPostgresStore(cluster->url(), PostgresOptions{.poolSize = 3, .connectTimeoutS = 2});
  ASSERT_TRUE(store) << store.error().describe();
  ASSERT_TRUE((*store)->createUser(User{.id = "u1", .email = "a@example.com", .name = "A", .createdAt = 1}));
  // Warm several pooled connections so all of them see the shutdown.
  std::vector<std::thread> readers;
  for (int i = 0; i < 3; ++i) readers.emplace_back([&] { (void)(*store)->userById("u1"); });
  for (auto& reader : readers) reader.join();

  ASSERT_TRUE(cluster->stop());
  for (int i = 0; i < 3; ++i) {
    auto found = (*store)->userById("u1");
    ASSERT_FALSE(found);
    EXPECT_EQ(found.error().kind, ErrorKind::unavailable) << found.error().describe();
    EXPECT_EQ(found.error().code, "storage_unavailable");
  }
  auto write = (*store)->createUser(User{.id = "u2", .email = "b@example.com", .name = "B", .createdAt = 2});
  EXPECT_EQ(write.error().kind, ErrorKind::unavailable);

  ASSERT_TRUE(cluster->restart()) << cluster->lastError();
  auto found = (*store)->userById("u1");
  ASSERT_TRUE(found) << found.error().describe();
  EXPECT_EQ(found->email, "a@example.com");
  EXPECT_EQ((*store)->userById("u2").error().kind, ErrorKind::not_found);  // never half-written
  EXPECT_TRUE((*store)->createUser(User{.id = "u2", .email = "b@example.com", .name = "B", .createdAt = 2}));
}

}  // namespace
}  // namespace stratus::store::postgres
