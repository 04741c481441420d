#include "exec/nanos/guest_image.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace stratus::exec::nanos {
namespace {
namespace fs = std::filesystem;

class GuestImage : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("guest-image-" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_ / "code/lib");
    fs::create_directories(root_ / "bootstraps/python");
    std::ofstream(root_ / "code/app.py") << "def handler(e, c): return 1\n";
    std::ofstream(root_ / "code/lib/util.py") << "X = 1\n";
    fs::create_symlink("/etc/passwd", root_ / "code/passwd");
    std::ofstream(root_ / "bootstraps/python/bootstrap.py") << "# bootstrap\n";
    runtime_.program = "/usr/bin/python3";
    runtime_.files = {{"/usr/bin/python3", "/usr/bin/python3.11"}};
    spec_.functionId = "f1";
    spec_.functionName = "counter";
    spec_.version = 3;
    spec_.runtime = "python3.11";
    spec_.mode = "handler";
    spec_.handler = "app.handler";
    spec_.codeDir = root_ / "code";
    spec_.env = {{"GREETING", "hi"}};
    spec_.memoryMb = 256;
  }
  void TearDown() override { fs::remove_all(root_); }

  std::string envOf(const ::stratus::nanos::Manifest& manifest, const std::string& name) {
    for (const auto& [key, value] : manifest.environment)
      if (key == name) return value;
    return "<unset>";
  }

  fs::path root_;
  RuntimeTree runtime_;
  InstanceSpec spec_;
};

TEST_F(GuestImage, HoldsTheRuntimeBootstrapAndCode) {
  auto manifest = instanceManifest(spec_, runtime_, root_ / "bootstraps");
  ASSERT_TRUE(manifest) << manifest.error().describe();
  EXPECT_EQ(manifest->program, "/usr/bin/python3");
  EXPECT_EQ(manifest->arguments,
            (std::vector<std::string>{"/usr/bin/python3", "/opt/stratus/python/bootstrap.py"}));
  EXPECT_EQ(manifest->files.at("/usr/bin/python3"), "/usr/bin/python3.11");
  EXPECT_EQ(manifest->files.at("/opt/stratus/python/bootstrap.py"),
            (root_ / "bootstraps/python/bootstrap.py").string());
  EXPECT_EQ(manifest->files.at("/var/task/app.py"), (root_ / "code/app.py").string());
  EXPECT_EQ(manifest->files.at("/var/task/lib/util.py"), (root_ / "code/lib/util.py").string());
  // A symbolic link in the code could point anywhere on the host: it stays out.
  EXPECT_FALSE(manifest->files.contains("/var/task/passwd"));
  EXPECT_TRUE(manifest->directories.contains("/tmp"));
}

TEST_F(GuestImage, TheEnvironmentReachesTheRuntimeApiThroughTheForwardRule) {
  auto manifest = instanceManifest(spec_, runtime_, root_ / "bootstraps");
  ASSERT_TRUE(manifest);
  EXPECT_EQ(envOf(*manifest, "AWS_LAMBDA_RUNTIME_API"), "10.0.2.100:9001");
  EXPECT_EQ(envOf(*manifest, "STRATUS_SCRIPT_IN_PROCESS"), "1");
  EXPECT_EQ(envOf(*manifest, "GREETING"), "hi");
  EXPECT_EQ(envOf(*manifest, "_HANDLER"), "app.handler");
  EXPECT_EQ(envOf(*manifest, "AWS_LAMBDA_FUNCTION_MEMORY_SIZE"), "256");
  EXPECT_EQ(envOf(*manifest, "AWS_LAMBDA_FUNCTION_VERSION"), "3");
  // Each name once: a tuple holds one value per key.
  std::set<std::string> names;
  for (const auto& [key, value] : manifest->environment) EXPECT_TRUE(names.insert(key).second) << key;
  bool debugExit = false;
  for (const auto& [key, value] : manifest->settings) debugExit |= key == "debug_exit" && value == "t";
  EXPECT_TRUE(debugExit);
}

TEST_F(GuestImage, AFileNameThatIsNotUtf8IsRefused) {
  std::ofstream(root_ / "code/\xff.py") << "x\n";
  auto manifest = instanceManifest(spec_, runtime_, root_ / "bootstraps");
  ASSERT_FALSE(manifest);
  EXPECT_EQ(manifest.error().code, "invalid_code");
}

TEST(CollectRuntime, ProvidedAndUnknownRuntimesAreRefused) {
  for (const char* runtime : {"provided", "ruby3.3"}) {
    auto tree = collectRuntime(runtime);
    ASSERT_FALSE(tree) << runtime;
    EXPECT_EQ(tree.error().code, "invalid_runtime");
  }
}

TEST(CollectRuntime, NodeIsItsBinaryAndTheLibrariesItLoads) {
  if (!fs::exists("/usr/bin/node")) GTEST_SKIP() << "skipped: no /usr/bin/node on this host";
  auto tree = collectRuntime("nodejs20");
  ASSERT_TRUE(tree) << tree.error().describe();
  EXPECT_EQ(tree->program, "/usr/bin/node");
  bool libc = false;
  for (const auto& [guest, host] : tree->files) libc |= guest.find("/libc.so") != std::string::npos;
  EXPECT_TRUE(libc);
}

TEST(SkippedStdlibFolder, TestsAndToolkitsOnly) {
  for (const char* name : {"test", "idlelib", "tkinter", "ensurepip", "config-3.11-x86_64-linux-gnu"})
    EXPECT_TRUE(skippedStdlibFolder(name)) << name;
  for (const char* name : {"json", "lib-dynload", "encodings", "asyncio"})
    EXPECT_FALSE(skippedStdlibFolder(name)) << name;
}

}  // namespace
}  // namespace stratus::exec::nanos
