#include "auth/oauth/base64url.h"

#include <gtest/gtest.h>

namespace stratus::auth::oauth {
namespace {

TEST(Base64Url, EncodesRfc4648VectorsWithoutPadding) {
  EXPECT_EQ(base64UrlEncode(""), "");
  EXPECT_EQ(base64UrlEncode("f"), "Zg");
  EXPECT_EQ(base64UrlEncode("fo"), "Zm8");
  EXPECT_EQ(base64UrlEncode("foo"), "Zm9v");
  EXPECT_EQ(base64UrlEncode("foob"), "Zm9vYg");
  EXPECT_EQ(base64UrlEncode("fooba"), "Zm9vYmE");
  EXPECT_EQ(base64UrlEncode("foobar"), "Zm9vYmFy");
  // The two characters where base64url differs from base64: '-' for '+', '_' for '/'.
  EXPECT_EQ(base64UrlEncode(std::string("\xfb\xff\xbf", 3)), "-_-_");
}

TEST(Base64Url, DecodesWithOrWithoutPadding) {
  EXPECT_EQ(base64UrlDecode(""), "");
  EXPECT_EQ(base64UrlDecode("Zg"), "f");
  EXPECT_EQ(base64UrlDecode("Zg=="), "f");
  EXPECT_EQ(base64UrlDecode("Zm8"), "fo");
  EXPECT_EQ(base64UrlDecode("Zm8="), "fo");
  EXPECT_EQ(base64UrlDecode("Zm9vYmFy"), "foobar");
  EXPECT_EQ(base64UrlDecode("-_-_"), std::string("\xfb\xff\xbf", 3));
}

TEST(Base64Url, RoundTripsEveryByteValueAndLength) {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes += static_cast<char>(i);
  for (std::size_t length = 0; length <= bytes.size(); length += 7) {
    std::string part = bytes.substr(0, length);
    EXPECT_EQ(base64UrlDecode(base64UrlEncode(part)), part) << length;
  }
}

TEST(Base64Url, RefusesWhatIsNotCanonicalBase64Url) {
  EXPECT_FALSE(base64UrlDecode("Zm9v+g"));  // standard base64 alphabet
  EXPECT_FALSE(base64UrlDecode("Zm9v/g"));
  EXPECT_FALSE(base64UrlDecode("Zm9 v"));  // whitespace
  EXPECT_FALSE(base64UrlDecode("Zm9v\n"));
  EXPECT_FALSE(base64UrlDecode(std::string("Zm\0v", 4)));
  EXPECT_FALSE(base64UrlDecode("Z"));  // 6 bits cannot be a byte
  EXPECT_FALSE(base64UrlDecode("Zm9vY"));
  EXPECT_FALSE(base64UrlDecode("Zg="));  // padding that does not complete the group
  EXPECT_FALSE(base64UrlDecode("Zg==="));
  EXPECT_FALSE(base64UrlDecode("Zm9v===="));
  EXPECT_FALSE(base64UrlDecode("Z=g="));  // padding in the middle
  EXPECT_FALSE(base64UrlDecode("="));
  EXPECT_FALSE(base64UrlDecode("Zh"));   // "Zg" with non-zero unused bits
  EXPECT_FALSE(base64UrlDecode("Zm9"));  // "Zm8" likewise
}

}  // namespace
}  // namespace stratus::auth::oauth
