// Routing and headers of the Runtime API, on literal requests.
#include "runtime/runtime_api.h"

#include <gtest/gtest.h>

namespace stratus::runtime {
namespace {

TEST(ParseRoute, FindsTheFourEndpoints) {
  auto next = parseRoute("GET", "/2018-06-01/runtime/invocation/next");
  ASSERT_TRUE(next);
  EXPECT_EQ(next->endpoint, Endpoint::next);
  auto response = parseRoute("POST", "/2018-06-01/runtime/invocation/8f2c-41aa/response");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->endpoint, Endpoint::response);
  EXPECT_EQ(response->requestId, "8f2c-41aa");
  auto error = parseRoute("POST", "/2018-06-01/runtime/invocation/abc/error?x=1");
  ASSERT_TRUE(error);
  EXPECT_EQ(error->endpoint, Endpoint::error);
  EXPECT_EQ(error->requestId, "abc");
  EXPECT_EQ(parseRoute("POST", "/2018-06-01/runtime/init/error")->endpoint, Endpoint::init_error);
}

TEST(ParseRoute, RefusesEverythingElseByName) {
  for (const char* target : {"/", "/2018-06-01/runtime/invocation/", "/2018-06-01/runtime/invocation/x",
                             "/2018-06-01/runtime/invocation/x/result",
                             "/2015-03-31/functions/f/invocations", "/2018-06-01/runtime/init"}) {
    auto route = parseRoute("POST", target);
    ASSERT_FALSE(route) << target;
    EXPECT_EQ(route.error().code, "unknown_endpoint") << target;
  }
  EXPECT_EQ(parseRoute("POST", "/2018-06-01/runtime/invocation/next").error().code, "wrong_method");
  EXPECT_EQ(parseRoute("GET", "/2018-06-01/runtime/invocation/a/response").error().code,
            "wrong_method");
  for (const char* id : {"..", "a%2Fb", "a b", "a\nb"}) {
    auto route = parseRoute("POST", "/2018-06-01/runtime/invocation/" + std::string(id) + "/response");
    ASSERT_FALSE(route) << id;
    EXPECT_EQ(route.error().code, "invalid_request_id") << id;
  }
  EXPECT_EQ(parseRoute("POST", "/2018-06-01/runtime/invocation/" + std::string(129, 'a') + "/error")
                .error()
                .code,
            "invalid_request_id");
}

TEST(InvocationHeaders, CarryIdDeadlineArnAndTraceWhenThereIsOne) {
  InvocationContext context{.requestId = "r1", .deadlineMs = 1700000003000,
                            .functionArn = functionArn("local", "u1", "hello", "3")};
  auto headers = invocationHeaders(context);
  ASSERT_EQ(headers.size(), 3u);
  EXPECT_EQ(headers[0], (std::pair<std::string, std::string>{"Lambda-Runtime-Aws-Request-Id", "r1"}));
  EXPECT_EQ(headers[1].second, "1700000003000");
  EXPECT_EQ(headers[2].second, "arn:aws:lambda:local:u1:function:hello:3");
  context.traceId = "Root=1-5e1b4151-5ac6c58f5b5dbd6a5b8c5f2e";
  EXPECT_EQ(invocationHeaders(context).back().first, "Lambda-Runtime-Trace-Id");
  EXPECT_EQ(functionArn("us-east-1", "u1", "f"), "arn:aws:lambda:us-east-1:u1:function:f");
}

}  // namespace
}  // namespace stratus::runtime
