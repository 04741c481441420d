// Real hostile functions, each in its own test, run through the HTTP API on each executor
// (the sandbox; docker where a daemon and the runtime images are there; nanos where a
// Nanos kernel is installed). The last
// test checks the platform is still healthy and serves other users.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>

#include "support/shared_server.h"

namespace stratus::e2e {
namespace {

class Containment : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "docker")
      if (auto why = dockerUnavailable(); !why.empty()) GTEST_SKIP() << "skipped: " << why;
    if (GetParam() == "nanos")
      if (auto why = nanosUnavailable(); !why.empty()) GTEST_SKIP() << "skipped: " << why;
  }
  static void SetUpTestSuite() {
    account_ = new Account(createAccount(sharedServer()));
  }
  static void TearDownTestSuite() {
    delete account_;
    account_ = nullptr;
  }

  // Deploys `source` as a Python script and calls it through the clone's route, on the
  // executor under test.
  boost::json::object run(const std::string& name, const std::string& source,
                          const client::FieldList& config = {},
                          const std::string& query = "") {
    client::HttpClient http(sharedServer().url(), account_->apiKey);
    const std::string function = name + "-" + GetParam();  // one account for all executors
    client::FieldList fields = config;
    // An emulated (TCG) guest runs several times slower: the default 3 s is not the point
    // of any test that does not set its own.
    bool timed = false;
    for (const auto& field : fields) timed |= field.first == "timeout";
    if (GetParam() == "nanos" && !timed) fields.push_back({"timeout", "20"});
    auto created = deploy(http, function, "main.py", source, "main.handler", fields);
    EXPECT_EQ(created.status, 201) << created.body;
    auto response =
        http.get("/api/function/" + account_->userId + "/" + function + "/" + GetParam() + query);
    if (!response) {
      ADD_FAILURE() << response.error().message;
      return {};
    }
    last_ = *response;
    if (response->status == 501) return {};
    EXPECT_EQ(response->status, 200) << response->body;
    return boost::json::parse(response->body).as_object();
  }

  static Account* account_;
  client::ClientResponse last_;
};

Account* Containment::account_ = nullptr;

#define RUN_OR_SKIP(var, ...)          \
  auto var = run(__VA_ARGS__);         \
  STRATUS_SKIP_IF_NO_SANDBOX(last_)

TEST_P(Containment, InfiniteLoopEndsAtTheTimeout) {
  auto started = std::chrono::steady_clock::now();
  RUN_OR_SKIP(result, "spin", "while True:\n    pass\n", {{"timeout", "1"}});
  auto elapsed = std::chrono::steady_clock::now() - started;
  EXPECT_TRUE(result.at("timeout").as_bool());
  EXPECT_NE(result.at("status").as_int64(), 0);
  // The call includes the instance's cold start: for nanos a VM boot, seconds under TCG.
  EXPECT_LT(elapsed, std::chrono::seconds(GetParam() == "nanos" ? 60 : 10));
}

TEST_P(Containment, MemoryHogIsKilledAtItsLimit) {
  RUN_OR_SKIP(result, "hog",
              "chunks = []\nwhile True:\n    chunks.append(bytearray(16 << 20))\n",
              {{"memory", "128"}, {"timeout", "20"}});
  EXPECT_NE(result.at("status").as_int64(), 0);
  EXPECT_FALSE(result.at("timeout").as_bool());
  ASSERT_TRUE(result.contains("error")) << boost::json::serialize(result);
  EXPECT_NE(std::string(result.at("error").as_string()).find("memory"), std::string::npos)
      << result.at("error");
}

TEST_P(Containment, ForkBombIsContained) {
  RUN_OR_SKIP(result, "forkbomb",
              "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n"
              "        pass\n",
              {{"timeout", "2"}});
  EXPECT_NE(result.at("status").as_int64(), 0);
  // The platform keeps answering while and after the bomb goes off.
  client::HttpClient http(sharedServer().url());
  EXPECT_EQ(http.get("/healthz")->status, 200);
}

TEST_P(Containment, HostFilesAreOutOfReach) {
  RUN_OR_SKIP(result, "snoop",
              "import os, sys\n"
              "def attempt(label, fn):\n"
              "    try:\n"
              "        fn()\n"
              "        print(label, 'OPEN')\n"
              "    except Exception as e:\n"
              "        print(label, 'denied', type(e).__name__)\n"
              "attempt('shadow', lambda: open('/etc/shadow').read())\n"
              "attempt('root', lambda: os.listdir('/root'))\n"
              "attempt('home', lambda: os.listdir('/home'))\n"
              "attempt('var_lib', lambda: os.listdir('/var/lib'))\n"
              "attempt('server_data', lambda: os.listdir(sys.argv[1]))\n"
              "attempt('write_task', lambda: open('/var/task/x', 'w'))\n"
              "attempt('write_usr', lambda: open('/usr/x', 'w'))\n"
              "attempt('host_proc', lambda: open('/proc/1/environ').read() and "
              "os.listdir('/proc/2/'))\n",
              {}, "?dir=" + sharedServer().dataDir().string());
  std::string out(result.at("stdout").as_string());
  std::vector<std::string> labels{"shadow", "root", "write_task", "write_usr", "host_proc",
                                  "server_data"};
  if (GetParam() == "sandbox") {
    // A sandbox's root has no /home or /var/lib at all. A container's are its image's own
    // (empty, or package data): listing them reaches nothing of the host's.
    EXPECT_EQ(out.find("OPEN"), std::string::npos) << out;
    labels.insert(labels.end(), {"home", "var_lib"});
  }
  if (GetParam() == "nanos") {
    // The VM's disk holds the runtime and the code only. It is writable, but it is the
    // VM's own copy (-snapshot): a write there reaches neither the image nor the host.
    labels = {"shadow", "root", "home", "var_lib", "server_data", "host_proc"};
  }
  for (const auto& label : labels)
    EXPECT_NE(out.find(label + " denied"), std::string::npos)
        << label << "\n" << boost::json::serialize(result);
}

TEST_P(Containment, NetworkIsUnreachable) {
  // A real listener on the host's loopback: the function must not reach it.
  int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(::listen(listener, 4), 0);
  socklen_t length = sizeof address;
  ::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length);
  int port = ntohs(address.sin_port);
  RUN_OR_SKIP(result, "net",
              "import socket, sys\n"
              "try:\n"
              "    s = socket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=2)\n"
              "    print('CONNECTED')\n"
              "except Exception as e:\n"
              "    print('denied', type(e).__name__)\n"
              "try:\n"
              "    socket.create_connection(('1.1.1.1', 53), timeout=2)\n"
              "    print('CONNECTED')\n"
              "except Exception as e:\n"
              "    print('denied', type(e).__name__)\n",
              {{"timeout", "10"}}, "?port=" + std::to_string(port));
  ::close(listener);
  std::string out(result.at("stdout").as_string());
  EXPECT_EQ(out.find("CONNECTED"), std::string::npos) << out;
  EXPECT_NE(out.find("denied"), std::string::npos) << out << result.at("stderr");
}

TEST_P(Containment, HostProcessesCannotBeSignalled) {
  pid_t self = ::getpid();
  pid_t server = sharedServer().pid();
  RUN_OR_SKIP(result, "killer",
              "import os, signal, sys\n"
              "for pid in sys.argv[1:]:\n"
              "    try:\n"
              "        os.kill(int(pid), signal.SIGKILL)\n"
              "        print(pid, 'KILLED')\n"
              "    except Exception as e:\n"
              "        print(pid, 'denied', type(e).__name__)\n",
              {}, "?a=" + std::to_string(self) + "&b=" + std::to_string(server));
  std::string out(result.at("stdout").as_string());
  EXPECT_EQ(out.find("KILLED"), std::string::npos) << out;
  client::HttpClient http(sharedServer().url());
  EXPECT_EQ(http.get("/healthz")->status, 200);
}

TEST_P(Containment, OutputFloodIsTruncated) {
  auto started = std::chrono::steady_clock::now();
  RUN_OR_SKIP(result, "flood",
              "import sys\nchunk = 'x' * (1 << 20)\nfor _ in range(100):\n"
              "    sys.stdout.write(chunk)\n",
              {{"timeout", "30"}});
  EXPECT_TRUE(result.at("stdoutTruncated").as_bool()) << boost::json::serialize(result);
  EXPECT_LT(result.at("stdout").as_string().size(), 2u << 20);
  EXPECT_GT(result.at("stdout").as_string().size(), 0u);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(20));
}

// Runs last in this file (gtest keeps declaration order): after every attack above, the
// platform is healthy and another user's function runs normally.
TEST_P(Containment, PlatformStillServesEveryoneAfterwards) {
  client::HttpClient anonymous(sharedServer().url());
  EXPECT_EQ(anonymous.get("/healthz")->status, 200);
  Account other = createAccount(sharedServer());
  client::HttpClient http(sharedServer().url(), other.apiKey);
  ASSERT_EQ(deploy(http, "calm", "main.py", "import sys\nprint(sum(map(int, sys.argv[1:])))\n",
                   "main.handler")
                .status,
            201);
  auto response = http.get("/api/function/" + other.userId + "/calm/" + GetParam() + "?a=2&b=3");
  STRATUS_SKIP_IF_NO_SANDBOX(*response);
  ASSERT_EQ(response->status, 200) << response->body;
  auto json = boost::json::parse(response->body);
  EXPECT_EQ(json.at("status").as_int64(), 0);
  EXPECT_EQ(json.at("stdout").as_string(), "5\n");
}

INSTANTIATE_TEST_SUITE_P(Executors, Containment, ::testing::Values("sandbox", "docker", "nanos"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace stratus::e2e
