#include "support/storage.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <map>
#include <optional>

#include "blob/local/local_blob_store.h"
#include "blob/s3/s3_blob_store.h"
#include "store/postgres/postgres_store.h"
#include "store/sqlite/sqlite_store.h"
#include "support/server_process.h"
#include "testing/postgres_server.h"
#include "testing/s3_server.h"

namespace stratus::e2e {
namespace {

constexpr const char* kBucket = "stratus-e2e";

struct Services {
  std::unique_ptr<testing::PostgresServer> postgres;
  std::unique_ptr<testing::S3ServerFixture> s3;
};

Services& services() {
  static Services shared;
  return shared;
}

// Starts PostgreSQL and s3rver before the first test, or skips every test with the
// reason. The skip line is what ctest looks for to report the whole run as skipped.
class PostgresS3Environment : public ::testing::Environment {
 public:
  void SetUp() override {
    std::string reason;
    if (!testing::PostgresServer::available()) reason = testing::PostgresServer::skipReason();
    else if (!testing::S3ServerFixture::available()) reason = testing::S3ServerFixture::skipReason();
    if (!reason.empty()) {
      std::printf("STRATUS-E2E-SKIPPED: %s\n", reason.c_str());
      GTEST_SKIP() << "skipped: " << reason;
    }
    // Installed but not starting is a broken setup: fail, never pass untested.
    services().postgres = testing::PostgresServer::start();
    if (!services().postgres) GTEST_FAIL() << "the PostgreSQL test cluster did not start";
    services().s3 = testing::S3ServerFixture::start(kBucket);
    if (!services().s3) GTEST_FAIL() << "s3rver did not start";
  }
  void TearDown() override {
    services().s3.reset();
    services().postgres.reset();
  }
};

const bool kRegistered = [] {
  if (usingPostgresS3()) ::testing::AddGlobalTestEnvironment(new PostgresS3Environment);
  return true;
}();

std::map<std::string, std::string> s3Environment() {
  return {{"AWS_ACCESS_KEY_ID", "S3RVER"}, {"AWS_SECRET_ACCESS_KEY", "S3RVER"},
          {"AWS_REGION", "us-east-1"}};
}

}  // namespace

bool usingPostgresS3() {
  const char* value = std::getenv("STRATUS_E2E_STORAGE");
  return value != nullptr && std::string(value) == "postgres-s3";
}

ServerStorage freshStorage(const std::vector<std::string>& serverArgs) {
  ServerStorage storage;
  auto given = [&](const std::string& flag) -> std::optional<std::string> {
    for (std::size_t i = 0; i + 1 < serverArgs.size(); ++i) {
      if (serverArgs[i] == flag) return serverArgs[i + 1];
    }
    return std::nullopt;
  };
  if (auto database = given("--database"); database && database->starts_with("postgres")) {
    storage.databaseUrl = *database;
  }
  if (auto blobs = given("--blobs"); blobs && blobs->starts_with("s3://")) {
    storage.blobsUrl = *blobs;
    for (const auto& [name, value] : s3Environment()) storage.env.push_back(name + "=" + value);
  }
  if (given("--database") || given("--blobs")) return storage;
  if (!usingPostgresS3() || !services().postgres || !services().s3) return storage;
  static std::atomic<int> counter{0};
  storage.databaseUrl = services().postgres->createDatabase();
  storage.blobsUrl = std::string("s3://") + kBucket + "/server-" + std::to_string(::getpid()) +
                     "-" + std::to_string(counter++) + "?endpoint=" + services().s3->endpoint() +
                     "&path-style=true";
  storage.args = {"--database", storage.databaseUrl, "--blobs", storage.blobsUrl};
  for (const auto& [name, value] : s3Environment()) storage.env.push_back(name + "=" + value);
  return storage;
}

Result<store::MetadataStorePtr> openServerStore(const ServerProcess& server) {
  if (server.storage().databaseUrl.empty()) {
    return store::sqlite::openSqliteStore(server.dataDir() / "stratus.db");
  }
  return store::postgres::openPostgresStore(server.storage().databaseUrl,
                                            store::postgres::PostgresOptions{.poolSize = 2});
}

Result<blob::BlobStorePtr> openServerBlobs(const ServerProcess& server) {
  if (server.storage().blobsUrl.empty()) return blob::openLocalBlobStore(server.dataDir() / "blobs");
  auto options = blob::s3OptionsFrom(server.storage().blobsUrl, s3Environment());
  if (!options) return std::unexpected(std::move(options.error()));
  return blob::openS3BlobStore(*options);
}

}  // namespace stratus::e2e
