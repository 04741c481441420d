// The dashboard's files served by the real binary from a web folder: caching by kind of
// file, the app's routes answering index.html, ETags and 304, the HTML security headers,
// and the API unaffected.
#include <fstream>

#include "support/shared_server.h"
#include "testing/temp_dir.h"

namespace stratus::e2e {
namespace {

const std::string kIndex =
    "<!doctype html><html><head><script type=\"module\" crossorigin "
    "src=\"/assets/x.js\"></script></head><body><div id=\"app\"></div></body></html>";
const std::string kScript = "document.getElementById('app').textContent = 'hi';";

void write(const std::filesystem::path& file, const std::string& content) {
  std::filesystem::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << content;
}

class DashboardStatic : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    web_ = new stratus::testing::TempDir();
    std::filesystem::permissions(web_->path(), std::filesystem::perms(0755));
    write(web_->path() / "index.html", kIndex);
    write(web_->path() / "assets" / "x.js", kScript);
    write(web_->path() / "favicon.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    write(web_->path() / ".env", "SECRET=1");
    server_ = ServerProcess::start({}, {"STRATUS_WEB_DIR=" + web_->path().string()}).release();
  }
  static void TearDownTestSuite() {
    if (server_) {
      EXPECT_EQ(server_->stop(), 0);
    }
    delete server_;
    delete web_;
  }
  void SetUp() override { ASSERT_NE(server_, nullptr) << "the server with a web folder did not start"; }

  client::ClientResponse fetch(const std::string& path, const client::HeaderList& headers = {},
                               const std::string& method = "GET") {
    client::HttpClient http(server_->url());
    auto response = http.request(method, path, {}, {}, headers);
    EXPECT_TRUE(response) << path;
    return response ? *response : client::ClientResponse{};
  }

  static stratus::testing::TempDir* web_;
  static ServerProcess* server_;
};

stratus::testing::TempDir* DashboardStatic::web_ = nullptr;
ServerProcess* DashboardStatic::server_ = nullptr;

TEST_F(DashboardStatic, IndexAtTheRootUncachedWithThePagePolicy) {
  auto index = fetch("/");
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.body, kIndex);
  EXPECT_EQ(headerOf(index, "Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(headerOf(index, "Cache-Control"), "no-cache");
  std::string csp = headerOf(index, "Content-Security-Policy");
  EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << csp;
  EXPECT_NE(csp.find("style-src 'self' 'unsafe-inline'"), std::string::npos) << csp;
  EXPECT_EQ(headerOf(index, "X-Frame-Options"), "DENY");
  EXPECT_EQ(headerOf(index, "X-Content-Type-Options"), "nosniff");
  EXPECT_FALSE(headerOf(index, "ETag").empty());
}

TEST_F(DashboardStatic, TheAppsRoutesAnswerIndex) {
  for (auto path : {"/signin", "/signup", "/forgot", "/account", "/functions", "/functions/cloud",
                    "/functions/cloud/invocations"}) {
    auto page = fetch(path);
    EXPECT_EQ(page.status, 200) << path;
    EXPECT_EQ(page.body, kIndex) << path;
    EXPECT_EQ(headerOf(page, "Cache-Control"), "no-cache") << path;
    EXPECT_FALSE(headerOf(page, "Content-Security-Policy").empty()) << path;
  }
}

TEST_F(DashboardStatic, AssetsAreImmutableOtherFilesAnHour) {
  auto script = fetch("/assets/x.js");
  EXPECT_EQ(script.status, 200);
  EXPECT_EQ(script.body, kScript);
  EXPECT_EQ(headerOf(script, "Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(headerOf(script, "Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_TRUE(headerOf(script, "Content-Security-Policy").empty());
  auto icon = fetch("/favicon.svg");
  EXPECT_EQ(icon.status, 200);
  EXPECT_EQ(headerOf(icon, "Content-Type"), "image/svg+xml");
  EXPECT_EQ(headerOf(icon, "Cache-Control"), "public, max-age=3600");

  auto head = fetch("/assets/x.js", {}, "HEAD");
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
  EXPECT_EQ(headerOf(head, "Content-Length"), std::to_string(kScript.size()));
}

TEST_F(DashboardStatic, IfNoneMatchGets304) {
  for (auto path : {"/assets/x.js", "/functions/cloud"}) {
    auto first = fetch(path);
    std::string etag = headerOf(first, "ETag");
    ASSERT_FALSE(etag.empty()) << path;
    auto again = fetch(path, {{"If-None-Match", etag}});
    EXPECT_EQ(again.status, 304) << path;
    EXPECT_TRUE(again.body.empty());
    EXPECT_EQ(headerOf(again, "ETag"), etag);
    auto stale = fetch(path, {{"If-None-Match", "\"an-older-build\""}});
    EXPECT_EQ(stale.status, 200) << path;
  }
}

TEST_F(DashboardStatic, NothingElseIsServedAndTheApiIsUnaffected) {
  for (auto path : {"/.env", "/assets/missing.js", "/assets/%2e%2e/.env", "/assets/..%2f.env",
                    "/nothing-here"}) {
    auto refused = fetch(path);
    EXPECT_TRUE(refused.status == 404 || refused.status == 400) << path << ": " << refused.status;
    EXPECT_EQ(refused.body.find("SECRET"), std::string::npos) << path;
  }
  auto api = fetch("/api/v1/nothing");
  EXPECT_EQ(api.status, 404);
  EXPECT_NE(api.body.find("\"error\""), std::string::npos) << api.body;
  EXPECT_EQ(headerOf(api, "Content-Type").substr(0, 16), "application/json");
  auto unauthenticated = fetch("/api/v1/functions");
  EXPECT_EQ(unauthenticated.status, 401);
  EXPECT_EQ(fetch("/healthz").status, 200);
  EXPECT_EQ(fetch("/", {}, "POST").status, 405);
}

TEST(DashboardStaticStartUp, ANamedFolderWithoutIndexStopsTheServer) {
  stratus::testing::TempDir empty;
  EXPECT_EQ(ServerProcess::start({"--web-dir", empty.path().string()}), nullptr);
}

// An API-only server (--web-dir off) keeps the plain-text note at "/" and has no app routes.
TEST(DashboardStaticStartUp, WithTheDashboardOffTheRootIsAPlainNote) {
  auto server = ServerProcess::start({"--web-dir", "off"});
  ASSERT_NE(server, nullptr);
  client::HttpClient http(server->url());
  auto root = http.get("/");
  ASSERT_TRUE(root);
  EXPECT_EQ(root->status, 200);
  EXPECT_EQ(headerOf(*root, "Content-Type").substr(0, 10), "text/plain");
  EXPECT_NE(root->body.find("Stratus is running"), std::string::npos);
  EXPECT_EQ(http.get("/signin")->status, 404);
  EXPECT_NE(server->log().find("dashboard off"), std::string::npos) << server->log();
}

}  // namespace
}  // namespace stratus::e2e
