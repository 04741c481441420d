#include "store/sqlite/connection.h"

#include <gtest/gtest.h>

namespace stratus::store::sqlite {
namespace {

Connection openMemory() {
  auto connection = Connection::open(":memory:", {});
  EXPECT_TRUE(connection);
  auto db = std::move(*connection);
  EXPECT_TRUE(
      db.execute("CREATE TABLE parent (id TEXT PRIMARY KEY, name TEXT UNIQUE);"
                 "CREATE TABLE child (id TEXT PRIMARY KEY, parent_id TEXT REFERENCES parent(id),"
                 "  n INTEGER, maybe INTEGER, note TEXT);"));
  return db;
}

Status insertParent(Connection& db, std::string_view id, std::string_view name) {
  auto statement = db.prepare("INSERT INTO parent (id, name) VALUES (?, ?)");
  if (!statement) return std::unexpected(statement.error());
  return statement->bindAll(id, name).run({"name_taken", "that name is taken"});
}

TEST(Connection, BindsAndReadsEveryType) {
  Connection db = openMemory();
  ASSERT_TRUE(insertParent(db, "p", "parent"));
  {
    auto insert = db.prepare("INSERT INTO child VALUES (?, ?, ?, ?, ?)");
    ASSERT_TRUE(insert);
    const std::string withNul("a\0b", 3);
    ASSERT_TRUE(
        insert->bindAll("c", std::string("p"), int64_t{1} << 40, std::optional<int>(), withNul)
            .run());
  }
  auto select = db.prepare("SELECT id, n, maybe, note FROM child");
  ASSERT_TRUE(select);
  ASSERT_TRUE(*select->step());
  EXPECT_EQ(select->text(0), "c");
  EXPECT_EQ(select->int64(1), int64_t{1} << 40);
  EXPECT_FALSE(select->optionalInt(2).has_value());
  EXPECT_EQ(select->text(3), std::string("a\0b", 3));
  EXPECT_FALSE(*select->step());
}

TEST(Connection, CachedStatementsComeBackReset) {
  Connection db = openMemory();
  ASSERT_TRUE(insertParent(db, "p1", "one"));
  ASSERT_TRUE(insertParent(db, "p2", "two"));
  for (int round = 0; round < 3; ++round) {
    auto select = db.prepare("SELECT name FROM parent WHERE id = ?");
    ASSERT_TRUE(select);
    select->bindAll(round % 2 == 0 ? "p1" : "p2");
    ASSERT_TRUE(*select->step());  // left mid-result on purpose
    EXPECT_EQ(select->text(0), round % 2 == 0 ? "one" : "two");
  }
}

TEST(Connection, MapsConstraintsToTheErrorConvention) {
  Connection db = openMemory();
  ASSERT_TRUE(insertParent(db, "p", "parent"));

  auto sameName = insertParent(db, "q", "parent");
  ASSERT_FALSE(sameName);
  EXPECT_EQ(sameName.error().kind, ErrorKind::conflict);
  EXPECT_EQ(sameName.error().code, "name_taken");
  EXPECT_EQ(sameName.error().message, "that name is taken");

  auto sameId = insertParent(db, "p", "other");
  ASSERT_FALSE(sameId);
  EXPECT_EQ(sameId.error().kind, ErrorKind::conflict);
  EXPECT_EQ(sameId.error().code, "conflict");

  ASSERT_TRUE(db.execute("PRAGMA foreign_keys = ON"));
  auto orphan = db.prepare("INSERT INTO child (id, parent_id) VALUES ('c', 'nobody')");
  ASSERT_TRUE(orphan);
  auto inserted = orphan->run();
  ASSERT_FALSE(inserted);
  EXPECT_EQ(inserted.error().kind, ErrorKind::not_found);
}

TEST(Connection, OtherFailuresAreInternalWithDetailsInTheContextOnly) {
  Connection db = openMemory();
  auto prepared = db.prepare("SELECT nope FROM parent");
  ASSERT_FALSE(prepared);
  EXPECT_EQ(prepared.error().kind, ErrorKind::internal);
  EXPECT_EQ(prepared.error().message, "database error");
  EXPECT_NE(prepared.error().describe().find("no such column"), std::string::npos);
}

TEST(Connection, TransactionRollsBackUnlessCommitted) {
  Connection db = openMemory();
  {
    auto transaction = Transaction::begin(db);
    ASSERT_TRUE(transaction);
    ASSERT_TRUE(insertParent(db, "p1", "one"));
  }
  {
    auto transaction = Transaction::begin(db);
    ASSERT_TRUE(transaction);
    ASSERT_TRUE(insertParent(db, "p2", "two"));
    ASSERT_TRUE(transaction->commit());
  }
  auto count = db.prepare("SELECT COUNT(*), MIN(id) FROM parent");
  ASSERT_TRUE(count);
  ASSERT_TRUE(*count->step());
  EXPECT_EQ(count->int64(0), 1);
  EXPECT_EQ(count->text(1), "p2");
}

TEST(Connection, ReadOnlyConnectionsRefuseWrites) {
  auto db = Connection::open(":memory:", {.readOnly = true});
  ASSERT_TRUE(db);
  EXPECT_FALSE(db->execute("CREATE TABLE t (x INTEGER)"));
}

}  // namespace
}  // namespace stratus::store::sqlite
