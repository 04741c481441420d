#include "nanos/image_cache.h"

#include <gtest/gtest.h>

namespace stratus::nanos {
namespace {

TEST(ImageKey, ChangesWithTheManifestAndEveryFileStamp) {
  std::vector<FileStamp> stamps{{"/k", 10, 100}, {"/usr/bin/python3", 20, 200}};
  std::string base = imageKey("(manifest)", stamps);
  EXPECT_EQ(base.size(), 32u);
  EXPECT_EQ(imageKey("(manifest)", stamps), base);
  EXPECT_NE(imageKey("(manifest )", stamps), base);
  auto resized = stamps;
  resized[1].size = 21;
  EXPECT_NE(imageKey("(manifest)", resized), base);
  auto touched = stamps;
  touched[0].modifiedNs = 101;
  EXPECT_NE(imageKey("(manifest)", touched), base);
  auto renamed = stamps;
  renamed[0].path = "/k2";
  EXPECT_NE(imageKey("(manifest)", renamed), base);
}

}  // namespace
}  // namespace stratus::nanos
