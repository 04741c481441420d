// The v1 routes the dashboard reads: executors, function stats, invocation pages, metrics
// buckets and the code viewer, against the real binary.
#include "support/shared_server.h"
#include "support/storage.h"
#include "support/zip_builder.h"

namespace stratus::e2e {
namespace {

class DashboardApi : public ::testing::Test {
 protected:
  void SetUp() override {
    account_ = createAccount(sharedServer());
    http_ = std::make_unique<client::HttpClient>(sharedServer().url(), account_.apiKey);
  }

  boost::json::object getJson(const std::string& path) {
    auto got = client::expectJson(http_->get(path));
    EXPECT_TRUE(got) << path << ": " << (got ? "" : got.error().describe());
    return got && got->is_object() ? got->as_object() : boost::json::object{};
  }

  void expectError(const std::string& path, long status, const std::string& code) {
    auto response = http_->get(path);
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, status) << path << ": " << response->body;
    auto json = boost::json::parse(response->body);
    ASSERT_TRUE(json.is_object()) << response->body;
    EXPECT_EQ(json.at("error").at("code").as_string(), code) << path << ": " << response->body;
  }

  std::string functionId(const std::string& name) {
    return std::string(getJson("/api/v1/functions/" + name).at("function").at("id").as_string());
  }

  // Runs cloud.py through the clone's route; false (and the test skips) without a sandbox.
  client::ClientResponse callCloud(const std::string& query) {
    auto response = http_->get("/api/function/" + account_.userId + "/cloud/sandbox?" + query);
    EXPECT_TRUE(response);
    return response ? *response : client::ClientResponse{};
  }

  Account account_;
  std::unique_ptr<client::HttpClient> http_;
};

TEST_F(DashboardApi, ExecutorsAreTheThreeInOrderWithReasonsOnlyWhenUnavailable) {
  auto json = getJson("/api/v1/executors");
  const auto& list = json.at("executors").as_array();
  ASSERT_EQ(list.size(), 3u);
  const char* names[] = {"sandbox", "docker", "nanos"};
  for (std::size_t i = 0; i < 3; ++i) {
    const auto& entry = list[i].as_object();
    EXPECT_EQ(entry.at("name").as_string(), names[i]);
    bool available = entry.at("available").as_bool();
    EXPECT_EQ(entry.contains("reason"), !available) << boost::json::serialize(entry);
    if (!available) {
      std::string reason(entry.at("reason").as_string());
      EXPECT_FALSE(reason.empty());
      EXPECT_EQ(reason.find('/'), std::string::npos) << "no host paths: " << reason;
    }
  }
  // The list agrees with what a call gets: an unavailable executor answers 501.
  ASSERT_EQ(deploy(*http_, "cloud", "cloud.py", readSource("examples/cloud.py"), "cloud.calculator")
                .status,
            201);
  for (std::size_t i = 0; i < 3; ++i) {
    if (list[i].at("available").as_bool()) continue;
    auto call = http_->get("/api/function/" + account_.userId + "/cloud/" + names[i] + "?a=1&b=2");
    ASSERT_TRUE(call);
    EXPECT_EQ(call->status, 501) << names[i] << ": " << call->body;
  }

  client::HttpClient anonymous(sharedServer().url());
  auto refused = anonymous.get("/api/v1/executors");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 401);
}

TEST_F(DashboardApi, StatsSummariseTheLastDayOnlyWhenAsked) {
  ASSERT_EQ(deploy(*http_, "cloud", "cloud.py", readSource("examples/cloud.py"), "cloud.calculator")
                .status,
            201);
  ASSERT_EQ(deploy(*http_, "idle", "cloud.py", readSource("examples/cloud.py"), "cloud.calculator")
                .status,
            201);
  auto plain = getJson("/api/v1/functions");
  EXPECT_FALSE(plain.at("functions").at(0).as_object().contains("stats"));

  auto ok = callCloud("a=10&b=5");
  STRATUS_SKIP_IF_NO_SANDBOX(ok);
  ASSERT_EQ(ok.status, 200) << ok.body;
  auto failed = callCloud("a=x");  // usage error: exit status 1
  ASSERT_EQ(failed.status, 200) << failed.body;
  ASSERT_EQ(boost::json::parse(failed.body).at("status").as_int64(), 1);

  auto listed = getJson("/api/v1/functions?include=stats");
  const auto& functions = listed.at("functions").as_array();
  ASSERT_EQ(functions.size(), 2u);
  const auto& cloud = functions[0].as_object();  // sorted by name
  ASSERT_EQ(cloud.at("name").as_string(), "cloud");
  EXPECT_TRUE(cloud.contains("runtime"));  // the usual fields stay
  const auto& stats = cloud.at("stats").as_object();
  EXPECT_EQ(stats.at("calls24h").as_int64(), 2);
  EXPECT_EQ(stats.at("errors24h").as_int64(), 1);
  EXPECT_TRUE(stats.at("p50Ms").is_number());
  ASSERT_TRUE(stats.at("lastInvokedAt").is_int64());
  auto invocations = getJson("/api/v1/functions/cloud/invocations");
  EXPECT_EQ(stats.at("lastInvokedAt").as_int64(),
            invocations.at("invocations").at(0).at("startedAt").as_int64());

  const auto& idle = functions[1].at("stats").as_object();
  EXPECT_TRUE(idle.at("lastInvokedAt").is_null());
  EXPECT_EQ(idle.at("calls24h").as_int64(), 0);
  EXPECT_EQ(idle.at("errors24h").as_int64(), 0);
  EXPECT_TRUE(idle.at("p50Ms").is_null());
}

TEST_F(DashboardApi, InvocationsPageByCursorAndFilterByStatus) {
  ASSERT_EQ(deploy(*http_, "paged", "cloud.py", readSource("examples/cloud.py"), "cloud.calculator")
                .status,
            201);
  std::string id = functionId("paged");
  // Planted in the server's own store, five per millisecond, so pages split equal times.
  auto db = openServerStore(sharedServer());
  ASSERT_TRUE(db) << db.error().describe();
  std::vector<store::Invocation> planted;
  for (int64_t startedAt : {3000, 2000, 1000}) {
    for (std::string suffix : {"e", "d", "c", "b", "a"}) {
      store::Invocation i{.id = "inv" + std::to_string(startedAt) + suffix, .functionId = id,
                          .version = 1, .executor = "sandbox", .startedAt = startedAt,
                          .durationMs = 5, .status = suffix == "b" ? "error" : "ok"};
      planted.push_back(i);
    }
  }
  ASSERT_TRUE((*db)->recordInvocations(planted));

  std::vector<std::string> seen;
  std::string path = "/api/v1/functions/paged/invocations?limit=4";
  for (int pages = 0; pages < 10; ++pages) {
    auto page = getJson(path);
    for (const auto& i : page.at("invocations").as_array())
      seen.emplace_back(i.at("id").as_string());
    if (page.at("nextCursor").is_null()) break;
    EXPECT_EQ(page.at("invocations").as_array().size(), 4u);
    path = "/api/v1/functions/paged/invocations?limit=4&before=" +
           std::string(page.at("nextCursor").as_string());
  }
  std::vector<std::string> expected;
  for (const auto& i : planted) expected.push_back(i.id);
  EXPECT_EQ(seen, expected);

  // Exactly a full last page: no cursor to an empty page.
  auto all = getJson("/api/v1/functions/paged/invocations?limit=15");
  EXPECT_EQ(all.at("invocations").as_array().size(), 15u);
  EXPECT_TRUE(all.at("nextCursor").is_null());

  auto errors = getJson("/api/v1/functions/paged/invocations?status=error&limit=2");
  const auto& errorList = errors.at("invocations").as_array();
  ASSERT_EQ(errorList.size(), 2u);
  EXPECT_EQ(errorList[0].at("id").as_string(), "inv3000b");
  EXPECT_EQ(errorList[1].at("id").as_string(), "inv2000b");
  // Every field of the old answer is still there.
  for (auto field : {"id", "version", "executor", "startedAt", "durationMs", "status", "exitCode",
                     "timedOut", "coldStart", "initDurationMs", "memoryUsed", "error", "logExcerpt"})
    EXPECT_TRUE(errorList[0].as_object().contains(field)) << field;
  auto rest = getJson("/api/v1/functions/paged/invocations?status=error&limit=2&before=" +
                      std::string(errors.at("nextCursor").as_string()));
  ASSERT_EQ(rest.at("invocations").as_array().size(), 1u);
  EXPECT_EQ(rest.at("invocations").at(0).at("id").as_string(), "inv1000b");
  EXPECT_TRUE(rest.at("nextCursor").is_null());

  expectError("/api/v1/functions/paged/invocations?before=bogus", 400, "invalid_cursor");
  expectError("/api/v1/functions/paged/invocations?before=", 400, "invalid_cursor");
  expectError("/api/v1/functions/paged/invocations?status=failed", 400, "invalid_status");
  expectError("/api/v1/functions/paged/invocations?limit=0", 400, "invalid_limit");
  expectError("/api/v1/functions/paged/invocations?limit=1001", 400, "invalid_limit");
  EXPECT_EQ(getJson("/api/v1/functions/paged/invocations?limit=200").at("invocations").as_array().size(),
            15u);
}

TEST_F(DashboardApi, MetricsHaveEveryBucketAndACallLandsInTheLast) {
  ASSERT_EQ(deploy(*http_, "cloud", "cloud.py", readSource("examples/cloud.py"), "cloud.calculator")
                .status,
            201);
  auto day = getJson("/api/v1/functions/cloud/metrics?window=24h");
  EXPECT_EQ(day.at("window").as_string(), "24h");
  EXPECT_EQ(day.at("bucketMs").as_int64(), 900000);
  ASSERT_EQ(day.at("buckets").as_array().size(), 96u);
  EXPECT_EQ(day.at("to").as_int64() - day.at("from").as_int64(), 96 * 900000);
  expectError("/api/v1/functions/cloud/metrics?window=7d", 400, "invalid_window");

  auto empty = getJson("/api/v1/functions/cloud/metrics");
  EXPECT_EQ(empty.at("window").as_string(), "1h");
  EXPECT_EQ(empty.at("bucketMs").as_int64(), 60000);
  const auto& quiet = empty.at("buckets").as_array();
  ASSERT_EQ(quiet.size(), 60u);
  int64_t from = empty.at("from").as_int64();
  EXPECT_EQ(from % 60000, 0);
  for (std::size_t i = 0; i < quiet.size(); ++i) {
    EXPECT_EQ(quiet[i].at("start").as_int64(), from + int64_t(i) * 60000);
    EXPECT_EQ(quiet[i].at("calls").as_int64(), 0);
    EXPECT_TRUE(quiet[i].at("p50Ms").is_null());
    EXPECT_TRUE(quiet[i].at("p99Ms").is_null());
  }

  // A minute may turn between the call and the question: then once more.
  boost::json::object metrics;
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto call = callCloud("a=1&b=2");
    STRATUS_SKIP_IF_NO_SANDBOX(call);
    ASSERT_EQ(call.status, 200) << call.body;
    metrics = getJson("/api/v1/functions/cloud/metrics?window=1h");
    if (metrics.at("buckets").as_array().back().at("calls").as_int64() > 0) break;
  }
  const auto& last = metrics.at("buckets").as_array().back().as_object();
  EXPECT_GE(last.at("calls").as_int64(), 1) << boost::json::serialize(metrics);
  EXPECT_EQ(last.at("errors").as_int64(), 0);
  EXPECT_TRUE(last.at("p50Ms").is_number());
  EXPECT_TRUE(last.at("p99Ms").is_number());
  EXPECT_EQ(last.at("start").as_int64() + 60000, metrics.at("to").as_int64());
}

TEST_F(DashboardApi, CodeOfASingleFileAndOfAZipWithAFolder) {
  std::string source = readSource("examples/cloud.py");
  ASSERT_EQ(deploy(*http_, "cloud", "cloud.py", source, "cloud.calculator").status, 201);
  auto listing = getJson("/api/v1/functions/cloud/code");
  EXPECT_EQ(listing.at("version").as_int64(), 1);
  const auto& files = listing.at("files").as_array();
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].at("path").as_string(), "cloud.py");
  EXPECT_EQ(files[0].at("size").as_int64(), int64_t(source.size()));
  EXPECT_FALSE(files[0].at("binary").as_bool());
  auto file = getJson("/api/v1/functions/cloud/code/file?path=cloud.py");
  EXPECT_EQ(file.at("path").as_string(), "cloud.py");
  EXPECT_EQ(file.at("content").as_string(), source);
  EXPECT_EQ(file.at("size").as_int64(), int64_t(source.size()));
  EXPECT_FALSE(file.at("binary").as_bool());
  EXPECT_FALSE(file.at("truncated").as_bool());

  // Version 2: a zip with a folder, a binary file and a file past the viewer's limit.
  std::string big(300 * 1024, 'x');
  std::string zip = buildZip({{.path = "main.py", .content = "from lib import util\n"},
                              {.path = "lib/util.py", .content = "VALUE = 'h\xC3\xA9'\n"},
                              {.path = "lib/data.bin", .content = std::string("\x00\x01\x02", 3)},
                              {.path = "big.txt", .content = big}});
  auto updated = http_->putMultipart("/api/v1/functions/cloud/code", {},
                                     {client::FilePart{"functionFile", "code.zip", zip}});
  ASSERT_TRUE(updated);
  ASSERT_EQ(updated->status, 400) << "the entry file cloud.py is missing: " << updated->body;
  zip = buildZip({{.path = "cloud.py", .content = source},
                  {.path = "lib/util.py", .content = "VALUE = 'h\xC3\xA9'\n"},
                  {.path = "lib/data.bin", .content = std::string("\x00\x01\x02", 3)},
                  {.path = "big.txt", .content = big}});
  updated = http_->putMultipart("/api/v1/functions/cloud/code", {},
                                {client::FilePart{"functionFile", "code.zip", zip}});
  ASSERT_TRUE(updated);
  ASSERT_EQ(updated->status, 200) << updated->body;

  auto current = getJson("/api/v1/functions/cloud/code");
  EXPECT_EQ(current.at("version").as_int64(), 2);
  std::vector<std::string> paths;
  for (const auto& f : current.at("files").as_array()) paths.emplace_back(f.at("path").as_string());
  EXPECT_EQ(paths, (std::vector<std::string>{"big.txt", "cloud.py", "lib/data.bin", "lib/util.py"}));
  EXPECT_TRUE(current.at("files").at(2).at("binary").as_bool());
  EXPECT_EQ(getJson("/api/v1/functions/cloud/code?version=1").at("files").as_array().size(), 1u);

  auto nested = getJson("/api/v1/functions/cloud/code/file?path=lib/util.py");
  EXPECT_EQ(nested.at("content").as_string(), "VALUE = 'h\xC3\xA9'\n");
  auto binary = getJson("/api/v1/functions/cloud/code/file?path=lib%2Fdata.bin&version=2");
  EXPECT_TRUE(binary.at("binary").as_bool());
  EXPECT_EQ(binary.at("content").as_string(), "");
  EXPECT_EQ(binary.at("size").as_int64(), 3);
  auto cut = getJson("/api/v1/functions/cloud/code/file?path=big.txt");
  EXPECT_TRUE(cut.at("truncated").as_bool());
  EXPECT_EQ(cut.at("content").as_string().size(), 256u * 1024);
  EXPECT_EQ(cut.at("size").as_int64(), int64_t(big.size()));

  expectError("/api/v1/functions/cloud/code?version=3", 404, "version_not_found");
  expectError("/api/v1/functions/cloud/code/file?path=cloud.py&version=9", 404, "version_not_found");
  expectError("/api/v1/functions/cloud/code/file?path=nope.py", 404, "file_not_found");
  expectError("/api/v1/functions/cloud/code/file?path=lib", 404, "file_not_found");
  expectError("/api/v1/functions/cloud/code/file?path=../cloud.py", 404, "file_not_found");
  expectError("/api/v1/functions/cloud/code/file?path=/etc/passwd", 404, "file_not_found");
  expectError("/api/v1/functions/cloud/code/file?path=lib/../cloud.py", 404, "file_not_found");
  expectError("/api/v1/functions/cloud/code/file", 400, "missing_path");
  expectError("/api/v1/functions/cloud/code?version=x", 400, "invalid_version");
}

TEST_F(DashboardApi, AnotherUsersFunctionIsNotFoundOnEveryNewRoute) {
  ASSERT_EQ(deploy(*http_, "mine", "cloud.py", readSource("examples/cloud.py"), "cloud.calculator")
                .status,
            201);
  Account other = createAccount(sharedServer());
  client::HttpClient stranger(sharedServer().url(), other.apiKey);
  std::string id = functionId("mine");
  for (const std::string& target : {std::string("mine"), id}) {
    for (const std::string& suffix :
         {std::string("/invocations"), std::string("/invocations?status=ok"),
          std::string("/metrics"), std::string("/metrics?window=24h"), std::string("/code"),
          std::string("/code/file?path=cloud.py")}) {
      auto response = stranger.get("/api/v1/functions/" + target + suffix);
      ASSERT_TRUE(response);
      EXPECT_EQ(response->status, 404) << target << suffix << ": " << response->body;
      EXPECT_NE(response->body.find("function_not_found"), std::string::npos) << response->body;
    }
  }
  auto theirs = client::expectJson(stranger.get("/api/v1/functions?include=stats"));
  ASSERT_TRUE(theirs);
  EXPECT_TRUE(theirs->at("functions").as_array().empty());
}

}  // namespace
}  // namespace stratus::e2e
