// Runtime recipes, their labels, and the operator's choice of images per runtime.
#include "docker/runtime_images.h"

#include <gtest/gtest.h>

#include "common/crypto.h"

namespace stratus::docker {
namespace {

class RuntimeImagesTest : public ::testing::Test {
 protected:
  void SetUp() override { initCrypto(); }
};

TEST_F(RuntimeImagesTest, RecipesByNameAndByFunctionRuntime) {
  ASSERT_NE(findRecipe("python3.11"), nullptr);
  EXPECT_EQ(findRecipe("python3.11")->repository, "stratus/python3.11");
  EXPECT_EQ(findRecipe("python3.11")->packages, std::vector<std::string>{"python3"});
  ASSERT_NE(findRecipe("nodejs"), nullptr);
  EXPECT_EQ(findRecipe("nodejs20"), findRecipe("nodejs"));
  EXPECT_EQ(findRecipe("nodejs")->repository, "stratus/nodejs");
  EXPECT_EQ(findRecipe("provided"), nullptr);
  EXPECT_EQ(findRecipe(""), nullptr);
}

TEST_F(RuntimeImagesTest, RecipeHashFollowsTheContent) {
  const RuntimeRecipe& python = *findRecipe("python3.11");
  const std::string hash = recipeHash(python);
  EXPECT_EQ(hash.size(), 16u);
  EXPECT_EQ(hash, recipeHash(python));
  EXPECT_NE(hash, recipeHash(*findRecipe("nodejs")));
  RuntimeRecipe changed = python;
  changed.packages.push_back("ca-certificates");
  EXPECT_NE(recipeHash(changed), hash);
  changed = python;
  changed.suite = "trixie";
  EXPECT_NE(recipeHash(changed), hash);
  // The name and repository are not content: renaming does not force a rebuild.
  changed = python;
  changed.repository = "other/python";
  EXPECT_EQ(recipeHash(changed), hash);
}

TEST_F(RuntimeImagesTest, LabelsAndCurrency) {
  const RuntimeRecipe& node = *findRecipe("nodejs");
  Labels labels = recipeLabels(node);
  EXPECT_EQ(labels.at("org.stratus.runtime"), "nodejs");
  EXPECT_EQ(labels.at("org.stratus.image-version"), std::to_string(kRuntimeImageVersion));
  EXPECT_EQ(labels.at("org.stratus.recipe"), recipeHash(node));
  EXPECT_TRUE(isCurrentImage(labels, node));
  EXPECT_FALSE(isCurrentImage(labels, *findRecipe("python3.11")));
  EXPECT_FALSE(isCurrentImage({}, node));
  labels["org.stratus.recipe"] = "0000000000000000";
  EXPECT_FALSE(isCurrentImage(labels, node));
}

TEST_F(RuntimeImagesTest, OperatorImages) {
  auto images = parseRuntimeImages(" python3.11 = registry.local:5000/py:3.11 ,nodejs20=my/node ");
  ASSERT_TRUE(images) << images.error().message;
  EXPECT_EQ(images->at("python3.11"), "registry.local:5000/py:3.11");
  EXPECT_EQ(images->at("nodejs20"), "my/node");
  EXPECT_EQ(imageForRuntime("python3.11", *images), "registry.local:5000/py:3.11");
  EXPECT_EQ(imageForRuntime("python3.11", {}), "stratus/python3.11");
  EXPECT_EQ(imageForRuntime("nodejs20", {}), "stratus/nodejs");
  EXPECT_EQ(imageForRuntime("provided", {}), "");
  EXPECT_TRUE(parseRuntimeImages("")->empty());
  EXPECT_TRUE(parseRuntimeImages(" , ")->empty());
}

TEST_F(RuntimeImagesTest, OperatorImagesRefused) {
  for (const char* bad :
       {"python3.11", "=img", "python3.11=", "py=a b", "py=../x", "a=b,a=c", "p y=img"}) {
    auto images = parseRuntimeImages(bad);
    ASSERT_FALSE(images) << bad;
    EXPECT_EQ(images.error().code, "invalid_config") << bad;
  }
}

}  // namespace
}  // namespace stratus::docker
