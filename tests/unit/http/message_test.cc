#include "http/message.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "common/log.h"

namespace stratus::http {
namespace {

TEST(Headers, CaseInsensitive) {
  Request request;
  request.headers.emplace("Content-Type", "text/plain");
  request.headers.emplace("x-multi", "1");
  request.headers.emplace("X-Multi", "2");
  EXPECT_EQ(request.header("content-type"), "text/plain");
  EXPECT_EQ(request.header("CONTENT-TYPE"), "text/plain");
  EXPECT_EQ(request.header("X-MULTI"), "1");
  EXPECT_EQ(request.headers.count("x-multi"), 2u);
  EXPECT_FALSE(request.header("missing").has_value());
}

TEST(Request, QueryValueAndParam) {
  Request request;
  request.query = {{"a", "1"}, {"b", "2"}, {"a", "3"}};
  request.params["id"] = "xyz";
  EXPECT_EQ(request.queryValue("a"), "1");
  EXPECT_FALSE(request.queryValue("c").has_value());
  EXPECT_EQ(request.param("id"), "xyz");
  EXPECT_FALSE(request.param("other").has_value());
}

TEST(Response, SetHeaderReplacesAddHeaderAppends) {
  Response response;
  response.setHeader("X-A", "1");
  response.setHeader("x-a", "2");
  EXPECT_EQ(response.headers.count("X-A"), 1u);
  EXPECT_EQ(response.header("X-A"), "2");
  response.addHeader("Set-Cookie", "a=1");
  response.addHeader("Set-Cookie", "b=2");
  EXPECT_EQ(response.headers.count("set-cookie"), 2u);
}

TEST(Response, JsonSetsContentType) {
  Response response = Response::json(201, boost::json::object{{"ok", true}});
  EXPECT_EQ(response.status, 201);
  EXPECT_EQ(response.body, R"({"ok":true})");
  EXPECT_EQ(response.header("Content-Type"), "application/json");
}

TEST(Response, Text) {
  Response plain = Response::text(200, "hi");
  EXPECT_EQ(plain.header("content-type"), "text/plain");
  Response html = Response::text(404, "<p>", "text/html; charset=utf-8");
  EXPECT_EQ(html.status, 404);
  EXPECT_EQ(html.header("Content-Type"), "text/html; charset=utf-8");
}

TEST(Response, ErrorBodyShapeIsExact) {
  Response response = Response::error(400, "invalid_timeout", "timeout must be 1..900 \"s\"");
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(response.body,
            R"({"error":{"code":"invalid_timeout","message":"timeout must be 1..900 \"s\""}})");
  EXPECT_EQ(response.header("Content-Type"), "application/json");
}

TEST(Response, ErrorFromErrorKindKeepsClientMessages) {
  Error error{ErrorKind::conflict, "name_taken", "a function named f exists", {"create"}};
  Response response = Response::error(error);
  EXPECT_EQ(response.status, 409);
  EXPECT_EQ(response.body,
            R"({"error":{"code":"name_taken","message":"a function named f exists"}})");
  EXPECT_EQ(Response::error(Error{ErrorKind::payload_too_large, "too_big", "m", {}}).status, 413);
  EXPECT_EQ(Response::error(Error{ErrorKind::rate_limited, "slow_down", "m", {}}).status, 429);
}

TEST(Response, InternalErrorHidesDetailsButLogsThem) {
  Error error{ErrorKind::internal,
              "system_error",
              "SELECT * FROM users WHERE id=1: /var/lib/stratus/secret.db locked",
              {"load user"}};
  log::setMinimumLevel(log::Level::debug);
  ::testing::internal::CaptureStderr();
  Response response = Response::error(error);
  std::string logged = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(response.body, R"({"error":{"code":"system_error","message":"internal error"}})");
  EXPECT_EQ(response.body.find("secret"), std::string::npos);
  EXPECT_EQ(response.body.find("SELECT"), std::string::npos);
  EXPECT_NE(logged.find("load user: SELECT * FROM users"), std::string::npos) << logged;
}

TEST(Response, UnavailableErrorHidesDetails) {
  ::testing::internal::CaptureStderr();
  Response response = Response::error(Error{ErrorKind::unavailable,
                                            "database_unavailable",
                                            "connect to postgres://admin:pw@10.0.0.5/db failed",
                                            {}});
  std::string logged = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(response.status, 503);
  EXPECT_EQ(response.body.find("10.0.0.5"), std::string::npos);
  auto body = boost::json::parse(response.body);
  EXPECT_EQ(body.at("error").at("code"), "database_unavailable");
  EXPECT_EQ(response.header("retry-after").value_or(""), "1");
  EXPECT_NE(logged.find("10.0.0.5"), std::string::npos);
}

}  // namespace
}  // namespace stratus::http
