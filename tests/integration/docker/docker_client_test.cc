// The Docker client against the real daemon: version negotiation, image import, and a
// container's whole life (create, start, inspect, wait, logs, kill, list, remove) with the
// hardening options the docker executor uses.
#include "docker/docker_client.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <thread>

#include "guest_image.h"
#include "testing/docker_daemon.h"

namespace stratus::docker {
namespace {

using namespace std::chrono_literals;
using testing::kTestLabel;

class DockerClientTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!::stratus::testing::DockerDaemon::ensure().empty()) return;
    auto connected = DockerClient::connect(*parseDockerHost(""));
    if (!connected) {
      setupError_ = connected.error().describe();
      return;
    }
    client_ = new DockerClient(std::move(*connected));
    dir_ = new ::stratus::testing::TempDir();
    const auto root = testing::makeGuestRoot(dir_->path());
    tarPath_ = testing::tarOf(root, dir_->path());
    if (tarPath_.empty()) {
      setupError_ = "tar of the guest root failed";
      return;
    }
    image_ = "stratus-test/guest:" + testing::uniqueTag("t");
    ImageImport import;
    import.repository = "stratus-test/guest";
    import.tag = testing::uniqueTag("t");
    import.labels = {{kTestLabel, "guest"},
                     { "org.stratus.note",
                       "a value with spaces = and \"quotes\"" }};
    auto imported = client_->importImageFile(import, tarPath_);
    if (!imported) {
      setupError_ = imported.error().describe();
      return;
    }
    imageId_ = *imported;
  }

  static void TearDownTestSuite() {
    if (client_) {
      // Whatever a failed test left behind, by label.
      if (auto left =
              client_->listContainers({{"label", {std::string(kTestLabel) + "=" + runLabel()}}})) {
        for (const auto& container : *left) (void)client_->removeContainer(container.id);
      }
      if (!imageId_.empty()) (void)client_->removeImage(image_, true);
    }
    delete client_;
    client_ = nullptr;
    delete dir_;
    dir_ = nullptr;
  }

  void SetUp() override {
    STRATUS_REQUIRE_DOCKER();
    ASSERT_TRUE(setupError_.empty()) << setupError_;
    ASSERT_NE(client_, nullptr);
  }

  static std::string runLabel() { return testing::uniqueTag("run"); }

  // A container of the guest image running `steps`, labelled as this run's.
  static ContainerSpec guest(std::vector<std::string> steps) {
    ContainerSpec spec;
    spec.image = image_;
    spec.entrypoint = {"/guest"};
    spec.cmd = std::move(steps);
    spec.labels = {{kTestLabel, runLabel()}};
    spec.networkMode = "none";
    return spec;
  }

  static std::string createStarted(const ContainerSpec& spec) {
    auto created = client_->createContainer(spec);
    EXPECT_TRUE(created) << created.error().describe();
    if (!created) return {};
    auto started = client_->startContainer(created->id);
    EXPECT_TRUE(started) << started.error().describe();
    return created->id;
  }

  static inline DockerClient* client_ = nullptr;
  static inline ::stratus::testing::TempDir* dir_ = nullptr;
  static inline std::string tarPath_, image_, imageId_, setupError_;
};

TEST_F(DockerClientTest, NegotiatesTheApiVersionAndPings) {
  EXPECT_LE(client_->apiVersion(), kNewestApiVersion);
  EXPECT_GE(client_->apiVersion(), kOldestApiVersion);
  EXPECT_FALSE(client_->daemonVersion().version.empty());
  EXPECT_FALSE(client_->daemonVersion().apiVersion.empty());
  auto ping = client_->ping();
  EXPECT_TRUE(ping) << ping.error().describe();
  std::printf("daemon %s, API %s (daemon's newest %s)\n", client_->daemonVersion().version.c_str(),
              client_->apiVersion().text().c_str(), client_->daemonVersion().apiVersion.c_str());
}

TEST_F(DockerClientTest, ImportedImageCarriesItsLabels) {
  auto image = client_->inspectImage(image_);
  ASSERT_TRUE(image) << image.error().describe();
  EXPECT_EQ(image->id, imageId_);
  EXPECT_EQ(image->labels.at(kTestLabel), "guest");
  EXPECT_EQ(image->labels.at("org.stratus.note"), "a value with spaces = and \"quotes\"");
  EXPECT_GT(image->size, 100'000);

  auto listed = client_->listImages({{"label", {std::string(kTestLabel) + "=guest"}}});
  ASSERT_TRUE(listed) << listed.error().describe();
  bool found = false;
  for (const auto& summary : *listed) found = found || summary.id == imageId_;
  EXPECT_TRUE(found);
}

TEST_F(DockerClientTest, ImportsFromAPipe) {
  FILE* tar = ::popen(("cat '" + tarPath_ + "'").c_str(), "r");
  ASSERT_NE(tar, nullptr);
  ImageImport import{"stratus-test/guest-pipe", testing::uniqueTag("t"), {{kTestLabel, "pipe"}}};
  auto imported = client_->importImage(import, ::fileno(tar));
  ::pclose(tar);
  ASSERT_TRUE(imported) << imported.error().describe();
  EXPECT_TRUE(imported->starts_with("sha256:"));
  EXPECT_TRUE(client_->removeImage("stratus-test/guest-pipe:" + import.tag, true));
}

TEST_F(DockerClientTest, ATruncatedTarIsTheDaemonsError) {
  FILE* tar = ::popen(("head -c 3000 '" + tarPath_ + "'").c_str(), "r");
  ASSERT_NE(tar, nullptr);
  ImageImport import{"stratus-test/guest-broken", testing::uniqueTag("t"), {}};
  auto imported = client_->importImage(import, ::fileno(tar));
  ::pclose(tar);
  ASSERT_FALSE(imported);
  // 20.10 answers 500 once it has read the whole body; a daemon that answered 200 first
  // reports the failure in the progress stream instead (docker_import_failed).
  EXPECT_EQ(imported.error().kind, ErrorKind::internal);
  EXPECT_NE(imported.error().message.find("unexpected EOF"), std::string::npos)
      << imported.error().describe();
}

TEST_F(DockerClientTest, ContainerLifeCycle) {
  auto spec = guest({"out", "hello", "err", "oops", "env", "GREETING", "exit", "3"});
  spec.env = {{"GREETING", "hi there"}};
  spec.labels["org.stratus.instance"] = "life-cycle";
  auto created = client_->createContainer(spec);
  ASSERT_TRUE(created) << created.error().describe();
  const std::string id = created->id;

  auto before = client_->inspectContainer(id);
  ASSERT_TRUE(before) << before.error().describe();
  EXPECT_EQ(before->status, "created");
  EXPECT_FALSE(before->running);
  EXPECT_EQ(before->labels.at("org.stratus.instance"), "life-cycle");

  ASSERT_TRUE(client_->startContainer(id));
  auto waited = client_->waitContainer(id, 30s);
  ASSERT_TRUE(waited) << waited.error().describe();
  EXPECT_EQ(waited->statusCode, 3);

  auto after = client_->inspectContainer(id);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, "exited");
  EXPECT_EQ(after->exitCode, 3);
  EXPECT_FALSE(after->oomKilled);
  EXPECT_EQ(after->pid, 0);

  auto logs = client_->containerLogs(id);
  ASSERT_TRUE(logs) << logs.error().describe();
  EXPECT_EQ(logs->out, "hello\nhi there\n");
  EXPECT_EQ(logs->err, "oops\n");
  EXPECT_FALSE(logs->truncated);

  auto listed = client_->listContainers(
      {{"label", {"org.stratus.instance=life-cycle", std::string(kTestLabel) + "=" + runLabel()}}});
  ASSERT_TRUE(listed) << listed.error().describe();
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].id, id);
  EXPECT_EQ((*listed)[0].state, "exited");
  auto runningOnly =
      client_->listContainers({{"label", {"org.stratus.instance=life-cycle"}}}, false);
  ASSERT_TRUE(runningOnly);
  EXPECT_TRUE(runningOnly->empty());

  ASSERT_TRUE(client_->removeContainer(id));
  auto gone = client_->inspectContainer(id);
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code, "docker_container_missing");
  EXPECT_EQ(gone.error().kind, ErrorKind::not_found);
  EXPECT_TRUE(client_->removeContainer(id)) << "removing what is gone is not an error";
  listed = client_->listContainers({{"label", {"org.stratus.instance=life-cycle"}}});
  ASSERT_TRUE(listed);
  EXPECT_TRUE(listed->empty());
}

TEST_F(DockerClientTest, KillARunningContainer) {
  auto spec = guest({"out", "up", "pause"});
  spec.init = true;
  const std::string id = createStarted(spec);
  ASSERT_FALSE(id.empty());
  auto running = client_->inspectContainer(id);
  ASSERT_TRUE(running);
  EXPECT_TRUE(running->running);
  EXPECT_EQ(running->status, "running");
  EXPECT_GT(running->pid, 0);
  EXPECT_TRUE(client_->startContainer(id)) << "starting a running container is not an error";

  ASSERT_TRUE(client_->killContainer(id, "SIGKILL"));
  auto waited = client_->waitContainer(id, 30s);
  ASSERT_TRUE(waited);
  EXPECT_EQ(waited->statusCode, 137);
  auto again = client_->killContainer(id);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, "docker_conflict") << again.error().describe();
  EXPECT_TRUE(client_->removeContainer(id));
}

TEST_F(DockerClientTest, WaitTimesOut) {
  const std::string id = createStarted(guest({"pause"}));
  ASSERT_FALSE(id.empty());
  auto waited = client_->waitContainer(id, 300ms);
  ASSERT_FALSE(waited);
  EXPECT_EQ(waited.error().code, "docker_timeout");
  EXPECT_TRUE(client_->removeContainer(id, true));
}

TEST_F(DockerClientTest, HardenedContainer) {
  ::stratus::testing::TempDir code;
  // The function's user must reach its code: TempDir makes folders only root can enter.
  std::filesystem::permissions(
      code.path(), std::filesystem::perms::owner_all | std::filesystem::perms::group_read |
                       std::filesystem::perms::group_exec | std::filesystem::perms::others_read |
                       std::filesystem::perms::others_exec);
  std::ofstream(code.path() / "handler.txt") << "function code\n";
  auto spec = guest({"id", "write", "/tmp/scratch", "write", "/rootfs-file", "write",
                     "/var/task/new", "read", "/var/task/handler.txt"});
  spec.user = "65534:65534";
  spec.workingDir = "/var/task";
  spec.readonlyRootfs = true;
  spec.tmpfs = {{"/tmp", "rw,size=16m"}};
  spec.binds = {{code.path().string(), "/var/task"}};
  spec.capDrop = {"ALL"};
  spec.securityOpt = {"no-new-privileges"};
  spec.memoryBytes = 64ll << 20;
  spec.memorySwapBytes = 64ll << 20;
  spec.nanoCpus = 500'000'000;
  spec.pidsLimit = 32;
  spec.init = true;
  const std::string id = createStarted(spec);
  ASSERT_FALSE(id.empty());
  auto waited = client_->waitContainer(id, 30s);
  ASSERT_TRUE(waited);
  EXPECT_EQ(waited->statusCode, 0);
  auto logs = client_->containerLogs(id);
  ASSERT_TRUE(logs);
  EXPECT_EQ(logs->out,
            "uid=65534 gid=65534\n"
            "wrote /tmp/scratch\n"
            "cannot write /rootfs-file: Read-only file system\n"
            "cannot write /var/task/new: Read-only file system\n"
            "function code\n")
      << logs->err;
  EXPECT_TRUE(client_->removeContainer(id));
}

TEST_F(DockerClientTest, OutOfMemoryIsReported) {
  auto spec = guest({"alloc", "200", "out", "survived"});
  spec.memoryBytes = 32ll << 20;
  spec.memorySwapBytes = 32ll << 20;
  const std::string id = createStarted(spec);
  ASSERT_FALSE(id.empty());
  auto waited = client_->waitContainer(id, 30s);
  ASSERT_TRUE(waited);
  auto info = client_->inspectContainer(id);
  ASSERT_TRUE(info);
  EXPECT_TRUE(info->oomKilled);
  EXPECT_EQ(info->exitCode, 137);
  EXPECT_TRUE(client_->removeContainer(id));
}

TEST_F(DockerClientTest, LogsAreBounded) {
  std::vector<std::string> steps;
  for (int i = 0; i < 200; ++i) {
    steps.push_back("out");
    steps.push_back(std::string(100, 'x'));
  }
  const std::string id = createStarted(guest(steps));
  ASSERT_FALSE(id.empty());
  ASSERT_TRUE(client_->waitContainer(id, 30s));
  auto logs = client_->containerLogs(id, 1000);
  ASSERT_TRUE(logs) << logs.error().describe();
  EXPECT_TRUE(logs->truncated);
  EXPECT_LE(logs->out.size(), 1000u);
  EXPECT_GT(logs->out.size(), 800u);
  EXPECT_TRUE(client_->removeContainer(id));
}

TEST_F(DockerClientTest, MissingImageSaysHowToBuildIt) {
  ContainerSpec spec;
  spec.image = "stratus-test/never-built:nope";
  auto created = client_->createContainer(spec);
  ASSERT_FALSE(created);
  EXPECT_EQ(created.error().code, "docker_image_missing");
  EXPECT_EQ(created.error().kind, ErrorKind::not_found);
  EXPECT_NE(created.error().message.find("stratus runtimes build"), std::string::npos);
  auto inspected = client_->inspectImage("stratus-test/never-built:nope");
  ASSERT_FALSE(inspected);
  EXPECT_EQ(inspected.error().code, "docker_image_missing");
}

TEST_F(DockerClientTest, DaemonErrorsCarryItsMessage) {
  auto spec = guest({"exit", "0"});
  spec.name = "stratus-test-" + testing::uniqueTag("dup");
  auto first = client_->createContainer(spec);
  ASSERT_TRUE(first) << first.error().describe();
  auto second = client_->createContainer(spec);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, "docker_conflict");
  EXPECT_NE(second.error().message.find("already in use"), std::string::npos)
      << second.error().message;
  EXPECT_TRUE(client_->removeContainer(first->id));

  auto bad = client_->inspectContainer("../images/json");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, "invalid_docker_name");
}

TEST_F(DockerClientTest, UsableFromManyThreads) {
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 20; ++i) {
        if (!client_->ping() || !client_->listContainers({{"label", {"org.stratus.none=1"}}})) {
          ++failures;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace stratus::docker
