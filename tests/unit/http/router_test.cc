#include "http/router.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace stratus::http {
namespace {

Request makeRequest(std::string method, std::string target) {
  Request request;
  request.method = std::move(method);
  request.target = std::move(target);
  return request;
}

Handler named(std::string name) {
  return [name](Request&) { return Response::text(200, name); };
}

boost::json::value errorOf(const Response& response) {
  return boost::json::parse(response.body).at("error");
}

TEST(Router, LiteralAndPlaceholders) {
  Router router;
  router.add("GET", "/api/function/{userId}/{handler}/{executor}", [](Request& request) {
    return Response::text(200, std::string(*request.param("userId")) + "|" +
                                   std::string(*request.param("handler")) + "|" +
                                   std::string(*request.param("executor")));
  });
  auto request = makeRequest("GET", "/api/function/u1/main.py/docker?a=1&a=2");
  Response response = router.dispatch(request);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "u1|main.py|docker");
  EXPECT_EQ(request.path, "/api/function/u1/main.py/docker");
  ASSERT_EQ(request.query.size(), 2u);
  EXPECT_EQ(request.query[1].second, "2");
}

TEST(Router, SegmentsArePercentDecodedBeforeMatching) {
  Router router;
  router.add("GET", "/files/{name}", [](Request& request) {
    return Response::text(200, std::string(*request.param("name")));
  });
  router.add("GET", "/caf\xC3\xA9", named("literal"));
  auto spaced = makeRequest("GET", "/files/a%20b.py");
  EXPECT_EQ(router.dispatch(spaced).body, "a b.py");
  auto literal = makeRequest("GET", "/caf%C3%A9");
  EXPECT_EQ(router.dispatch(literal).body, "literal");
  // An encoded slash does not turn into a second segment: it is refused.
  auto slash = makeRequest("GET", "/files/a%2Fb");
  Response response = router.dispatch(slash);
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(errorOf(response).at("code"), "malformed_path");
}

TEST(Router, UsesPathWhenAlreadySet) {
  Router router;
  router.add("GET", "/a/{x}", [](Request& request) {
    return Response::text(200, std::string(*request.param("x")));
  });
  Request request = makeRequest("GET", "/a/%2525");
  request.path = "/a/%25";  // the server decoded it once already; no second decoding
  EXPECT_EQ(router.dispatch(request).body, "%25");
}

TEST(Router, NotFoundIsJson) {
  Router router;
  router.add("GET", "/a", named("a"));
  auto request = makeRequest("GET", "/b");
  Response response = router.dispatch(request);
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(response.header("Content-Type"), "application/json");
  EXPECT_EQ(errorOf(response).at("code"), "not_found");
}

TEST(Router, MethodNotAllowedListsMethods) {
  Router router;
  router.add("GET", "/fn/{id}", named("get"));
  router.add("DELETE", "/fn/{id}", named("delete"));
  router.add("POST", "/fn/new", named("new"));
  auto request = makeRequest("PUT", "/fn/abc");
  Response response = router.dispatch(request);
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(errorOf(response).at("code"), "method_not_allowed");
  EXPECT_EQ(response.header("Allow"), "DELETE, GET, HEAD");

  // /fn/new matches the literal POST route and the GET/DELETE placeholders.
  auto put = makeRequest("PUT", "/fn/new");
  EXPECT_EQ(router.dispatch(put).header("Allow"), "DELETE, GET, HEAD, POST");
}

TEST(Router, LiteralBeatsPlaceholderRegardlessOfOrder) {
  Router router;
  router.add("GET", "/fn/{id}", named("by id"));
  router.add("GET", "/fn/new", named("new"));
  router.add("GET", "/{a}/x", named("placeholder first"));
  router.add("GET", "/fn/{b}/x", named("literal first"));
  auto request = makeRequest("GET", "/fn/new");
  EXPECT_EQ(router.dispatch(request).body, "new");
  auto other = makeRequest("GET", "/fn/other");
  EXPECT_EQ(router.dispatch(other).body, "by id");
  auto twoLevel = makeRequest("GET", "/fn/x");
  EXPECT_EQ(router.dispatch(twoLevel).body, "by id");
}

TEST(Router, SamePatternFirstAddedWins) {
  Router router;
  router.add("GET", "/a/{x}", named("first"));
  router.add("GET", "/a/{y}", named("second"));
  auto request = makeRequest("GET", "/a/1");
  EXPECT_EQ(router.dispatch(request).body, "first");
}

TEST(Router, PlaceholderNeedsNonEmptySegment) {
  Router router;
  router.add("GET", "/a/{x}/b", named("x"));
  auto request = makeRequest("GET", "/a//b");
  EXPECT_EQ(router.dispatch(request).status, 404);
}

TEST(Router, TrailingSlashAndRoot) {
  Router router;
  router.add("GET", "/", named("root"));
  router.add("GET", "/api/user/functions", named("list"));
  auto root = makeRequest("GET", "/");
  EXPECT_EQ(router.dispatch(root).body, "root");
  auto slash = makeRequest("GET", "/api/user/functions/");
  EXPECT_EQ(router.dispatch(slash).body, "list");
  auto deeper = makeRequest("GET", "/api/user/functions/x");
  EXPECT_EQ(router.dispatch(deeper).status, 404);
}

TEST(Router, HeadFallsBackToGet) {
  Router router;
  router.add("GET", "/a", named("get"));
  auto request = makeRequest("HEAD", "/a");
  EXPECT_EQ(router.dispatch(request).body, "get");
}

TEST(Router, MalformedQueryIs400) {
  Router router;
  router.add("GET", "/a", named("a"));
  auto request = makeRequest("GET", "/a?x=%zz");
  Response response = router.dispatch(request);
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(errorOf(response).at("code"), "malformed_query");
}

TEST(RouterDeathTest, BadPatternsAbort) {
  EXPECT_DEATH(Router().add("GET", "no-slash", named("x")), "must start with");
  EXPECT_DEATH(Router().add("GET", "/a/{}", named("x")), "placeholder");
  EXPECT_DEATH(Router().add("GET", "/a/{x}/{x}", named("x")), "twice");
  EXPECT_DEATH(Router().add("GET", "/a/pre{x}", named("x")), "whole segment");
  EXPECT_DEATH(Router().add("GET", "/a/{rest+}/b", named("x")), "last segment");
  EXPECT_DEATH(Router().add("GET", "/a/{+}", named("x")), "placeholder");
}

TEST(Router, GreedyPlaceholderTakesTheRestOfThePath) {
  Router router;
  router.add("GET", "/u/{id}/{path+}", [](Request& request) {
    return Response::text(200, std::string(*request.param("id")) + "|" +
                                   std::string(*request.param("path")));
  });
  router.add("GET", "/u/{id}", named("root"));
  router.add("GET", "/u/{id}/fixed", named("fixed"));
  auto deep = makeRequest("GET", "/u/abc/x/y/z/w?q=1");
  EXPECT_EQ(router.dispatch(deep).body, "abc|x/y/z/w");
  auto one = makeRequest("GET", "/u/abc/x");
  EXPECT_EQ(router.dispatch(one).body, "abc|x");
  auto root = makeRequest("GET", "/u/abc");
  EXPECT_EQ(router.dispatch(root).body, "root");
  auto fixed = makeRequest("GET", "/u/abc/fixed");
  EXPECT_EQ(router.dispatch(fixed).body, "fixed");  // a literal still wins
  auto gap = makeRequest("GET", "/u/abc/x//y");
  EXPECT_EQ(router.dispatch(gap).status, 404);  // empty segments match nothing
}

TEST(Router, OnePlaceholderBeatsAGreedyOneOfTheSameLength) {
  Router router;
  router.add("GET", "/a/{rest+}", named("greedy"));
  router.add("GET", "/a/{one}", named("one"));
  auto request = makeRequest("GET", "/a/b");
  EXPECT_EQ(router.dispatch(request).body, "one");
}

}  // namespace
}  // namespace stratus::http
