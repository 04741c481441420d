#include "store/sqlite/migrations.h"

#include <gtest/gtest.h>

#include <array>
#include <set>

#include "store/sqlite/sqlite_store.h"
#include "testing/temp_dir.h"

namespace stratus::store::sqlite {
namespace {

using stratus::testing::TempDir;

Connection openMemory() {
  auto connection = Connection::open(":memory:", {});
  EXPECT_TRUE(connection);
  return std::move(*connection);
}

Result<int64_t> countRows(Connection& db, std::string_view sql) {
  auto statement = db.prepare(sql);
  if (!statement) return std::unexpected(statement.error());
  auto row = statement->step();
  if (!row) return std::unexpected(row.error());
  return statement->int64(0);
}

std::set<std::string> schemaObjects(Connection& db) {
  std::set<std::string> names;
  auto statement = db.prepare("SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'");
  EXPECT_TRUE(statement);
  while (*statement->step()) names.insert(statement->text(0));
  return names;
}

TEST(Migrations, NewDatabaseGetsEveryMigrationRecorded) {
  Connection db = openMemory();
  EXPECT_EQ(*schemaVersion(db), 0);
  auto applied = applyMigrations(db, migrations(), 1234);
  ASSERT_TRUE(applied) << applied.error().describe();
  EXPECT_EQ(*applied, static_cast<int>(migrations().size()));
  EXPECT_EQ(*schemaVersion(db), static_cast<int>(migrations().size()));
  EXPECT_EQ(*countRows(db, "SELECT COUNT(*) FROM schema_migrations WHERE applied_at = 1234"),
            static_cast<int64_t>(migrations().size()));
}

TEST(Migrations, ReapplyingDoesNothing) {
  Connection db = openMemory();
  ASSERT_TRUE(applyMigrations(db, migrations(), 1));
  auto again = applyMigrations(db, migrations(), 2);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, 0);
  EXPECT_EQ(*countRows(db, "SELECT COUNT(*) FROM schema_migrations WHERE applied_at = 2"), 0);
}

TEST(Migrations, OnlyNewMigrationsAreApplied) {
  Connection db = openMemory();
  const std::array<const char*, 1> first = {"CREATE TABLE a (x INTEGER)"};
  const std::array<const char*, 2> both = {"CREATE TABLE a (x INTEGER)",
                                           "CREATE TABLE b (y INTEGER)"};
  ASSERT_EQ(*applyMigrations(db, first, 10), 1);
  // Were migration 1 run again, CREATE TABLE a would fail.
  auto applied = applyMigrations(db, both, 20);
  ASSERT_TRUE(applied) << applied.error().describe();
  EXPECT_EQ(*applied, 1);
  EXPECT_EQ(*schemaVersion(db), 2);
  EXPECT_EQ(*countRows(db, "SELECT applied_at FROM schema_migrations WHERE version = 2"), 20);
  EXPECT_TRUE(schemaObjects(db).contains("b"));
}

TEST(Migrations, AccountsFromBeforeVerificationCountAsVerified) {
  Connection db = openMemory();
  const auto all = migrations();
  ASSERT_GE(all.size(), 2u);
  ASSERT_EQ(*applyMigrations(db, all.first(1), 10), 1);
  ASSERT_TRUE(db.execute("INSERT INTO users (id, email, name, created_at) "
                         "VALUES ('u1', 'old@example.com', '', 77)"));
  ASSERT_TRUE(applyMigrations(db, all, 20));
  EXPECT_EQ(*countRows(db, "SELECT email_verified_at FROM users WHERE id = 'u1'"), 77);
}

TEST(Migrations, FunctionsAndInvocationsFromBeforeTheEngineGetItsDefaults) {
  Connection db = openMemory();
  const auto all = migrations();
  ASSERT_GE(all.size(), 3u);
  ASSERT_EQ(*applyMigrations(db, all.first(2), 10), 2);
  ASSERT_TRUE(db.execute(
      "INSERT INTO users (id, email, name, created_at) VALUES ('u1', 'a@example.com', '', 1);"
      "INSERT INTO functions (id, user_id, name, description, runtime, handler, mode, executor, "
      "timeout_s, memory_mb, current_version, created_at, updated_at) VALUES ('f1', 'u1', "
      "'hello', '', 'python3.11', 'cloud.main', 'script', 'sandbox', 3, 128, 1, 1, 1);"
      "INSERT INTO invocations VALUES ('i1', 'f1', 1, 'sandbox', 5, 12, 'ok', 0, 0, 1, 0, '', '');"));
  ASSERT_EQ(*applyMigrations(db, all.first(3), 20), 1);
  EXPECT_EQ(*countRows(db, "SELECT prewarm FROM functions WHERE id = 'f1'"), 0);
  EXPECT_EQ(*countRows(db, "SELECT init_duration_ms FROM invocations WHERE id = 'i1'"), 0);
  // The columns refuse what the STRICT tables refuse elsewhere.
  EXPECT_FALSE(db.execute("UPDATE functions SET prewarm = 'many' WHERE id = 'f1'"));
  EXPECT_FALSE(db.execute("UPDATE invocations SET init_duration_ms = NULL WHERE id = 'i1'"));
}

TEST(Migrations, ApiKeysFromBeforeSealedSecretsHaveNone) {
  Connection db = openMemory();
  const auto all = migrations();
  ASSERT_GE(all.size(), 4u);
  ASSERT_EQ(*applyMigrations(db, all.first(3), 10), 3);
  ASSERT_TRUE(db.execute(
      "INSERT INTO users (id, email, name, created_at) VALUES ('u1', 'a@example.com', '', 1);"
      "INSERT INTO api_keys (id, user_id, name, hash, prefix, created_at) "
      "VALUES ('k1', 'u1', 'old', 'h1', 'sk_abc', 2);"));
  ASSERT_EQ(*applyMigrations(db, all.first(4), 20), 1);
  EXPECT_EQ(*countRows(db, "SELECT COUNT(*) FROM api_keys WHERE sealed_secret IS NULL"), 1);
}

TEST(Migrations, AFailingMigrationLeavesNothingBehind) {
  Connection db = openMemory();
  const std::array<const char*, 2> broken = {"CREATE TABLE a (x INTEGER)", "CREATE TABLE ("};
  auto applied = applyMigrations(db, broken, 1);
  ASSERT_FALSE(applied);
  EXPECT_EQ(applied.error().kind, ErrorKind::internal);
  EXPECT_NE(applied.error().describe().find("apply migration 2"), std::string::npos);
  EXPECT_EQ(*schemaVersion(db), 0);
  EXPECT_FALSE(schemaObjects(db).contains("a"));
}

TEST(Migrations, RefusesASchemaNewerThanItKnows) {
  Connection db = openMemory();
  const std::array<const char*, 2> both = {"CREATE TABLE a (x INTEGER)",
                                           "CREATE TABLE b (y INTEGER)"};
  ASSERT_TRUE(applyMigrations(db, both, 1));
  auto older = applyMigrations(db, std::span(both).first(1), 2);
  ASSERT_FALSE(older);
  EXPECT_EQ(older.error().code, "schema_too_new");
}

TEST(Migrations, SchemaHasTheDesignTablesAndIndexes) {
  Connection db = openMemory();
  ASSERT_TRUE(applyMigrations(db, migrations(), 1));
  const auto names = schemaObjects(db);
  for (const char* expected : {"users", "accounts", "sessions", "tokens", "api_keys", "functions",
                               "function_versions", "invocations", "schema_migrations",
                               "published_versions", "aliases", "function_urls",
                               "invocations_by_function", "sessions_by_user", "api_keys_by_user"}) {
    EXPECT_TRUE(names.contains(expected)) << expected;
  }
}

TEST(Migrations, SchemaEnforcesUniquenessTheDesignAsksFor) {
  Connection db = openMemory();
  ASSERT_TRUE(applyMigrations(db, migrations(), 1));
  ASSERT_TRUE(
      db.execute("INSERT INTO users VALUES ('u1', 'a@x', 'A', NULL, NULL, 0);"
                 "INSERT INTO users VALUES ('u2', 'b@x', 'B', NULL, NULL, 0);"
                 "INSERT INTO accounts VALUES ('github', '42', 'u1', 0);"));
  // One provider account links to one user.
  EXPECT_FALSE(db.execute("INSERT INTO accounts VALUES ('github', '42', 'u2', 0)"));
  EXPECT_TRUE(db.execute("INSERT INTO accounts VALUES ('google', '42', 'u2', 0)"));
  // Tokens are only of the two known kinds.
  EXPECT_FALSE(db.execute("INSERT INTO tokens VALUES ('h', 'u1', 'admin', 0, 1, NULL)"));
  EXPECT_TRUE(db.execute("INSERT INTO tokens VALUES ('h', 'u1', 'reset', 0, 1, NULL)"));
  // Deleting a user takes everything of theirs along.
  ASSERT_TRUE(db.execute("PRAGMA foreign_keys = ON; DELETE FROM users WHERE id = 'u1'"));
  EXPECT_EQ(*countRows(db, "SELECT COUNT(*) FROM tokens"), 0);
  EXPECT_EQ(*countRows(db, "SELECT COUNT(*) FROM accounts"), 1);
}

TEST(Migrations, ReopeningAStoreAppliesNothingNew) {
  TempDir dir;
  const auto file = dir.path() / "stratus.db";
  ASSERT_TRUE(openSqliteStore(file));
  ASSERT_TRUE(openSqliteStore(file));
  auto db = Connection::open(file.string(), {});
  ASSERT_TRUE(db);
  EXPECT_EQ(*schemaVersion(*db), static_cast<int>(migrations().size()));
  EXPECT_EQ(*countRows(*db, "SELECT COUNT(*) FROM schema_migrations"),
            static_cast<int64_t>(migrations().size()));
}

}  // namespace
}  // namespace stratus::store::sqlite
