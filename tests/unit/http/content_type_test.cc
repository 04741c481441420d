#include "http/content_type.h"

#include <gtest/gtest.h>

namespace stratus::http {
namespace {

TEST(ParseMediaType, TypeSubtypeAndParameters) {
  auto type = parseMediaType("Multipart/Form-Data; boundary=----abc123; charset=\"utf-8\"");
  ASSERT_TRUE(type.has_value());
  EXPECT_EQ(type->type, "multipart");
  EXPECT_EQ(type->subtype, "form-data");
  EXPECT_EQ(type->essence(), "multipart/form-data");
  EXPECT_EQ(type->parameter("boundary"), "----abc123");
  EXPECT_EQ(type->parameter("charset"), "utf-8");
  EXPECT_FALSE(type->parameter("missing").has_value());
}

TEST(ParseMediaType, QuotedValuesWithEscapesAndSpaces) {
  auto type = parseMediaType("text/plain ; a = \"x; \\\"y\\\"\" ;b=c;");
  ASSERT_TRUE(type.has_value());
  EXPECT_EQ(type->parameter("a"), "x; \"y\"");
  EXPECT_EQ(type->parameter("b"), "c");
}

TEST(ParseMediaType, ParameterNamesAreCaseInsensitive) {
  auto type = parseMediaType("multipart/form-data; BOUNDARY=Xy");
  ASSERT_TRUE(type.has_value());
  EXPECT_EQ(type->parameter("boundary"), "Xy");  // the value keeps its case
}

TEST(ParseMediaType, Rejects) {
  for (std::string_view bad :
       {"", "text", "text/", "/plain", "te xt/plain", "text/plain; a",
        "text/plain; a=", "text/plain; a=\"open", "text/plain; =x", "text/plain; a=1; A=2",
        "text/plain; a=b c", "text/plain; a=\"x\ry\""}) {
    auto type = parseMediaType(bad);
    ASSERT_FALSE(type.has_value()) << bad;
    EXPECT_EQ(type.error().code, "malformed_content_type") << bad;
  }
}

TEST(IsJson, DetectsJsonTypes) {
  EXPECT_TRUE(isJsonContentType("application/json"));
  EXPECT_TRUE(isJsonContentType("Application/JSON; charset=utf-8"));
  EXPECT_TRUE(isJsonContentType("application/problem+json"));
  EXPECT_FALSE(isJsonContentType("application/+json"));
  EXPECT_FALSE(isJsonContentType("text/json"));
  EXPECT_FALSE(isJsonContentType("application/jsonx"));
  EXPECT_FALSE(isJsonContentType("garbage"));
}

TEST(ParseParameterizedValue, ContentDisposition) {
  auto value = parseParameterizedValue("form-data; name=\"functionFile\"; filename=\"a b.py\"");
  ASSERT_TRUE(value.has_value());
  EXPECT_EQ(value->value, "form-data");
  EXPECT_EQ(value->parameter("name"), "functionFile");
  EXPECT_EQ(value->parameter("filename"), "a b.py");
}

TEST(Tokens, Helpers) {
  EXPECT_TRUE(isToken("X-Request-Id"));
  EXPECT_FALSE(isToken(""));
  EXPECT_FALSE(isToken("a b"));
  EXPECT_FALSE(isToken("a:b"));
  EXPECT_EQ(asciiLower("AbC-1"), "abc-1");
  EXPECT_TRUE(equalsIgnoreCase("Content-Type", "content-TYPE"));
  EXPECT_FALSE(equalsIgnoreCase("a", "ab"));
}

}  // namespace
}  // namespace stratus::http
