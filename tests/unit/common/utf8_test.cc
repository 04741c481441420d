#include "common/utf8.h"

#include <gtest/gtest.h>

namespace stratus {
namespace {

TEST(Utf8, ValidTextIsUnchanged) {
  EXPECT_EQ(toValidUtf8("plain"), "plain");
  EXPECT_EQ(toValidUtf8("h\xC3\xA9llo \xE2\x82\xAC \xF0\x9F\x98\x80"),
            "h\xC3\xA9llo \xE2\x82\xAC \xF0\x9F\x98\x80");
  EXPECT_EQ(toValidUtf8(std::string("a\0b", 3)), std::string("a\0b", 3));
}

TEST(Utf8, InvalidBytesBecomeReplacementCharacters) {
  EXPECT_EQ(toValidUtf8("\xFF"), "\xEF\xBF\xBD");
  EXPECT_EQ(toValidUtf8("ok\xE2\x82"), "ok\xEF\xBF\xBD\xEF\xBF\xBD");  // cut by the cap
  EXPECT_EQ(toValidUtf8("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");      // overlong '/'
  EXPECT_EQ(toValidUtf8("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
  EXPECT_EQ(toValidUtf8("\xF4\x90\x80\x80").size(), 12u);  // above U+10FFFF
}

}  // namespace
}  // namespace stratus

namespace stratus {
namespace {

TEST(ValidUtf8Prefix, StopsAtTheFirstInvalidSequence) {
  EXPECT_EQ(validUtf8Prefix(""), 0u);
  EXPECT_EQ(validUtf8Prefix("plain"), 5u);
  EXPECT_EQ(validUtf8Prefix("h\xC3\xA9llo"), 6u);
  EXPECT_EQ(validUtf8Prefix("ab\xFF" "cd"), 2u);
  EXPECT_EQ(validUtf8Prefix("ab\xE2\x82"), 2u);      // cut in half
  EXPECT_EQ(validUtf8Prefix("a\xED\xA0\x80"), 1u);   // a surrogate
}

}  // namespace
}  // namespace stratus
