// Runs the MetadataStore contract against SQLite (a file and ":memory:"), plus what only
// SQLite has: the file itself, WAL, locking by other processes, errors that must not leak.
#include "store/sqlite/sqlite_store.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <atomic>

#include "common/log.h"
#include "unit/store/metadata_store_contract.h"
#include "testing/temp_dir.h"

namespace stratus::store::sqlite {
namespace {

using contract::MetadataStoreContract;
using contract::MetadataStoreFactory;
using stratus::testing::TempDir;

MetadataStorePtr openOrDie(const std::filesystem::path& file, const SqliteOptions& options = {}) {
  auto store = openSqliteStore(file, options);
  if (!store) {
    ADD_FAILURE() << store.error().describe();
    return nullptr;
  }
  return std::move(*store);
}

// Every store opening logs its migrations; keep test output readable.
class QuietLogs : public ::testing::Environment {
 public:
  void SetUp() override { log::setMinimumLevel(log::Level::warn); }
};
[[maybe_unused]] const auto* const kQuietLogs = ::testing::AddGlobalTestEnvironment(new QuietLogs);

// One folder for the whole run; every test gets its own database file in it.
const std::filesystem::path& scratch() {
  static TempDir folder;
  return folder.path();
}

MetadataStorePtr freshFileStore() {
  static std::atomic<int> counter{0};
  return openOrDie(scratch() / ("contract-" + std::to_string(counter++) + ".db"));
}

INSTANTIATE_TEST_SUITE_P(SqliteFile, MetadataStoreContract,
                         ::testing::Values(MetadataStoreFactory(freshFileStore)));
INSTANTIATE_TEST_SUITE_P(SqliteMemory, MetadataStoreContract,
                         ::testing::Values(MetadataStoreFactory([] {
                           return openOrDie(":memory:");
                         })));

// A second, raw connection to the same file, as another process would have.
struct RawDatabase {
  explicit RawDatabase(const std::filesystem::path& file) {
    EXPECT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
  }
  ~RawDatabase() { sqlite3_close(db); }
  void exec(const char* sql) {
    char* message = nullptr;
    EXPECT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, &message), SQLITE_OK)
        << (message ? message : "");
    sqlite3_free(message);
  }
  std::string text(const char* sql) {
    sqlite3_stmt* statement = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql, -1, &statement, nullptr), SQLITE_OK);
    std::string out;
    if (sqlite3_step(statement) == SQLITE_ROW) {
      out = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
    }
    sqlite3_finalize(statement);
    return out;
  }
  sqlite3* db = nullptr;
};

User alice() { return User{.id = "ua", .email = "alice@example.com", .name = "Alice"}; }

TEST(SqliteStore, CreatesParentFoldersAndAnOwnerOnlyFile) {
  TempDir dir;
  const auto file = dir.path() / "nested" / "deeper" / "stratus.db";
  auto store = openOrDie(file);
  ASSERT_NE(store, nullptr);
  struct stat info {};
  ASSERT_EQ(::stat(file.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
}

TEST(SqliteStore, UsesWriteAheadLogging) {
  TempDir dir;
  const auto file = dir.path() / "stratus.db";
  auto store = openOrDie(file);
  ASSERT_NE(store, nullptr);
  RawDatabase raw(file);
  EXPECT_EQ(raw.text("PRAGMA journal_mode"), "wal");
}

TEST(SqliteStore, DataSurvivesReopening) {
  TempDir dir;
  const auto file = dir.path() / "stratus.db";
  {
    auto store = openOrDie(file);
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->createUser(alice()));
  }
  auto store = openOrDie(file);
  ASSERT_NE(store, nullptr);
  auto found = store->userByEmail("alice@example.com");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->name, "Alice");
}

TEST(SqliteStore, AWriterInAnotherProcessMakesItUnavailableAfterTheTimeout) {
  TempDir dir;
  const auto file = dir.path() / "stratus.db";
  auto store = openOrDie(file, {.readers = 2, .busyTimeoutMs = 50});
  ASSERT_NE(store, nullptr);
  RawDatabase other(file);
  other.exec("BEGIN IMMEDIATE");
  auto created = store->createUser(alice());
  ASSERT_FALSE(created);
  EXPECT_EQ(created.error().kind, ErrorKind::unavailable);
  EXPECT_EQ(created.error().code, "storage_unavailable");
  // Readers are not blocked by a writer in WAL mode.
  EXPECT_EQ(store->userById("ua").error().kind, ErrorKind::not_found);
  other.exec("ROLLBACK");
  EXPECT_TRUE(store->createUser(alice()));
}

TEST(SqliteStore, InternalErrorsKeepSqlOutOfTheMessage) {
  TempDir dir;
  const auto file = dir.path() / "stratus.db";
  auto store = openOrDie(file);
  ASSERT_NE(store, nullptr);
  RawDatabase other(file);
  other.exec("DROP TABLE invocations");
  auto listed = store->listInvocations("f1", 10);
  ASSERT_FALSE(listed);
  EXPECT_EQ(listed.error().kind, ErrorKind::internal);
  EXPECT_EQ(listed.error().message, "database error");
  EXPECT_EQ(listed.error().message.find("SELECT"), std::string::npos);
  const std::string described = listed.error().describe();
  EXPECT_NE(described.find("no such table"), std::string::npos) << described;
  EXPECT_NE(described.find("list invocations"), std::string::npos) << described;
}

TEST(SqliteStore, CorruptEnvironmentIsInternal) {
  TempDir dir;
  const auto file = dir.path() / "stratus.db";
  auto store = openOrDie(file);
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->createUser(alice()));
  Function f{.id = "f1", .userId = "ua", .name = "hello"};
  ASSERT_TRUE(store->createFunction(f, {.functionId = "f1", .version = 1}));
  RawDatabase other(file);
  other.exec("UPDATE functions SET env = '[1, 2]'");
  auto found = store->functionById("ua", "f1");
  ASSERT_FALSE(found);
  EXPECT_EQ(found.error().kind, ErrorKind::internal);
}

TEST(SqliteStore, RefusesADatabaseFromANewerVersion) {
  TempDir dir;
  const auto file = dir.path() / "stratus.db";
  ASSERT_NE(openOrDie(file), nullptr);
  {
    RawDatabase other(file);
    other.exec("INSERT INTO schema_migrations (version, applied_at) VALUES (999, 0)");
  }
  auto reopened = openSqliteStore(file);
  ASSERT_FALSE(reopened);
  EXPECT_EQ(reopened.error().code, "schema_too_new");
}

TEST(SqliteStore, ManyStoresOnOneFileShareTheData) {
  TempDir dir;
  const auto file = dir.path() / "stratus.db";
  auto first = openOrDie(file);
  auto second = openOrDie(file);
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  ASSERT_TRUE(first->createUser(alice()));
  EXPECT_TRUE(second->userById("ua"));
  EXPECT_EQ(second->createUser(alice()).error().kind, ErrorKind::conflict);
}

}  // namespace
}  // namespace stratus::store::sqlite
