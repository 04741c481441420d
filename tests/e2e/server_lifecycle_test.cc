// Limits and shutdown of the real server process.
#include <future>
#include <thread>

#include "support/shared_server.h"

namespace stratus::e2e {
namespace {

TEST(ServerLifecycle, HealthAndReadiness) {
  client::HttpClient http(sharedServer().url());
  auto health = http.get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(boost::json::parse(health->body).at("status").as_string(), "ok");
  EXPECT_TRUE(health->header("x-request-id").has_value());
  EXPECT_EQ(http.get("/readyz")->status, 200);
}

TEST(ServerLifecycle, UploadLargerThanTheLimitIs413AndTheServerGoesOn) {
  auto server = ServerProcess::start({"--max-upload-mb", "1"});
  ASSERT_TRUE(server);
  Account account = createAccount(*server);
  client::HttpClient http(server->url(), account.apiKey);
  std::string big(3u << 20, '#');
  auto response = http.postMultipart("/api/v1/functions", {{"name", "big"}, {"handler", "m.h"}},
                                     {client::FilePart{"functionFile", "m.py", big}});
  // The server may answer 413 and close before curl has sent the whole body.
  if (response) {
    EXPECT_EQ(response->status, 413) << response->body;
  }
  client::HttpClient fresh(server->url(), account.apiKey);
  EXPECT_EQ(fresh.get("/healthz")->status, 200);
  auto listed = client::expectJson(fresh.get("/api/v1/functions"));
  ASSERT_TRUE(listed);
  EXPECT_TRUE(listed->at("functions").as_array().empty());
  EXPECT_EQ(server->stop(), 0);
}

TEST(ServerLifecycle, SigtermLetsInFlightInvocationsFinish) {
  auto server = ServerProcess::start();
  ASSERT_TRUE(server);
  Account account = createAccount(*server);
  client::HttpClient http(server->url(), account.apiKey);
  ASSERT_EQ(deploy(http, "slow", "main.py", "import time\ntime.sleep(2)\nprint('finished')\n",
                   "main.handler", {{"timeout", "10"}})
                .status,
            201);
  auto call = std::async(std::launch::async, [&] {
    client::HttpClient caller(server->url(), account.apiKey);
    return caller.postJson("/api/v1/functions/slow/invoke", boost::json::object{});
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  int exitStatus = server->stop();
  auto response = call.get();
  ASSERT_TRUE(response) << response.error().message;
  if (response->status == 501) GTEST_SKIP() << "skipped: no sandbox here: " << response->body;
  EXPECT_EQ(response->status, 200) << response->body;
  EXPECT_EQ(boost::json::parse(response->body).at("stdout").as_string(), "finished\n");
  EXPECT_EQ(exitStatus, 0);
}

}  // namespace
}  // namespace stratus::e2e
