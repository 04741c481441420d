// The pure key rules shared by every BlobStore.
#include "blob/blob_store.h"

#include <gtest/gtest.h>

namespace stratus::blob {
namespace {

TEST(ValidateKey, AcceptsRelativeSlashSeparatedKeys) {
  for (const char* key : {"a", "users/u1/functions/f1/0123abcd.zip", "A-Z_a.z-0.9", "...",
                          ".hidden", "a/..b", "x/y/z"}) {
    EXPECT_TRUE(validateKey(key)) << key;
  }
}

TEST(ValidateKey, RefusesTraversalAbsoluteAndOddCharacters) {
  for (const char* key : {"",     "/a",    "//a",         "a/",   "a//b",   ".",    "..",     "./a",
                          "a/.",  "a/./b", "../a",        "a/..", "a/../b", "a\\b", "..\\a",  "a b",
                          "a\tb", "a\nb",  "caf\xc3\xa9", "a~",   "a:b",    "a*",   "a%2e%2e"}) {
    auto checked = validateKey(key);
    ASSERT_FALSE(checked) << key;
    EXPECT_EQ(checked.error().kind, ErrorKind::invalid_argument) << key;
    EXPECT_EQ(checked.error().code, "invalid_blob_key") << key;
  }
}

TEST(ValidateKey, RefusesOverlongKeysAndSegments) {
  EXPECT_TRUE(validateKey(std::string(255, 'a')));
  EXPECT_FALSE(validateKey(std::string(256, 'a')));
  std::string longKey;
  while (longKey.size() < 1100) longKey += "segment/";
  longKey += "end";
  EXPECT_FALSE(validateKey(longKey));
}

TEST(CodeKey, IsTheContentAddressedLayout) {
  const std::string sha(64, 'f');
  const std::string key = codeKey("u1", "f1", sha);
  EXPECT_EQ(key, "users/u1/functions/f1/" + sha + ".zip");
  EXPECT_TRUE(validateKey(key));
}

}  // namespace
}  // namespace stratus::blob
