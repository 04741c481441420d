// The server when its storage fails under it: PostgreSQL stopped in the middle of a load,
// S3 unreachable during an upload. Each test starts its own PostgreSQL cluster or s3rver,
// so stopping it touches no other test.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "client/http_client.h"
#include "client/response.h"
#include "support/server_process.h"
#include "support/storage.h"
#include "testing/postgres_server.h"
#include "testing/s3_server.h"

namespace stratus::e2e {
namespace {

using stratus::testing::PostgresServer;
using stratus::testing::S3ServerFixture;

std::string errorCode(const client::ClientResponse& response) {
  boost::system::error_code ec;
  auto value = boost::json::parse(response.body, ec);
  if (ec || !value.is_object() || !value.as_object().contains("error")) return "<no error>";
  return std::string(value.at("error").at("code").as_string());
}

client::ClientResponse deployFile(client::HttpClient& http, const std::string& name) {
  auto response = http.postMultipart("/api/v1/functions", {{"name", name}, {"handler", "main.handler"}},
                                     {{"functionFile", "main.py", "print('" + name + "')\n",
                                       "text/x-python"}});
  if (!response) return client::ClientResponse{.status = 0, .body = response.error().message};
  return *response;
}

// Everything the database holds for the account is whole: each function has its current
// version, and that version's code is in the blob store.
void expectNothingHalfWritten(const ServerProcess& server, const Account& account,
                              const std::set<std::string>& mustExist) {
  auto store = openServerStore(server);
  ASSERT_TRUE(store) << store.error().describe();
  auto blobs = openServerBlobs(server);
  ASSERT_TRUE(blobs) << blobs.error().describe();
  auto functions = (*store)->listFunctions(account.userId);
  ASSERT_TRUE(functions) << functions.error().describe();
  std::set<std::string> names;
  for (const auto& function : *functions) {
    names.insert(function.name);
    auto version = (*store)->functionVersion(function.id, function.currentVersion);
    ASSERT_TRUE(version) << function.name << " has no current version";
    auto present = (*blobs)->exists(version->blobKey);
    ASSERT_TRUE(present) << present.error().describe();
    EXPECT_TRUE(*present) << function.name << " has no code";
  }
  for (const auto& name : mustExist) EXPECT_TRUE(names.contains(name)) << name << " was lost";
}

TEST(StorageFaults, PostgresStoppedMidLoadAnswers503AndRecoversByItself) {
  if (!PostgresServer::available()) GTEST_SKIP() << "skipped: " << PostgresServer::skipReason();
  auto cluster = PostgresServer::start();
  ASSERT_NE(cluster, nullptr);
  auto server = ServerProcess::start({"--database", cluster->createDatabase()});
  ASSERT_TRUE(server);
  const Account account = createAccount(*server);

  // Four clients deploy and list as fast as they can while the database goes away.
  std::atomic<bool> stopping{false};
  std::mutex mutex;
  std::map<int, int> statuses;           // status -> count
  std::set<std::string> codes503;        // error codes of the 503s
  std::set<std::string> created;         // names the server said it created
  std::vector<std::thread> clients;
  for (int c = 0; c < 4; ++c) {
    clients.emplace_back([&, c] {
      client::HttpClient http(server->url(), account.apiKey);
      for (int i = 0; !stopping; ++i) {
        const std::string name = "f-" + std::to_string(c) + "-" + std::to_string(i);
        auto deployed = deployFile(http, name);
        auto listed = http.get("/api/v1/functions");
        std::lock_guard lock(mutex);
        ++statuses[deployed.status];
        if (deployed.status == 201) created.insert(name);
        if (deployed.status == 503) codes503.insert(errorCode(deployed));
        if (listed) {
          ++statuses[listed->status];
          if (listed->status == 503) codes503.insert(errorCode(*listed));
        }
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(800));
  ASSERT_TRUE(cluster->stop());
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  {
    std::lock_guard lock(mutex);
    EXPECT_GT(statuses[503], 0) << "the outage was noticed";
  }
  ASSERT_TRUE(cluster->restart()) << cluster->lastError();
  std::this_thread::sleep_for(std::chrono::milliseconds(800));
  stopping = true;
  for (auto& client : clients) client.join();

  for (const auto& [status, count] : statuses) {
    std::printf("  status %d: %d answers\n", status, count);
    EXPECT_TRUE(status == 200 || status == 201 || status == 503)
        << count << " answers with status " << status;
  }
  EXPECT_EQ(codes503, std::set<std::string>{"storage_unavailable"});
  EXPECT_EQ(::kill(server->pid(), 0), 0) << "the server is still running";

  // Service came back without a restart: the same server deploys again.
  client::HttpClient http(server->url(), account.apiKey);
  auto after = deployFile(http, "after-the-outage");
  EXPECT_EQ(after.status, 201) << after.body;
  created.insert("after-the-outage");
  expectNothingHalfWritten(*server, account, created);
  EXPECT_EQ(server->stop(), 0);
}

TEST(StorageFaults, S3UnreachableDuringAnUploadCreatesNothingAndSaysWhy) {
  if (!S3ServerFixture::available()) GTEST_SKIP() << "skipped: " << S3ServerFixture::skipReason();
  auto s3 = S3ServerFixture::start("faults");
  ASSERT_NE(s3, nullptr);
  auto server = ServerProcess::start(
      {"--blobs", "s3://faults/code?endpoint=" + s3->endpoint() + "&path-style=true"});
  ASSERT_TRUE(server);
  const Account account = createAccount(*server);
  client::HttpClient http(server->url(), account.apiKey);
  ASSERT_EQ(deployFile(http, "before").status, 201);

  ASSERT_TRUE(s3->stop());
  auto refused = deployFile(http, "during");
  EXPECT_EQ(refused.status, 503) << refused.body;
  EXPECT_EQ(errorCode(refused), "blob_storage_unavailable") << refused.body;
  EXPECT_EQ(refused.header("retry-after").value_or(""), "1");
  EXPECT_EQ(refused.body.find(s3->endpoint()), std::string::npos)
      << "the store's address stays in the log: " << refused.body;
  const std::string log = server->log();
  EXPECT_NE(log.find("the blob store (S3) is unreachable"), std::string::npos) << log;
  EXPECT_NE(log.find("S3 at " + s3->endpoint()), std::string::npos) << log;
  auto listed = client::expectJson(http.get("/api/v1/functions"));
  ASSERT_TRUE(listed);
  std::set<std::string> names;
  for (const auto& function : listed->at("functions").as_array()) {
    names.insert(std::string(function.at("name").as_string()));
  }
  EXPECT_EQ(names, std::set<std::string>{"before"}) << "the failed upload created nothing";

  ASSERT_TRUE(s3->restart());
  EXPECT_EQ(deployFile(http, "during").status, 201) << "the same upload works once S3 is back";
  expectNothingHalfWritten(*server, account, {"before", "during"});
  EXPECT_EQ(server->stop(), 0);
}

}  // namespace
}  // namespace stratus::e2e

namespace stratus::e2e {
namespace {

// In the PostgreSQL + S3 run, prove the servers really run there (and not on the defaults
// because a flag went missing): the server says what it opened when it starts.
TEST(StorageMode, ServersRunOnTheSelectedStorage) {
  auto server = ServerProcess::start();
  ASSERT_TRUE(server);
  const std::string log = server->log();
  if (usingPostgresS3()) {
    EXPECT_FALSE(server->storage().databaseUrl.empty());
    EXPECT_NE(log.find("\"database\":\"postgres://postgres@127.0.0.1:"), std::string::npos) << log;
    EXPECT_NE(log.find("\"blobs\":\"s3://stratus-e2e/server-"), std::string::npos) << log;
  } else {
    EXPECT_NE(log.find("\"database\":\"sqlite://"), std::string::npos) << log;
    EXPECT_NE(log.find("\"blobs\":\"file://"), std::string::npos) << log;
  }
  EXPECT_EQ(server->stop(), 0);
}

}  // namespace
}  // namespace stratus::e2e
