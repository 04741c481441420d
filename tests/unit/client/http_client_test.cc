#include "client/http_client.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <chrono>

#include "fake_http_server.h"

namespace stratus::client {
namespace {

namespace json = boost::json;
using testing::CannedResponse;
using testing::FakeHttpServer;
using testing::RecordedRequest;

CannedResponse okJson(std::string body = R"({"ok":true})") {
  return {200, std::move(body), {{"Content-Type", "application/json"}}};
}

TEST(HttpClient, GetSendsBearerKeyAndReadsTheAnswer) {
  FakeHttpServer server([](const RecordedRequest&) {
    return CannedResponse{200, R"({"status":"ok"})", {{"X-Request-Id", "r1"}}};
  });
  HttpClient client(server.url(), "sk_test_key");
  auto response = client.get("/healthz");
  ASSERT_TRUE(response) << response.error().describe();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, R"({"status":"ok"})");
  EXPECT_EQ(response->header("x-request-id").value_or(""), "r1");
  EXPECT_EQ(response->headers.count("x-request-id"), 1u);  // stored lower-case

  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "GET");
  EXPECT_EQ(requests[0].target, "/healthz");
  EXPECT_EQ(requests[0].header("authorization"), "Bearer sk_test_key");
  EXPECT_FALSE(requests[0].hasHeader("expect"));
}

TEST(HttpClient, NoAuthorizationWithoutAKey) {
  FakeHttpServer server([](const RecordedRequest&) { return okJson(); });
  HttpClient client(server.url() + "/");
  ASSERT_TRUE(client.get("api/v1/me"));
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].target, "/api/v1/me");
  EXPECT_FALSE(requests[0].hasHeader("authorization"));
}

TEST(HttpClient, JsonBodiesWithEachMethod) {
  FakeHttpServer server([](const RecordedRequest&) { return okJson(); });
  HttpClient client(server.url(), "k");
  json::value body = json::parse(R"({"args":["10","5"]})");
  ASSERT_TRUE(client.postJson("/a", body));
  ASSERT_TRUE(client.putJson("/b", body));
  ASSERT_TRUE(client.patchJson("/c", body));
  ASSERT_TRUE(client.del("/d"));
  ASSERT_TRUE(client.get("/e"));

  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 5u);
  const char* methods[] = {"POST", "PUT", "PATCH", "DELETE", "GET"};
  for (std::size_t i = 0; i < 5; ++i) EXPECT_EQ(requests[i].method, methods[i]) << i;
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(requests[i].header("content-type"), "application/json");
    EXPECT_EQ(json::parse(requests[i].body), body);
  }
  EXPECT_EQ(requests[3].body, "");
  EXPECT_EQ(requests[4].body, "");
  EXPECT_FALSE(requests[4].hasHeader("content-type"));
}

TEST(HttpClient, OneKeepAliveConnectionForManyRequests) {
  FakeHttpServer server([](const RecordedRequest&) { return okJson(); });
  HttpClient client(server.url());
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(client.get("/x"));
    ASSERT_TRUE(client.postJson("/y", json::object{{"i", i}}));
  }
  EXPECT_EQ(server.connectionsAccepted(), 1);
  EXPECT_EQ(server.requests().size(), 40u);
}

TEST(HttpClient, MovedClientKeepsWorking) {
  FakeHttpServer server([](const RecordedRequest&) { return okJson(); });
  HttpClient first(server.url(), "k");
  ASSERT_TRUE(first.get("/1"));
  HttpClient second = std::move(first);
  ASSERT_TRUE(second.get("/2"));
  EXPECT_EQ(server.requests().back().header("authorization"), "Bearer k");
}

TEST(HttpClient, NonSuccessStatusIsAnAnswerNotAnError) {
  FakeHttpServer server([](const RecordedRequest&) {
    return CannedResponse{404, R"({"error":{"code":"function_not_found","message":"no calc"}})"};
  });
  HttpClient client(server.url());
  auto response = client.get("/api/v1/functions/calc");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 404);
  EXPECT_FALSE(response->ok());
  Error error = errorFromResponse(*response);
  EXPECT_EQ(error.kind, ErrorKind::not_found);
  EXPECT_EQ(error.code, "function_not_found");
  auto json = expectJson(client.get("/api/v1/functions/calc"));
  ASSERT_FALSE(json);
  EXPECT_EQ(json.error().message, "no calc");
}

TEST(HttpClient, MultipartCarriesFieldsAndFiles) {
  FakeHttpServer server([](const RecordedRequest&) { return CannedResponse{201, "{}"}; });
  HttpClient client(server.url(), "k");
  std::string code = "import sys\nprint(int(sys.argv[1]) + int(sys.argv[2]))\n";
  code += std::string("\0\xff", 2);
  auto response = client.postMultipart(
      "/api/v1/functions", {{"name", "calc"}, {"runtime", "python3.11"}, {"env", R"({"A":"1"})"}},
      {FilePart{"functionFile", "cloud.py", code}});
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 201);
  ASSERT_TRUE(client.putMultipart("/api/v1/functions/calc/code", {},
                                  {FilePart{"functionFile", "b.zip", "PK", "application/zip"}}));

  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  const auto& create = requests[0];
  EXPECT_EQ(create.method, "POST");
  EXPECT_EQ(create.header("content-type").rfind("multipart/form-data; boundary=", 0), 0u);
  EXPECT_FALSE(create.hasHeader("expect"));
  EXPECT_NE(create.body.find("name=\"name\"\r\n\r\ncalc\r\n"), std::string::npos);
  EXPECT_NE(create.body.find("name=\"runtime\"\r\n\r\npython3.11\r\n"), std::string::npos);
  EXPECT_NE(create.body.find("name=\"env\"\r\n\r\n{\"A\":\"1\"}\r\n"), std::string::npos);
  EXPECT_NE(create.body.find("name=\"functionFile\"; filename=\"cloud.py\""), std::string::npos);
  EXPECT_NE(create.body.find(code), std::string::npos);
  EXPECT_EQ(requests[1].method, "PUT");
  EXPECT_NE(requests[1].body.find("Content-Type: application/zip"), std::string::npos);
}

TEST(HttpClient, LargeBodiesGoOutWithoutWaitingForContinue) {
  FakeHttpServer server([](const RecordedRequest&) { return okJson(); });
  HttpClient client(server.url());
  std::string big(3 * 1024 * 1024, 'z');
  auto started = std::chrono::steady_clock::now();
  auto response = client.postMultipart("/up", {}, {FilePart{"functionFile", "big.zip", big}});
  auto elapsed = std::chrono::steady_clock::now() - started;
  ASSERT_TRUE(response);
  EXPECT_LT(elapsed, std::chrono::milliseconds(900));  // curl's Expect wait is 1 s
  EXPECT_NE(server.requests().at(0).body.find(big), std::string::npos);
}

TEST(HttpClient, GeneralRequestWithCustomHeaders) {
  FakeHttpServer server([](const RecordedRequest&) { return okJson(); });
  HttpClient client(server.url(), "default-key");
  auto response =
      client.request("POST", "/raw", "a=b", "text/plain",
                     {{"Authorization", "Bearer other"}, {"X-Amz-Invocation-Type", "Event"}});
  ASSERT_TRUE(response);
  auto request = server.requests().at(0);
  EXPECT_EQ(request.body, "a=b");
  EXPECT_EQ(request.header("content-type"), "text/plain");
  EXPECT_EQ(request.header("authorization"), "Bearer other");
  EXPECT_EQ(request.headers.count("authorization"), 1u);
  EXPECT_EQ(request.header("x-amz-invocation-type"), "Event");
}

TEST(HttpClient, BodyWithoutContentTypeSendsNone) {
  FakeHttpServer server([](const RecordedRequest&) { return okJson(); });
  HttpClient client(server.url());
  ASSERT_TRUE(client.request("POST", "/signout"));
  auto request = server.requests().at(0);
  EXPECT_EQ(request.method, "POST");
  EXPECT_FALSE(request.hasHeader("content-type"));
  EXPECT_EQ(request.header("content-length"), "0");
}

TEST(HttpClient, AbsolutePathsAreFollowedAsIs) {
  FakeHttpServer server([](const RecordedRequest&) { return okJson(); });
  HttpClient client("http://127.0.0.1:1");  // never used
  ASSERT_TRUE(client.get(server.url() + "/api/v1/functions/calc/invoke"));
  EXPECT_EQ(server.requests().at(0).target, "/api/v1/functions/calc/invoke");
}

TEST(HttpClient, CookieJarKeepsTheSessionAndSendsCsrfHeaders) {
  FakeHttpServer server([](const RecordedRequest& request) {
    if (request.target == "/api/v1/auth/signin") {
      return CannedResponse{200,
                            R"({"user":{"id":"u1"}})",
                            {{"Set-Cookie", "stratus_session=s3cr3t; Path=/; HttpOnly"},
                             {"Set-Cookie", "stratus_csrf=t0k3n; Path=/"}}};
    }
    return okJson();
  });
  HttpClient client(server.url());
  client.setCookieJar();
  ASSERT_TRUE(client.postJson("/api/v1/auth/signin", json::object{{"email", "a@b"}}));
  ASSERT_TRUE(client.get("/api/v1/me"));
  ASSERT_TRUE(client.postJson("/api/v1/api-keys", json::object{{"name", "cli"}}));

  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_FALSE(requests[0].hasHeader("cookie"));
  EXPECT_FALSE(requests[0].hasHeader("origin"));
  EXPECT_NE(requests[1].header("cookie").find("stratus_session=s3cr3t"), std::string::npos);
  EXPECT_FALSE(requests[1].hasHeader("x-csrf-token"));  // reads need none
  EXPECT_NE(requests[2].header("cookie").find("stratus_session=s3cr3t"), std::string::npos);
  EXPECT_EQ(requests[2].header("x-csrf-token"), "t0k3n");
  EXPECT_FALSE(requests[2].hasHeader("origin"));

  auto cookies = client.cookies();
  EXPECT_EQ(cookies.size(), 2u);
}

TEST(HttpClient, WithoutTheJarCookiesAreDropped) {
  FakeHttpServer server([](const RecordedRequest&) {
    return CannedResponse{200, "{}", {{"Set-Cookie", "stratus_session=x; Path=/"}}};
  });
  HttpClient client(server.url());
  ASSERT_TRUE(client.get("/a"));
  ASSERT_TRUE(client.postJson("/b", json::object{}));
  auto requests = server.requests();
  EXPECT_FALSE(requests[1].hasHeader("cookie"));
  EXPECT_FALSE(requests[1].hasHeader("origin"));
  EXPECT_TRUE(client.cookies().empty());
}

TEST(HttpClient, TurningTheJarOffForgetsCookies) {
  FakeHttpServer server([](const RecordedRequest&) {
    return CannedResponse{200, "{}", {{"Set-Cookie", "stratus_session=x; Path=/"}}};
  });
  HttpClient client(server.url());
  client.setCookieJar();
  ASSERT_TRUE(client.get("/a"));
  ASSERT_TRUE(client.get("/b"));
  client.setCookieJar(false);
  ASSERT_TRUE(client.get("/c"));
  ASSERT_TRUE(client.get("/d"));
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 4u);
  EXPECT_TRUE(requests[1].hasHeader("cookie"));
  EXPECT_FALSE(requests[2].hasHeader("cookie"));
  EXPECT_FALSE(requests[3].hasHeader("cookie"));
}

TEST(HttpClient, ConnectionRefusedIsUnavailableAndNamesTheUrl) {
  std::string url = "http://127.0.0.1:" + std::to_string(testing::unusedPort());
  HttpClient client(url, "sk_secret_value");
  auto response = client.get("/api/v1/functions");
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().kind, ErrorKind::unavailable);
  EXPECT_EQ(response.error().code, kConnectionFailed);
  EXPECT_NE(response.error().message.find(url + "/api/v1/functions"), std::string::npos);
  EXPECT_EQ(response.error().message.find("sk_secret_value"), std::string::npos);
  EXPECT_TRUE(isTransportError(response.error()));
}

TEST(HttpClient, UnresolvableHostIsConnectionFailed) {
  HttpClient client("http://no-such-host.invalid");
  client.setConnectTimeout(std::chrono::milliseconds(2000));
  auto response = client.get("/");
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().code, kConnectionFailed);
}

TEST(HttpClient, TimeoutIsRequestTimeout) {
  FakeHttpServer server([](const RecordedRequest&) {
    CannedResponse response = okJson();
    response.delayMs = 400;
    return response;
  });
  HttpClient client(server.url());
  client.setTimeout(std::chrono::milliseconds(100));
  auto response = client.get("/slow");
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().kind, ErrorKind::unavailable);
  EXPECT_EQ(response.error().code, kRequestTimeout);
  // The same client recovers on a fresh connection once the limit is lifted.
  client.setTimeout(std::chrono::milliseconds(0));
  EXPECT_TRUE(client.get("/again"));
}

TEST(HttpClient, BadUrlIsInvalidUrl) {
  HttpClient client("ftp://127.0.0.1:21");
  auto response = client.get("/x");
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().code, kInvalidUrl);
  EXPECT_EQ(response.error().kind, ErrorKind::invalid_argument);
}

TEST(HttpClient, HeadersOfTheLastResponseOnly) {
  FakeHttpServer server([](const RecordedRequest& request) {
    if (request.target == "/one") return CannedResponse{200, "1", {{"X-One", "a"}}};
    return CannedResponse{204, "", {{"X-Two", "b"}}};
  });
  HttpClient client(server.url());
  ASSERT_TRUE(client.get("/one"));
  auto second = client.del("/two");
  ASSERT_TRUE(second);
  EXPECT_EQ(second->status, 204);
  EXPECT_FALSE(second->header("x-one"));
  EXPECT_EQ(second->header("x-two").value_or(""), "b");
}

}  // namespace
}  // namespace stratus::client
