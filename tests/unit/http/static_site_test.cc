#include "http/static_site.h"

#include <gtest/gtest.h>

#include "common/crypto.h"

namespace stratus::http {
namespace {

class StaticSiteTest : public ::testing::Test {
 protected:
  void SetUp() override { initCrypto(); }

  static StaticSite site() {
    return StaticSite({{"index.html", "<!doctype html><div id=app></div>"},
                       {"assets/index-1a2B_c.js", "console.log(1)"},
                       {"assets/index-9z.css", "body{}"},
                       {"favicon.svg", "<svg/>"}});
  }

  static Request get(std::string path) {
    Request request;
    request.method = "GET";
    request.path = std::move(path);
    return request;
  }
};

TEST_F(StaticSiteTest, ContentTypesByExtension) {
  EXPECT_EQ(staticContentType("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(staticContentType("assets/a.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(staticContentType("assets/a.CSS"), "text/css; charset=utf-8");
  EXPECT_EQ(staticContentType("favicon.svg"), "image/svg+xml");
  EXPECT_EQ(staticContentType("logo.png"), "image/png");
  EXPECT_EQ(staticContentType("favicon.ico"), "image/x-icon");
  EXPECT_EQ(staticContentType("manifest.json"), "application/json");
  EXPECT_EQ(staticContentType("assets/font.woff2"), "font/woff2");
  EXPECT_EQ(staticContentType("assets/a.js.map"), "application/json");
  EXPECT_EQ(staticContentType("LICENSE"), "application/octet-stream");
  EXPECT_EQ(staticContentType(".js"), "application/octet-stream");
  EXPECT_EQ(staticContentType("assets.js/readme"), "application/octet-stream");
}

TEST_F(StaticSiteTest, CacheControlByKindOfFile) {
  EXPECT_EQ(staticCacheControl("index.html"), "no-cache");
  EXPECT_EQ(staticCacheControl("assets/index-1a2b.js"), "public, max-age=31536000, immutable");
  EXPECT_EQ(staticCacheControl("favicon.svg"), "public, max-age=3600");
  EXPECT_EQ(staticCacheControl("docs/index.html"), "public, max-age=3600");
}

TEST_F(StaticSiteTest, SpaRoutes) {
  for (auto path : {"/", "/signin", "/signup", "/forgot", "/account", "/functions", "/functions/",
                    "/functions/cloud", "/functions/cloud/invocations", "/signin/"})
    EXPECT_TRUE(isSpaRoute(path)) << path;
  for (auto path : {"", "/api", "/api/v1/functions", "/functionsx", "/signin/x", "/healthz",
                    "/verify", "/reset", "/assets/a.js", "/index.html", "//"})
    EXPECT_FALSE(isSpaRoute(path)) << path;
}

TEST_F(StaticSiteTest, EtagComparison) {
  std::string tag = staticEtag("abc");
  ASSERT_GE(tag.size(), 3u);
  EXPECT_EQ(tag.front(), '"');
  EXPECT_EQ(tag.back(), '"');
  EXPECT_EQ(tag, staticEtag("abc"));
  EXPECT_NE(tag, staticEtag("abd"));
  EXPECT_TRUE(etagMatches(tag, tag));
  EXPECT_TRUE(etagMatches("W/" + tag, tag));
  EXPECT_TRUE(etagMatches("\"other\", " + tag, tag));
  EXPECT_TRUE(etagMatches(" * ", tag));
  EXPECT_FALSE(etagMatches("\"other\"", tag));
  EXPECT_FALSE(etagMatches("", tag));
  EXPECT_FALSE(etagMatches(tag.substr(1, tag.size() - 2), tag));  // unquoted is another tag
}

TEST_F(StaticSiteTest, SpaRoutesAnswerIndexUncached) {
  auto s = site();
  for (auto path : {"/", "/functions/cloud", "/signin", "/index.html"}) {
    auto response = s.respond(get(path));
    ASSERT_TRUE(response) << path;
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->body, "<!doctype html><div id=app></div>");
    EXPECT_EQ(response->header("Content-Type"), "text/html; charset=utf-8");
    EXPECT_EQ(response->header("Cache-Control"), "no-cache");
  }
}

TEST_F(StaticSiteTest, FilesAnswerWithTheirTypeAndCaching) {
  auto s = site();
  auto js = s.respond(get("/assets/index-1a2B_c.js"));
  ASSERT_TRUE(js);
  EXPECT_EQ(js->body, "console.log(1)");
  EXPECT_EQ(js->header("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(js->header("Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(js->header("ETag"), staticEtag("console.log(1)"));
  auto icon = s.respond(get("/favicon.svg"));
  ASSERT_TRUE(icon);
  EXPECT_EQ(icon->header("Cache-Control"), "public, max-age=3600");
}

TEST_F(StaticSiteTest, UnknownPathsAndTraversalAnswerNothing) {
  auto s = site();
  for (auto path : {"/assets/missing.js", "/assets/../index.html", "/../index.html", "/assets",
                    "/api/v1/functions", "assets/index-9z.css", "/ASSETS/index-9z.css"})
    EXPECT_FALSE(s.respond(get(path))) << path;
}

TEST_F(StaticSiteTest, MatchingIfNoneMatchIs304WithoutBody) {
  auto s = site();
  auto request = get("/assets/index-9z.css");
  request.headers.emplace("If-None-Match", staticEtag("body{}"));
  auto response = s.respond(request);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 304);
  EXPECT_TRUE(response->body.empty());
  EXPECT_EQ(response->header("ETag"), staticEtag("body{}"));
  EXPECT_EQ(response->header("Cache-Control"), "public, max-age=31536000, immutable");

  request.headers.clear();
  request.headers.emplace("If-None-Match", staticEtag("old build"));
  EXPECT_EQ(s.respond(request)->status, 200);
}

TEST_F(StaticSiteTest, RoutePatternsAreTheAppsRoutesAndEachFile) {
  auto patterns = StaticSite({{"index.html", "x"}, {"assets/a.js", "y"}, {"{odd}.txt", "z"}})
                      .routePatterns();
  auto has = [&](std::string_view p) { return std::ranges::find(patterns, p) != patterns.end(); };
  EXPECT_TRUE(has("/"));
  EXPECT_TRUE(has("/functions/{route+}"));
  EXPECT_TRUE(has("/index.html"));
  EXPECT_TRUE(has("/assets/a.js"));
  EXPECT_FALSE(has("/{odd}.txt"));  // would read as a placeholder
}

TEST_F(StaticSiteTest, WithoutIndexTheAppRoutesAnswerNothing) {
  StaticSite s(std::map<std::string, std::string>{{"assets/a.js", "y"}});
  EXPECT_FALSE(s.hasIndex());
  EXPECT_FALSE(s.respond(get("/")));
  EXPECT_TRUE(s.respond(get("/assets/a.js")));
}

}  // namespace
}  // namespace stratus::http
