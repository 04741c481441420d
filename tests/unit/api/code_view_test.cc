#include "api/code_view.h"

#include <gtest/gtest.h>

namespace stratus::api {
namespace {

TEST(CodeText, Utf8TextIsShown) {
  std::string source = "print('h\xC3\xA9')\n";
  auto text = codeText(source, source.size());
  EXPECT_FALSE(text.binary);
  EXPECT_FALSE(text.truncated);
  EXPECT_EQ(text.content, "print('h\xC3\xA9')\n");
}

TEST(CodeText, NulOrInvalidUtf8IsBinary) {
  auto nul = codeText(std::string("ab\0cd", 5), 5);
  EXPECT_TRUE(nul.binary);
  EXPECT_EQ(nul.content, "");
  auto latin1 = codeText("caf\xE9 au lait", 12);
  EXPECT_TRUE(latin1.binary);
  EXPECT_EQ(latin1.content, "");
  // Incomplete at the very end of a file that was not cut: not text either.
  EXPECT_TRUE(codeText("ab\xE2\x82", 4).binary);
}

TEST(CodeText, LongFilesAreCutAtTheLimitWithoutSplittingACharacter) {
  auto cut = codeText("abcdef", 100, 4);
  EXPECT_TRUE(cut.truncated);
  EXPECT_FALSE(cut.binary);
  EXPECT_EQ(cut.content, "abcd");
  // "ab€" is 5 bytes; a 4-byte limit splits the euro sign, which is dropped.
  auto split = codeText("ab\xE2\x82\xAC", 5, 4);
  EXPECT_FALSE(split.binary);
  EXPECT_TRUE(split.truncated);
  EXPECT_EQ(split.content, "ab");
  // But a stray byte before the cut is still binary.
  EXPECT_TRUE(codeText("a\xFF" "bcdef", 100, 4).binary);
}

TEST(CodeText, ExactlyTheLimitIsNotTruncated) {
  auto exact = codeText("abcd", 4, 4);
  EXPECT_FALSE(exact.truncated);
  EXPECT_EQ(exact.content, "abcd");
}

}  // namespace
}  // namespace stratus::api
