// The runtime images `stratus runtimes build` makes: built (or found current) by the test
// setup, labelled with their recipe, and able to run their runtime — and the in-instance
// bootstraps — in a container locked down the way the docker executor locks it down.
#include "docker/runtime_images.h"

#include <gtest/gtest.h>

#include <chrono>

#include "docker/docker_client.h"
#include "testing/docker_daemon.h"

namespace stratus::docker {
namespace {

using namespace std::chrono_literals;

class RuntimeImagesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    STRATUS_REQUIRE_DOCKER();
    if (auto reason = ::stratus::testing::DockerDaemon::ensureRuntimeImages(STRATUS_BINARY);
        !reason.empty()) {
      GTEST_SKIP() << "skipped: " << reason;
    }
    auto connected = DockerClient::connect(*parseDockerHost(""));
    ASSERT_TRUE(connected) << connected.error().describe();
    client_.emplace(std::move(*connected));
  }

  // Runs `cmd` in the image as the docker executor would: no network, read-only root,
  // nobody, no capabilities; the runtime bootstraps shown read-only at /opt/stratus.
  LogOutput run(const std::string& image, std::vector<std::string> cmd, int* status) {
    ContainerSpec spec;
    spec.image = image;
    spec.cmd = std::move(cmd);
    spec.user = "65534:65534";
    spec.networkMode = "none";
    spec.readonlyRootfs = true;
    spec.tmpfs = {{"/tmp", "rw,size=16m"}};
    spec.binds = {{std::string(STRATUS_SOURCE_DIR) + "/runtimes", "/opt/stratus"}};
    spec.capDrop = {"ALL"};
    spec.securityOpt = {"no-new-privileges"};
    spec.memoryBytes = 256ll << 20;
    spec.memorySwapBytes = 256ll << 20;
    spec.pidsLimit = 64;
    spec.init = true;
    spec.labels = {{"org.stratus.test", "runtime-images"}};
    auto created = client_->createContainer(spec);
    EXPECT_TRUE(created) << created.error().describe();
    if (!created) return {};
    EXPECT_TRUE(client_->startContainer(created->id));
    auto waited = client_->waitContainer(created->id, 60s);
    EXPECT_TRUE(waited) << waited.error().describe();
    *status = waited ? waited->statusCode : -1;
    auto logs = client_->containerLogs(created->id);
    EXPECT_TRUE(client_->removeContainer(created->id));
    return logs ? *logs : LogOutput{};
  }

  std::optional<DockerClient> client_;
};

TEST_F(RuntimeImagesTest, EveryRecipeHasACurrentImage) {
  for (const auto& recipe : runtimeRecipes()) {
    auto image = client_->inspectImage(recipe.repository);
    ASSERT_TRUE(image) << image.error().describe();
    EXPECT_TRUE(isCurrentImage(image->labels, recipe)) << recipe.repository;
    EXPECT_EQ(image->labels.at(std::string(kRuntimeLabel)), recipe.name);
    EXPECT_FALSE(image->labels[std::string(kRuntimeVersionLabel)].empty());
    std::printf("%s: %s, %.1f MB, %s\n", recipe.repository.c_str(), image->id.substr(0, 19).c_str(),
                image->size / 1e6, image->labels[std::string(kRuntimeVersionLabel)].c_str());
  }
}

TEST_F(RuntimeImagesTest, PythonRunsLockedDown) {
  int status = -1;
  auto logs = run(
      imageForRuntime("python3.11", {}),
      {"/usr/bin/python3", "-c", "import sys, os; print(sys.version_info[:2], os.getuid(), 6 * 7)"},
      &status);
  EXPECT_EQ(status, 0) << logs.err;
  EXPECT_EQ(logs.out, "(3, 11) 65534 42\n");
}

TEST_F(RuntimeImagesTest, NodeRunsLockedDown) {
  int status = -1;
  auto logs = run(imageForRuntime("nodejs20", {}),
                  {"/usr/bin/node", "-e", "console.log(process.getuid(), 6 * 7)"}, &status);
  EXPECT_EQ(status, 0) << logs.err;
  EXPECT_EQ(logs.out, "65534 42\n");
}

TEST_F(RuntimeImagesTest, TheBootstrapsParseUnderTheImagesRuntimes) {
  int status = -1;
  auto python = run(imageForRuntime("python3.11", {}),
                    {"/usr/bin/python3", "-c",
                     "import ast; ast.parse(open('/opt/stratus/python/bootstrap.py').read())"},
                    &status);
  EXPECT_EQ(status, 0) << python.err;
  // Debian 12's Node.js is 18, while the function runtime is called nodejs20: the
  // bootstrap must at least parse under it.
  auto node = run(imageForRuntime("nodejs20", {}),
                  {"/usr/bin/node", "--check", "/opt/stratus/node/bootstrap.mjs"}, &status);
  EXPECT_EQ(status, 0) << node.err;
}

}  // namespace
}  // namespace stratus::docker
