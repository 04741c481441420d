#include "exec/docker/container_spec.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace stratus::exec::docker {
namespace {
using sandbox::CgroupVersion;

InstanceSpec pythonSpec() {
  InstanceSpec spec;
  spec.functionId = "f1";
  spec.functionName = "calc";
  spec.version = 3;
  spec.runtime = "python3.11";
  spec.mode = "handler";
  spec.handler = "app.handler";
  spec.env = {{"GREETING", "hi"}, {"_HANDLER", "forged"}};
  spec.memoryMb = 256;
  spec.timeoutS = 5;
  return spec;
}

ContainerPlan plan() {
  ContainerPlan plan;
  plan.id = "abc123";
  plan.node = "stratus-0123456789ab";
  plan.image = "stratus/python3.11";
  plan.codeDir = "/data/code/sha";
  plan.runtimeDir = "/run/rt";
  plan.pipesDir = "/run/pipes/abc123";
  return plan;
}

TEST(ContainerSpec, IsLockedDown) {
  auto container = containerSpecFor(pythonSpec(), plan());
  EXPECT_EQ(container.networkMode, "none");
  EXPECT_TRUE(container.readonlyRootfs);
  EXPECT_EQ(container.capDrop, std::vector<std::string>{"ALL"});
  EXPECT_EQ(container.securityOpt, std::vector<std::string>{"no-new-privileges"});
  EXPECT_EQ(container.user, "65534:65534");
  EXPECT_TRUE(container.init);
  ASSERT_TRUE(container.tmpfs.contains("/tmp"));
  EXPECT_NE(container.tmpfs["/tmp"].find("size=64m"), std::string::npos);
  EXPECT_NE(container.tmpfs["/tmp"].find("nosuid"), std::string::npos);
}

TEST(ContainerSpec, LimitsFollowTheFunction) {
  auto container = containerSpecFor(pythonSpec(), plan());
  EXPECT_EQ(container.memoryBytes, 256ll << 20);
  EXPECT_EQ(container.memorySwapBytes, 256ll << 20);  // no swap on top
  EXPECT_EQ(container.nanoCpus, 1'000'000'000);
  EXPECT_EQ(container.pidsLimit, 64);
}

TEST(ContainerSpec, BindsCodeRuntimeAndPipesReadOnlyOnly) {
  auto container = containerSpecFor(pythonSpec(), plan());
  ASSERT_EQ(container.binds.size(), 3u);
  EXPECT_EQ(container.binds[0].hostPath, "/data/code/sha");
  EXPECT_EQ(container.binds[0].containerPath, "/var/task");
  EXPECT_EQ(container.binds[1].containerPath, "/opt/stratus");
  EXPECT_EQ(container.binds[2].hostPath, "/run/pipes/abc123");
  EXPECT_EQ(container.binds[2].containerPath, "/run/stratus");
}

TEST(ContainerSpec, WaitsForTheGoThenRunsTheBootstrapOnThePipes) {
  auto container = containerSpecFor(pythonSpec(), plan());
  ASSERT_EQ(container.cmd.size(), 5u);
  EXPECT_EQ(container.cmd[0], "/bin/sh");
  EXPECT_EQ(container.cmd[1], "-c");
  EXPECT_EQ(container.cmd[2],
            "read -r go < /run/stratus/go && exec \"$0\" \"$@\" >/run/stratus/stdout "
            "2>/run/stratus/stderr");
  EXPECT_EQ(container.cmd[3], "/usr/bin/python3");
  EXPECT_EQ(container.cmd[4], "/opt/stratus/python/bootstrap.py");
  InstanceSpec provided = pythonSpec();
  provided.runtime = "provided";
  auto custom = containerSpecFor(provided, plan());
  EXPECT_EQ(custom.cmd.back(), "/var/task/bootstrap");
}

TEST(ContainerSpec, EnvironmentHasThePlatformsVariablesOverTheFunctions) {
  auto container = containerSpecFor(pythonSpec(), plan());
  EXPECT_EQ(container.env["GREETING"], "hi");
  EXPECT_EQ(container.env["_HANDLER"], "app.handler");  // the platform's wins
  EXPECT_EQ(container.env["AWS_LAMBDA_RUNTIME_API"], "127.0.0.1:9001");
  EXPECT_EQ(container.env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"], "256");
  EXPECT_FALSE(container.env.contains("STRATUS_SPEC_FD"));  // no ready pool: plain variables
}

TEST(ContainerSpec, LabelsNameTheServerFunctionAndInstance) {
  auto container = containerSpecFor(pythonSpec(), plan());
  EXPECT_EQ(container.labels[kNodeLabel], "stratus-0123456789ab");
  EXPECT_EQ(container.labels[kFunctionLabel], "f1");
  EXPECT_EQ(container.labels[kInstanceLabel], "abc123");
  EXPECT_EQ(container.name, "stratus-0123456789ab-abc123");
}

TEST(CgroupFolders, FromCgroupV1Lines) {
  const char* text =
      "12:pids:/docker/0f3e\n"
      "11:cpu,cpuacct:/docker/0f3e\n"
      "9:memory:/docker/0f3e\n"
      "1:name=systemd:/docker/0f3e\n"
      "0::/docker/0f3e\n";
  auto folders = cgroupFoldersOf(text, CgroupVersion::v1, "/sys/fs/cgroup");
  ASSERT_TRUE(folders);
  EXPECT_EQ(folders->memory, "/sys/fs/cgroup/memory/docker/0f3e");
  EXPECT_EQ(folders->pids, "/sys/fs/cgroup/pids/docker/0f3e");
}

TEST(CgroupFolders, FromTheV2Line) {
  auto folders = cgroupFoldersOf("0::/system.slice/docker-0f3e.scope\n", CgroupVersion::v2, "/cg");
  ASSERT_TRUE(folders);
  EXPECT_EQ(folders->memory, "/cg/system.slice/docker-0f3e.scope");
  EXPECT_EQ(folders->pids, folders->memory);
}

TEST(CgroupFolders, MissingOrHostileLinesGiveNothing) {
  EXPECT_FALSE(cgroupFoldersOf("", CgroupVersion::v1));
  EXPECT_FALSE(cgroupFoldersOf("9:memory:/docker/x\n", CgroupVersion::v1));  // no pids line
  EXPECT_FALSE(cgroupFoldersOf("9:memory:/../../etc\n12:pids:/a\n", CgroupVersion::v1));
  EXPECT_FALSE(cgroupFoldersOf("garbage\n", CgroupVersion::v2));
  EXPECT_FALSE(cgroupFoldersOf("0::relative\n", CgroupVersion::v2));
}

}  // namespace
}  // namespace stratus::exec::docker
