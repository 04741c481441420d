#include "api/invocation_cursor.h"

#include <gtest/gtest.h>

#include "auth/oauth/base64url.h"

namespace stratus::api {
namespace {

TEST(InvocationCursor, RoundTrips) {
  for (store::InvocationCursor cursor :
       {store::InvocationCursor{0, "a"}, store::InvocationCursor{1'700'000'000'123, "abc123xyz"},
        store::InvocationCursor{INT64_MAX, "A-b_9"}}) {
    auto text = encodeInvocationCursor(cursor);
    EXPECT_EQ(text.find_first_not_of(
                  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
              std::string::npos)
        << "must be safe in a query string: " << text;
    auto decoded = decodeInvocationCursor(text);
    ASSERT_TRUE(decoded) << text;
    EXPECT_EQ(decoded->startedAt, cursor.startedAt);
    EXPECT_EQ(decoded->id, cursor.id);
  }
}

TEST(InvocationCursor, RefusesAnythingElse) {
  auto encoded = [](std::string raw) { return auth::oauth::base64UrlEncode(raw); };
  for (const std::string& text :
       {std::string(), std::string("garbage!"), std::string("aTEuMTIzLmFi="),
        encoded("i1.123"), encoded("i1.123."), encoded("i1..abc"), encoded("i2.123.abc"),
        encoded("i1.-5.abc"), encoded("i1.12x.abc"), encoded("i1.99999999999999999999.abc"),
        encoded("i1.123.a'b"), encoded("i1.123.a b"), encoded("i1.123." + std::string(65, 'a')),
        std::string(300, 'A')}) {
    auto decoded = decodeInvocationCursor(text);
    ASSERT_FALSE(decoded) << text;
    EXPECT_EQ(decoded.error().code, "invalid_cursor");
    EXPECT_EQ(decoded.error().kind, ErrorKind::invalid_argument);
  }
}

}  // namespace
}  // namespace stratus::api
