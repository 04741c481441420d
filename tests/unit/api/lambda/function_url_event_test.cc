#include "api/lambda/function_url_event.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace stratus::api::lambda {
namespace {

namespace json = boost::json;

UrlRequest sample(const http::Headers& headers) {
  UrlRequest request;
  request.method = "POST";
  request.rawPath = "/a/b";
  request.rawQuery = "x=1&y=a&y=b";
  request.query = {{"x", "1"}, {"y", "a"}, {"y", "b"}};
  request.headers = &headers;
  request.body = "ping";
  request.sourceIp = "127.0.0.1";
  request.requestId = "r1";
  request.urlId = "u1d";
  request.accountId = "acct";
  request.timeMs = 1'700'000'000'123;
  return request;
}

TEST(FunctionUrlEvent, PayloadFormat2) {
  http::Headers headers{{"Host", "example.test"},
                        {"Content-Type", "text/plain"},
                        {"X-Many", "1"},
                        {"x-many", "2"},
                        {"Cookie", "a=1; b=2"},
                        {"User-Agent", "curl"}};
  auto event = json::parse(payloadV2(sample(headers))).as_object();
  EXPECT_EQ(event.at("version"), "2.0");
  EXPECT_EQ(event.at("rawPath"), "/a/b");
  EXPECT_EQ(event.at("rawQueryString"), "x=1&y=a&y=b");
  EXPECT_EQ(event.at("headers").at("x-many"), "1,2");
  EXPECT_EQ(event.at("headers").at("host"), "example.test");
  EXPECT_FALSE(event.at("headers").as_object().contains("cookie"));
  EXPECT_EQ(event.at("cookies"), (json::array{"a=1", "b=2"}));
  EXPECT_EQ(event.at("queryStringParameters").at("y"), "a,b");
  EXPECT_EQ(event.at("body"), "ping");
  EXPECT_EQ(event.at("isBase64Encoded"), false);
  const auto& context = event.at("requestContext");
  EXPECT_EQ(context.at("http").at("method"), "POST");
  EXPECT_EQ(context.at("http").at("userAgent"), "curl");
  EXPECT_EQ(context.at("domainName"), "example.test");
  EXPECT_EQ(context.at("timeEpoch"), 1'700'000'000'123);
  EXPECT_EQ(context.at("time"), "14/Nov/2023:22:13:20 +0000");
}

TEST(FunctionUrlEvent, BinaryBodiesTravelAsBase64) {
  http::Headers headers{{"Content-Type", "application/octet-stream"}};
  UrlRequest request = sample(headers);
  request.body = std::string("\x00\xff\x01", 3);
  auto event = json::parse(payloadV2(request)).as_object();
  EXPECT_EQ(event.at("isBase64Encoded"), true);
  EXPECT_EQ(event.at("body"), "AP8B");
  http::Headers text{{"Content-Type", "application/json"}};
  request = sample(text);
  request.body = "\xff\xfe";  // not UTF-8, whatever the type says
  EXPECT_EQ(json::parse(payloadV2(request)).at("isBase64Encoded"), true);
}

TEST(FunctionUrlEvent, ShapedAnswersBecomeResponses) {
  auto response = urlResponse(
      R"({"statusCode": 201, "headers": {"x-a": "1", "n": 2}, "cookies": ["c=1", "d=2"],
          "body": "aGk=", "isBase64Encoded": true})");
  EXPECT_EQ(response.status, 201);
  EXPECT_EQ(response.header("x-a"), "1");
  EXPECT_EQ(response.header("n"), "2");
  EXPECT_EQ(response.headers.count("Set-Cookie"), 2u);
  EXPECT_EQ(response.body, "hi");
  EXPECT_EQ(response.header("Content-Type"), "application/json");
}

TEST(FunctionUrlEvent, PlainAnswersAreJsonOf200) {
  auto response = urlResponse(R"({"plain": true})");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, R"({"plain": true})");
  EXPECT_EQ(urlResponse("\"text\"").body, "\"text\"");
}

TEST(FunctionUrlEvent, MalformedOrHostileAnswersAre502) {
  for (const char* answer :
       {R"({"statusCode": 42})", R"({"statusCode": "200"})", R"({"statusCode": 200, "body": 5})",
        R"({"statusCode": 200, "headers": {"x": "a\r\nSet-Cookie: evil=1"}})",
        R"({"statusCode": 200, "cookies": ["a\nb"]})",
        R"({"statusCode": 200, "body": "!!", "isBase64Encoded": true})"}) {
    EXPECT_EQ(urlResponse(answer).status, 502) << answer;
  }
  // Framing stays the server's.
  auto response = urlResponse(R"({"statusCode": 200, "headers": {"Content-Length": "9999"}})");
  EXPECT_EQ(response.status, 200);
  EXPECT_FALSE(response.header("Content-Length"));
}

}  // namespace
}  // namespace stratus::api::lambda
