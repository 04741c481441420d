#include "client/response.h"

#include <gtest/gtest.h>

namespace stratus::client {
namespace {

ClientResponse make(long status, std::string body) {
  ClientResponse response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

TEST(ErrorKindFromStatus, FollowsTheServersMapping) {
  EXPECT_EQ(errorKindFromStatus(400), ErrorKind::invalid_argument);
  EXPECT_EQ(errorKindFromStatus(401), ErrorKind::unauthorized);
  EXPECT_EQ(errorKindFromStatus(403), ErrorKind::forbidden);
  EXPECT_EQ(errorKindFromStatus(404), ErrorKind::not_found);
  EXPECT_EQ(errorKindFromStatus(409), ErrorKind::conflict);
  EXPECT_EQ(errorKindFromStatus(413), ErrorKind::payload_too_large);
  EXPECT_EQ(errorKindFromStatus(429), ErrorKind::rate_limited);
  EXPECT_EQ(errorKindFromStatus(500), ErrorKind::internal);
  EXPECT_EQ(errorKindFromStatus(501), ErrorKind::not_implemented);
  EXPECT_EQ(errorKindFromStatus(502), ErrorKind::unavailable);
  EXPECT_EQ(errorKindFromStatus(503), ErrorKind::unavailable);
  EXPECT_EQ(errorKindFromStatus(504), ErrorKind::unavailable);
  EXPECT_EQ(errorKindFromStatus(418), ErrorKind::invalid_argument);
  EXPECT_EQ(errorKindFromStatus(599), ErrorKind::internal);
}

TEST(ErrorFromResponse, ReadsTheStandardErrorBody) {
  Error error = errorFromResponse(
      make(409, R"({"error":{"code":"function_exists","message":"function calc exists"}})"));
  EXPECT_EQ(error.kind, ErrorKind::conflict);
  EXPECT_EQ(error.code, "function_exists");
  EXPECT_EQ(error.message, "function calc exists");
}

TEST(ErrorFromResponse, KindFollowsStatusNotCode) {
  Error error =
      errorFromResponse(make(401, R"({"error":{"code":"invalid_api_key","message":"bad key"}})"));
  EXPECT_EQ(error.kind, ErrorKind::unauthorized);
  EXPECT_EQ(error.code, "invalid_api_key");
}

TEST(ErrorFromResponse, AcceptsAStringError) {
  Error error = errorFromResponse(make(400, R"({"error":"name is required"})"));
  EXPECT_EQ(error.code, "http_400");
  EXPECT_EQ(error.message, "name is required");
}

TEST(ErrorFromResponse, AcceptsATopLevelMessage) {
  Error error = errorFromResponse(make(429, R"({"message":"slow down"})"));
  EXPECT_EQ(error.kind, ErrorKind::rate_limited);
  EXPECT_EQ(error.message, "slow down");
}

TEST(ErrorFromResponse, KeepsTheCodeWhenTheMessageIsMissing) {
  Error error = errorFromResponse(make(404, R"({"error":{"code":"function_not_found"}})"));
  EXPECT_EQ(error.code, "function_not_found");
  EXPECT_EQ(error.message,
            "the server answered HTTP 404 Not Found: "
            R"({"error":{"code":"function_not_found"}})");
}

TEST(ErrorFromResponse, FallsBackToStatusAndFirstLineOfBody) {
  Error error = errorFromResponse(
      make(502, "\n  <html><head><title>502 Bad Gateway</title></head>\n<body>nginx</body>"));
  EXPECT_EQ(error.kind, ErrorKind::unavailable);
  EXPECT_EQ(error.code, "http_502");
  EXPECT_EQ(error.message,
            "the server answered HTTP 502 Bad Gateway: <html><head><title>502 Bad "
            "Gateway</title></head>");
}

TEST(ErrorFromResponse, EmptyBody) {
  Error error = errorFromResponse(make(500, ""));
  EXPECT_EQ(error.kind, ErrorKind::internal);
  EXPECT_EQ(error.message, "the server answered HTTP 500 Internal Server Error");
}

TEST(ErrorFromResponse, CutsLongBodiesAndHidesControlCharacters) {
  Error error = errorFromResponse(make(418, std::string(500, 'a') + "\x01"));
  EXPECT_EQ(error.message, "the server answered HTTP 418: " + std::string(200, 'a') + "...");
  error = errorFromResponse(make(400, std::string("bad\x1b[31m")));
  EXPECT_EQ(error.message, "the server answered HTTP 400 Bad Request: bad?[31m");
}

TEST(ErrorFromResponse, IgnoresWrongTypes) {
  Error error = errorFromResponse(make(400, R"({"error":{"code":5,"message":["x"]}})"));
  EXPECT_EQ(error.code, "http_400");
  EXPECT_NE(error.message.find("HTTP 400"), std::string::npos);
}

TEST(RequireSuccess, PassesTwoHundredsAndConvertsTheRest) {
  EXPECT_TRUE(requireSuccess(make(204, "")).has_value());
  auto failed = requireSuccess(make(404, R"({"error":{"code":"nope","message":"m"}})"));
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, "nope");
  Result<ClientResponse> transport =
      std::unexpected(Error{ErrorKind::unavailable, "connection_failed", "x", {}});
  auto passed = requireSuccess(transport);
  ASSERT_FALSE(passed);
  EXPECT_EQ(passed.error().code, "connection_failed");
}

TEST(ExpectJson, ParsesOrReportsInvalidResponse) {
  auto good = expectJson(make(200, R"({"a":1})"));
  ASSERT_TRUE(good);
  EXPECT_EQ(good->at("a").as_int64(), 1);
  auto bad = expectJson(make(200, "not json"));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, kInvalidResponse);
}

TEST(ClientResponse, HeaderLookupIsCaseInsensitive) {
  ClientResponse response;
  response.headers.emplace("content-type", "application/json");
  EXPECT_EQ(response.header("Content-Type").value_or(""), "application/json");
  EXPECT_FALSE(response.header("x-missing"));
}

TEST(IsTransportError, OnlyClientSideCodes) {
  EXPECT_TRUE(isTransportError(Error{ErrorKind::unavailable, "connection_failed", "", {}}));
  EXPECT_TRUE(isTransportError(Error{ErrorKind::unavailable, "request_timeout", "", {}}));
  EXPECT_FALSE(isTransportError(Error{ErrorKind::unavailable, "http_503", "", {}}));
}

}  // namespace
}  // namespace stratus::client
