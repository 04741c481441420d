#include "nanos/install.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace stratus::nanos {
namespace {

// A host described by literals: its variables, files and PATH.
struct FakeHost {
  std::map<std::string, std::string> env;
  std::map<std::string, std::string> files;  // path -> contents
  std::map<std::string, std::vector<std::string>> path;
  std::set<std::string> nanosMkfs;
  bool kvm = false;

  Probe probe() const {
    Probe probe;
    probe.env = [this](const std::string& name) -> std::optional<std::string> {
      auto found = env.find(name);
      if (found == env.end()) return std::nullopt;
      return found->second;
    };
    probe.isFile = [this](const std::string& path) { return files.contains(path); };
    probe.readFile = [this](const std::string& path) -> std::optional<std::string> {
      auto found = files.find(path);
      if (found == files.end()) return std::nullopt;
      return found->second;
    };
    probe.onPath = [this](const std::string& name) {
      auto found = path.find(name);
      return found == path.end() ? std::vector<std::string>{} : found->second;
    };
    probe.isNanosMkfs = [this](const std::string& candidate) { return nanosMkfs.contains(candidate); };
    probe.kvmUsable = [this] { return kvm; };
    return probe;
  }
};

FakeHost opsHost() {
  FakeHost host;
  host.env = {{"HOME", "/home/u"}};
  host.files = {{"/home/u/.ops/latest.txt", "0.1.52\n"},
                {"/home/u/.ops/0.1.52/kernel.img", ""},
                {"/home/u/.ops/0.1.52/boot.img", ""},
                {"/home/u/.ops/0.1.52/mkfs", ""},
                {"/usr/bin/qemu-system-x86_64", ""}};
  host.path = {{"qemu-system-x86_64", {"/usr/bin/qemu-system-x86_64"}}};
  return host;
}

TEST(LocateNanos, FindsWhatOpsInstalled) {
  FakeHost host = opsHost();
  auto found = locateNanos(host.probe());
  EXPECT_TRUE(found.usable()) << missingSummary(found);
  EXPECT_EQ(found.version, "0.1.52");
  EXPECT_EQ(found.kernel, "/home/u/.ops/0.1.52/kernel.img");
  EXPECT_EQ(found.boot, "/home/u/.ops/0.1.52/boot.img");
  EXPECT_EQ(found.mkfs, "/home/u/.ops/0.1.52/mkfs");
  EXPECT_EQ(found.qemu, "/usr/bin/qemu-system-x86_64");
  EXPECT_FALSE(found.kvm);
}

TEST(LocateNanos, OpsHomeWinsOverHome) {
  FakeHost host = opsHost();
  host.env["OPS_HOME"] = "/srv/ops";
  host.files["/srv/ops/.ops/latest.txt"] = "0.2.0";
  host.files["/srv/ops/.ops/0.2.0/kernel.img"] = "";
  auto found = locateNanos(host.probe());
  EXPECT_EQ(found.kernel, "/srv/ops/.ops/0.2.0/kernel.img");
  // Nothing else is in that version's folder.
  EXPECT_FALSE(found.usable());
  EXPECT_NE(missingSummary(found).find("boot image"), std::string::npos);
}

TEST(LocateNanos, VariablesWinAndTheBootImageIsLookedForBesideTheKernel) {
  FakeHost host = opsHost();
  host.env["NANOS_KERNEL"] = "/opt/nanos/kernel.img";
  host.files["/opt/nanos/kernel.img"] = "";
  host.files["/opt/nanos/boot.img"] = "";
  host.env["NANOS_MKFS"] = "/opt/tools/mkfs";
  host.files["/opt/tools/mkfs"] = "";
  auto found = locateNanos(host.probe());
  EXPECT_TRUE(found.usable()) << missingSummary(found);
  EXPECT_EQ(found.kernel, "/opt/nanos/kernel.img");
  EXPECT_EQ(found.boot, "/opt/nanos/boot.img");
  EXPECT_EQ(found.mkfs, "/opt/tools/mkfs");
}

TEST(LocateNanos, AVariableNamingNothingIsReported) {
  FakeHost host = opsHost();
  host.env["NANOS_KERNEL"] = "/nowhere/kernel.img";
  auto found = locateNanos(host.probe());
  EXPECT_FALSE(found.usable());
  EXPECT_NE(missingSummary(found).find("NANOS_KERNEL names /nowhere/kernel.img"), std::string::npos);
}

TEST(LocateNanos, NoKernelAnywhereSaysWhatToSet) {
  FakeHost host;
  host.env = {{"HOME", "/root"}};
  auto found = locateNanos(host.probe());
  EXPECT_FALSE(found.usable());
  ASSERT_FALSE(found.missing.empty());
  EXPECT_EQ(found.missing[0].rfind("no Nanos kernel found (set NANOS_KERNEL", 0), 0u) << found.missing[0];
  EXPECT_NE(missingSummary(found).find("qemu-system-x86"), std::string::npos);
}

TEST(LocateNanos, AMkfsOnPathMustBeNanossOwn) {
  FakeHost host = opsHost();
  host.files.erase("/home/u/.ops/0.1.52/mkfs");
  host.path["mkfs"] = {"/usr/sbin/mkfs", "/usr/local/bin/mkfs"};  // util-linux's comes first
  host.nanosMkfs = {"/usr/local/bin/mkfs"};
  EXPECT_EQ(locateNanos(host.probe()).mkfs, "/usr/local/bin/mkfs");
  host.nanosMkfs.clear();
  auto found = locateNanos(host.probe());
  EXPECT_TRUE(found.mkfs.empty());
  EXPECT_NE(missingSummary(found).find("NANOS_MKFS"), std::string::npos);
}

TEST(LocateNanos, ALatestTxtThatEscapesIsIgnored) {
  FakeHost host = opsHost();
  host.files["/home/u/.ops/latest.txt"] = "../../etc";
  EXPECT_TRUE(locateNanos(host.probe()).kernel.empty());
}

TEST(LocateNanos, KvmIsReported) {
  FakeHost host = opsHost();
  host.kvm = true;
  EXPECT_TRUE(locateNanos(host.probe()).kvm);
}

}  // namespace
}  // namespace stratus::nanos
