// The sandbox executor against real programs, hostile ones included. Needs root and
// cgroups; without them every test here reports itself skipped with the reason.
#include "exec/sandbox/sandbox_executor.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "common/crypto.h"

namespace stratus::exec::sandbox {
namespace {
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

class SandboxTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    initCrypto();
    auto made = makeSandboxExecutor(SandboxOptions{});
    if (made) executor_ = made->release();
    else skipReason_ = new std::string(made.error().describe());
  }
  static void TearDownTestSuite() {
    delete executor_;
    executor_ = nullptr;
  }
  void SetUp() override {
    if (!executor_) GTEST_SKIP() << "skipped: sandbox unavailable: " << *skipReason_;
    char pattern[] = "/tmp/stratus-code-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    codeDir_ = pattern;
    fs::permissions(codeDir_, fs::perms(0755));
  }
  void TearDown() override {
    std::error_code ec;
    if (!codeDir_.empty()) fs::remove_all(codeDir_, ec);
  }

  ScriptResult run(const std::string& source, std::vector<std::string> args = {},
                   int timeoutS = 5, int memoryMb = 128, const std::string& runtime = "python3.11") {
    std::string entry = runtime == "nodejs20" ? "main.js" : "main.py";
    std::ofstream(codeDir_ / entry) << source;
    fs::permissions(codeDir_ / entry, fs::perms(0644));
    ScriptRequest request;
    request.invocationId = newId();
    request.runtime = runtime;
    request.codeDir = codeDir_;
    request.entry = entry;
    request.args = std::move(args);
    request.timeoutS = timeoutS;
    request.memoryMb = memoryMb;
    auto result = executor_->runScript(request);
    EXPECT_TRUE(result) << result.error().describe();
    return result ? *result : ScriptResult{};
  }

  static Executor* executor_;
  static std::string* skipReason_;
  fs::path codeDir_;
};

Executor* SandboxTest::executor_ = nullptr;
std::string* SandboxTest::skipReason_ = nullptr;

const char* kCalculator =
    "import sys\n"
    "a, b = float(sys.argv[1]), float(sys.argv[2])\n"
    "print(f'add: {a+b} subtract: {a-b} multiply: {a*b} divide: {a/b} remainder: {a%b}')\n";

TEST_F(SandboxTest, PythonCalculator) {
  auto result = run(kCalculator, {"10", "5"});
  EXPECT_EQ(result.exitCode, 0) << result.stderrData;
  EXPECT_EQ(result.stdoutData, "add: 15.0 subtract: 5.0 multiply: 50.0 divide: 2.0 remainder: 0.0\n");
  EXPECT_FALSE(result.timedOut);
  EXPECT_TRUE(result.error.empty()) << result.error;
}

TEST_F(SandboxTest, NodeScript) {
  auto result = run("console.log(process.argv.slice(2).join(','))", {"a", "b c"}, 5, 256, "nodejs20");
  EXPECT_EQ(result.exitCode, 0) << result.stderrData;
  EXPECT_EQ(result.stdoutData, "a,b c\n");
}

TEST_F(SandboxTest, ExitCodesAndStderr) {
  auto result = run("import sys\nsys.stderr.write('bad\\n')\nsys.exit(3)\n");
  EXPECT_EQ(result.exitCode, 3);
  EXPECT_EQ(result.stderrData, "bad\n");
  result = run("import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)\n");
  EXPECT_EQ(result.signal, SIGSEGV);
  EXPECT_EQ(result.exitCode, 128 + SIGSEGV);
}

TEST_F(SandboxTest, RunsAsAnUnprivilegedUserWithNothingLeft) {
  auto result = run(
      "import os\n"
      "print(os.getuid(), os.getgid(), os.getgroups())\n"
      "print(open('/proc/self/status').read())\n"
      "print(os.uname().nodename)\n");
  EXPECT_EQ(result.exitCode, 0) << result.stderrData;
  EXPECT_NE(result.stdoutData.find("1000 1000 []"), std::string::npos) << result.stdoutData;
  for (const char* line : {"CapInh:\t0000000000000000", "CapPrm:\t0000000000000000",
                           "CapEff:\t0000000000000000", "CapBnd:\t0000000000000000",
                           "CapAmb:\t0000000000000000", "NoNewPrivs:\t1", "Seccomp:\t2"})
    EXPECT_NE(result.stdoutData.find(line), std::string::npos) << line << "\n" << result.stdoutData;
  EXPECT_NE(result.stdoutData.find("sandbox"), std::string::npos);
}

TEST_F(SandboxTest, InfiniteLoopEndsAtTheTimeout) {
  auto started = Clock::now();
  auto result = run("while True:\n    pass\n", {}, 1);
  EXPECT_TRUE(result.timedOut);
  EXPECT_NE(result.exitCode, 0);
  EXPECT_NE(result.error.find("timed out"), std::string::npos);
  EXPECT_LT(Clock::now() - started, std::chrono::seconds(3));
}

TEST_F(SandboxTest, TimeoutKillsEverythingTheFunctionStarted) {
  // Children that detach and sleep forever; the parent then spins past the timeout.
  auto result = run(
      "import os, time\n"
      "for _ in range(5):\n"
      "    if os.fork() == 0:\n"
      "        os.setsid()\n"
      "        time.sleep(1000)\n"
      "print(os.getpid(), flush=True)\n"
      "while True:\n"
      "    pass\n",
      {}, 1);
  EXPECT_TRUE(result.timedOut);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  // No process of any sandbox uid survives (the range starts at 200000).
  for (auto& entry : fs::directory_iterator("/proc")) {
    std::string name = entry.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream status(entry.path() / "status");
    std::string line;
    while (std::getline(status, line))
      if (line.starts_with("Uid:")) {
        auto uid = std::stol(line.substr(5));
        EXPECT_FALSE(uid >= 200000 && uid < 210000) << "survivor pid " << name << " uid " << uid;
      }
  }
}

TEST_F(SandboxTest, ExitingProgramTakesItsBackgroundChildrenWithIt) {
  auto started = Clock::now();
  auto result = run(
      "import os, time\n"
      "if os.fork() == 0:\n"
      "    time.sleep(1000)\n"
      "print('parent done')\n",
      {}, 10);
  EXPECT_EQ(result.exitCode, 0);
  EXPECT_FALSE(result.timedOut);
  EXPECT_EQ(result.stdoutData, "parent done\n");
  EXPECT_LT(Clock::now() - started, std::chrono::seconds(5));
}

TEST_F(SandboxTest, MemoryHogIsKilledAtItsLimit) {
  auto result = run("chunks = []\nwhile True:\n    chunks.append(bytearray(16 << 20))\n", {}, 20, 128);
  EXPECT_TRUE(result.oomKilled);
  EXPECT_FALSE(result.timedOut);
  EXPECT_NE(result.exitCode, 0);
  EXPECT_NE(result.error.find("memory limit of 128 MB exceeded"), std::string::npos) << result.error;
}

TEST_F(SandboxTest, ForkBombIsContained) {
  auto started = Clock::now();
  auto result = run(
      "import os\n"
      "while True:\n"
      "    try:\n"
      "        os.fork()\n"
      "    except OSError:\n"
      "        pass\n",
      {}, 2);
  EXPECT_NE(result.exitCode, 0);
  EXPECT_LT(Clock::now() - started, std::chrono::seconds(10));
  auto after = run(kCalculator, {"1", "1"});
  EXPECT_EQ(after.exitCode, 0) << after.stderrData;
}

TEST_F(SandboxTest, HostFilesAreOutOfReach) {
  auto result = run(
      "import os\n"
      "def attempt(label, fn):\n"
      "    try:\n"
      "        fn()\n"
      "        print(label, 'OPEN')\n"
      "    except Exception as e:\n"
      "        print(label, 'denied')\n"
      "attempt('shadow', lambda: open('/etc/shadow').read())\n"
      "attempt('root', lambda: os.listdir('/root'))\n"
      "attempt('home', lambda: os.listdir('/home'))\n"
      "attempt('var_lib', lambda: os.listdir('/var/lib'))\n"
      "attempt('write_task', lambda: open('/var/task/x', 'w'))\n"
      "attempt('write_usr', lambda: open('/usr/x', 'w'))\n"
      "attempt('write_etc', lambda: open('/etc/x', 'w'))\n"
      "attempt('mknod', lambda: os.mknod('/tmp/sda', 0o600 | 0o060000, os.makedev(8, 0)))\n"
      "attempt('init_environ', lambda: open('/proc/1/environ').read())\n"
      "attempt('init_mem', lambda: open('/proc/1/mem', 'rb').read(1))\n"
      "print('pids', sorted(int(p) for p in os.listdir('/proc') if p.isdigit()))\n");
  EXPECT_EQ(result.stdoutData.find("OPEN"), std::string::npos) << result.stdoutData;
  for (const char* label : {"shadow", "root", "home", "var_lib", "write_task", "write_usr",
                            "write_etc", "mknod", "init_environ", "init_mem"})
    EXPECT_NE(result.stdoutData.find(std::string(label) + " denied"), std::string::npos)
        << label << "\n" << result.stdoutData << result.stderrData;
  // Only the namespace's own processes are visible: init (1) and the program (2).
  EXPECT_NE(result.stdoutData.find("pids [1, 2]"), std::string::npos) << result.stdoutData;
}

TEST_F(SandboxTest, TmpIsWritableButBounded) {
  auto result = run(
      "import os\n"
      "open('/tmp/ok', 'w').write('x')\n"
      "print('small ok')\n"
      "try:\n"
      "    with open('/tmp/big', 'wb') as f:\n"
      "        for _ in range(200):\n"
      "            f.write(b'x' * (1 << 20))\n"
      "    print('BIG WRITTEN')\n"
      "except OSError as e:\n"
      "    print('big refused')\n",
      {}, 10, 512);
  EXPECT_NE(result.stdoutData.find("small ok"), std::string::npos) << result.stderrData;
  EXPECT_NE(result.stdoutData.find("big refused"), std::string::npos) << result.stdoutData
                                                                      << result.stderrData;
}

TEST_F(SandboxTest, NetworkIsUnreachable) {
  int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(::listen(listener, 1), 0);
  socklen_t length = sizeof address;
  ::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length);
  auto result = run(
      "import socket, sys\n"
      "for family, addr in ((socket.AF_INET, ('127.0.0.1', int(sys.argv[1]))),"
      " (socket.AF_INET6, ('::1', 80))):\n"
      "    try:\n"
      "        s = socket.socket(family, socket.SOCK_STREAM)\n"
      "        s.settimeout(1)\n"
      "        s.connect(addr)\n"
      "        print('CONNECTED')\n"
      "    except OSError as e:\n"
      "        print('denied', e.errno)\n"
      "try:\n"
      "    socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)\n"
      "    print('NETLINK')\n"
      "except OSError:\n"
      "    print('netlink denied')\n"
      "try:\n"
      "    socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
      "    print('UDP')\n"
      "except OSError:\n"
      "    print('udp denied')\n",
      {std::to_string(ntohs(address.sin_port))});
  ::close(listener);
  EXPECT_EQ(result.stdoutData.find("CONNECTED"), std::string::npos) << result.stdoutData;
  EXPECT_EQ(result.stdoutData.find("NETLINK"), std::string::npos) << result.stdoutData;
  // IPv4 and IPv6 sockets may be made (the Runtime API is on the namespace's loopback),
  // but nothing outside the namespace answers; other families are refused outright.
  EXPECT_NE(result.stdoutData.find("netlink denied"), std::string::npos) << result.stdoutData
                                                                         << result.stderrData;
  EXPECT_NE(result.stdoutData.find("udp denied"), std::string::npos) << result.stdoutData;
}

TEST_F(SandboxTest, HostProcessesCannotBeSignalled) {
  auto result = run(
      "import os, signal, sys\n"
      "for pid in sys.argv[1:]:\n"
      "    try:\n"
      "        os.kill(int(pid), signal.SIGKILL)\n"
      "        print(pid, 'KILLED')\n"
      "    except OSError as e:\n"
      "        print(pid, 'denied')\n",
      {std::to_string(::getpid()), std::to_string(::getppid())});
  EXPECT_EQ(result.stdoutData.find("KILLED"), std::string::npos) << result.stdoutData;
  EXPECT_EQ(::kill(::getppid(), 0), 0);
}

TEST_F(SandboxTest, PrivilegedCallsAreDenied) {
  auto result = run(
      "import ctypes, os\n"
      "libc = ctypes.CDLL(None, use_errno=True)\n"
      "print('mount', libc.mount(b'tmpfs', b'/tmp', b'tmpfs', 0, None), ctypes.get_errno())\n"
      "print('unshare', libc.unshare(0x10000000), ctypes.get_errno())\n"
      "print('ptrace', libc.ptrace(16, 1, None, None), ctypes.get_errno())\n"
      "try:\n"
      "    os.setuid(0)\n"
      "    print('SETUID')\n"
      "except OSError:\n"
      "    print('setuid denied')\n");
  EXPECT_NE(result.stdoutData.find("mount -1 1"), std::string::npos) << result.stdoutData << result.stderrData;
  EXPECT_NE(result.stdoutData.find("unshare -1 1"), std::string::npos) << result.stdoutData;
  EXPECT_NE(result.stdoutData.find("ptrace -1 1"), std::string::npos) << result.stdoutData;
  EXPECT_NE(result.stdoutData.find("setuid denied"), std::string::npos) << result.stdoutData;
}

TEST_F(SandboxTest, OutputFloodIsTruncated) {
  auto started = Clock::now();
  auto result = run(
      "import sys\nchunk = 'x' * (1 << 20)\nfor _ in range(100):\n    sys.stdout.write(chunk)\n"
      "sys.stderr.write('done')\n",
      {}, 30);
  EXPECT_EQ(result.exitCode, 0);
  EXPECT_TRUE(result.stdoutTruncated);
  EXPECT_EQ(result.stdoutData.size(), 1u << 20);
  EXPECT_FALSE(result.stderrTruncated);
  EXPECT_EQ(result.stderrData, "done");
  EXPECT_LT(Clock::now() - started, std::chrono::seconds(15));
}

TEST_F(SandboxTest, ConcurrentRunsStaySeparate) {
  std::vector<std::thread> threads;
  std::vector<ScriptResult> results(8);
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&, i] {
      ScriptRequest request;
      request.invocationId = newId();
      request.runtime = "python3.11";
      request.codeDir = codeDir_;
      request.entry = "main.py";
      request.args = {std::to_string(i), "2"};
      request.timeoutS = 20;
      auto result = executor_->runScript(request);
      if (result) results[static_cast<size_t>(i)] = *result;
    });
  std::ofstream(codeDir_ / "main.py") << kCalculator;
  for (auto& t : threads) t.join();
  for (int i = 0; i < 8; ++i) {
    EXPECT_EQ(results[static_cast<size_t>(i)].exitCode, 0) << results[static_cast<size_t>(i)].stderrData;
    EXPECT_TRUE(results[static_cast<size_t>(i)].stdoutData.starts_with(
        "add: " + std::to_string(i + 2) + ".0 "))
        << results[static_cast<size_t>(i)].stdoutData;
  }
}

}  // namespace
}  // namespace stratus::exec::sandbox
