#include "client/exit_status.h"

#include <gtest/gtest.h>

namespace stratus::client {
namespace {

Error error(ErrorKind kind, std::string code, std::string message = "m") {
  return Error{kind, std::move(code), std::move(message), {}};
}

TEST(ExitStatusFor, MapsEachKindOfFailure) {
  EXPECT_EQ(exitStatusFor(error(ErrorKind::unavailable, "connection_failed")), kExitUnreachable);
  EXPECT_EQ(exitStatusFor(error(ErrorKind::unavailable, "request_timeout")), kExitUnreachable);
  EXPECT_EQ(exitStatusFor(error(ErrorKind::invalid_argument, "invalid_url")), kExitUsage);
  EXPECT_EQ(exitStatusFor(error(ErrorKind::unauthorized, "unauthorized")), kExitUnauthenticated);
  EXPECT_EQ(exitStatusFor(error(ErrorKind::not_found, "function_not_found")), kExitApiError);
  EXPECT_EQ(exitStatusFor(error(ErrorKind::invalid_argument, "invalid_timeout")), kExitApiError);
  // A 503 from the server is an answer: the server was reached.
  EXPECT_EQ(exitStatusFor(error(ErrorKind::unavailable, "http_503")), kExitApiError);
  EXPECT_EQ(exitStatusFor(error(ErrorKind::forbidden, "forbidden")), kExitApiError);
}

TEST(ExitStatus, NumbersAreStable) {
  EXPECT_EQ(kExitOk, 0);
  EXPECT_EQ(kExitApiError, 1);
  EXPECT_EQ(kExitUsage, 2);
  EXPECT_EQ(kExitUnreachable, 3);
  EXPECT_EQ(kExitUnauthenticated, 4);
  EXPECT_EQ(kExitFunctionTimedOut, 124);
}

TEST(ErrorLine, MessageThenCode) {
  EXPECT_EQ(errorLine(error(ErrorKind::conflict, "function_exists", "calc exists")),
            "error: calc exists (function_exists)");
  EXPECT_EQ(errorLine(error(ErrorKind::internal, "", "odd")), "error: odd");
  EXPECT_EQ(errorLine(error(ErrorKind::internal, "x", "")), "error: unknown error (x)");
}

TEST(HintFor, LoginHintOn401AndServerHintWhenUnreachable) {
  auto login = hintFor(error(ErrorKind::unauthorized, "unauthorized"));
  ASSERT_TRUE(login);
  EXPECT_NE(login->find("stratus login"), std::string::npos);
  EXPECT_NE(login->find("STRATUS_API_KEY"), std::string::npos);
  auto unreachable = hintFor(error(ErrorKind::unavailable, "connection_failed"));
  ASSERT_TRUE(unreachable);
  EXPECT_NE(unreachable->find("STRATUS_URL"), std::string::npos);
  EXPECT_FALSE(hintFor(error(ErrorKind::not_found, "function_not_found")));
}

}  // namespace
}  // namespace stratus::client
