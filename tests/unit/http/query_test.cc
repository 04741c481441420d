#include "http/query.h"

#include <gtest/gtest.h>

namespace stratus::http {
namespace {

using Pairs = QueryParameters;

TEST(ParseQuery, KeepsOrderAndDuplicates) {
  auto query = parseQuery("a=1&b=2&a=3");
  ASSERT_TRUE(query.has_value());
  EXPECT_EQ(*query, (Pairs{{"a", "1"}, {"b", "2"}, {"a", "3"}}));
}

TEST(ParseQuery, DecodesPercentAndPlus) {
  auto query = parseQuery("name=x+y%20z&sym=%26%3D%2B&utf=%C3%A9&slash=a%2Fb");
  ASSERT_TRUE(query.has_value());
  EXPECT_EQ(*query,
            (Pairs{{"name", "x y z"}, {"sym", "&=+"}, {"utf", "\xC3\xA9"}, {"slash", "a/b"}}));
}

TEST(ParseQuery, EmptyPiecesAndMissingValues) {
  auto query = parseQuery("&a&&b=&=v&c=1=2&");
  ASSERT_TRUE(query.has_value());
  EXPECT_EQ(*query, (Pairs{{"a", ""}, {"b", ""}, {"", "v"}, {"c", "1=2"}}));
}

TEST(ParseQuery, EmptyInputIsEmpty) {
  auto query = parseQuery("");
  ASSERT_TRUE(query.has_value());
  EXPECT_TRUE(query->empty());
}

TEST(ParseQuery, DecodedNamesToo) {
  auto query = parseQuery("a%5B%5D=1");
  ASSERT_TRUE(query.has_value());
  EXPECT_EQ(*query, (Pairs{{"a[]", "1"}}));
}

TEST(ParseQuery, RejectsMalformedEscapes) {
  for (std::string_view raw : {"a=%", "a=%4", "a=%zz", "a=%4g", "%=1", "a=1&b=%G0"}) {
    auto query = parseQuery(raw);
    ASSERT_FALSE(query.has_value()) << raw;
    EXPECT_EQ(query.error().code, "malformed_query") << raw;
    EXPECT_EQ(query.error().kind, ErrorKind::invalid_argument);
  }
}

TEST(ParseQuery, RejectsEncodedNulAndInvalidUtf8) {
  EXPECT_FALSE(parseQuery("a=%00").has_value());
  EXPECT_FALSE(parseQuery("a=%FF").has_value());
  EXPECT_FALSE(parseQuery("a=%C3").has_value());          // truncated sequence
  EXPECT_FALSE(parseQuery("a=%C0%AF").has_value());       // overlong '/'
  EXPECT_FALSE(parseQuery("a=%ED%A0%80").has_value());    // UTF-16 surrogate
  EXPECT_TRUE(parseQuery("a=%F0%9F%98%80").has_value());  // an emoji is fine
}

TEST(PercentDecodePath, DecodesButKeepsPlus) {
  auto path = percentDecodePath("/api/a%20b/c+d/%C3%A9");
  ASSERT_TRUE(path.has_value());
  EXPECT_EQ(*path, "/api/a b/c+d/\xC3\xA9");
}

TEST(PercentDecodePath, RejectsEncodedSlashNulAndBadEscapes) {
  for (std::string_view raw : {"/a%2Fb", "/a%2fb", "/a%00", "/a%", "/a%zz", "/%FF"}) {
    auto path = percentDecodePath(raw);
    ASSERT_FALSE(path.has_value()) << raw;
    EXPECT_EQ(path.error().code, "malformed_path") << raw;
  }
}

TEST(ParseTarget, SplitsPathAndQuery) {
  auto target = parseTarget("/api/function/u1/main.py/docker?a=1&b=two+words");
  ASSERT_TRUE(target.has_value());
  EXPECT_EQ(target->path, "/api/function/u1/main.py/docker");
  EXPECT_EQ(target->query, (Pairs{{"a", "1"}, {"b", "two words"}}));
}

TEST(ParseTarget, AbsoluteFormAndFragment) {
  auto target = parseTarget("http://example.com:8080/x/y?q=1#frag");
  ASSERT_TRUE(target.has_value());
  EXPECT_EQ(target->path, "/x/y");
  EXPECT_EQ(target->query, (Pairs{{"q", "1"}}));

  auto bare = parseTarget("HTTP://example.com");
  ASSERT_TRUE(bare.has_value());
  EXPECT_EQ(bare->path, "/");
}

TEST(ParseTarget, RejectsOtherForms) {
  auto target = parseTarget("example.com/x");
  ASSERT_FALSE(target.has_value());
  EXPECT_EQ(target.error().code, "malformed_target");
  EXPECT_EQ(parseTarget("/a%2Fb").error().code, "malformed_path");
  EXPECT_EQ(parseTarget("/a?b=%").error().code, "malformed_query");
}

TEST(RawPathOf, DropsQueryAndAuthority) {
  EXPECT_EQ(rawPathOf("/a/b?secret=1"), "/a/b");
  EXPECT_EQ(rawPathOf("http://h/a?x"), "/a");
  EXPECT_EQ(rawPathOf("/a#f"), "/a");
}

TEST(IsValidUtf8, Boundaries) {
  EXPECT_TRUE(isValidUtf8(""));
  EXPECT_TRUE(isValidUtf8("plain"));
  EXPECT_TRUE(isValidUtf8("\xF4\x8F\xBF\xBF"));   // U+10FFFF
  EXPECT_FALSE(isValidUtf8("\xF4\x90\x80\x80"));  // U+110000
  EXPECT_FALSE(isValidUtf8("\x80"));
  EXPECT_FALSE(isValidUtf8("\xE0\x80\x80"));  // overlong
}

}  // namespace
}  // namespace stratus::http
