// A real S3 server on 127.0.0.1 for integration tests: runs tests/fixtures/s3/server.mjs
// (@20minutes/s3rver, which verifies SigV4 signatures) under node with a scratch storage
// folder, and kills it when the fixture goes (or the test binary dies). Objects are plain
// files in directory(), so tests can damage one; stop() and restart() (same port, same
// objects) are for fault tests.
//
// Needs node on PATH and the fixture's packages installed; available() says whether they
// are, skipReason() says what to run when not.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "blob/s3/s3_options.h"
#include "testing/node_process.h"
#include "testing/temp_dir.h"

namespace stratus::testing {

class S3ServerFixture {
 public:
  static std::filesystem::path fixtureDir() {
    return std::filesystem::path(STRATUS_SOURCE_DIR) / "tests" / "fixtures" / "s3";
  }

  static bool available() {
    return nodeBinary().has_value() &&
           std::filesystem::exists(fixtureDir() / "node_modules" / "@20minutes" / "s3rver" /
                                   "package.json");
  }

  static std::string skipReason() {
    if (!nodeBinary()) return "node is not on PATH (the local S3 server runs on Node.js)";
    return "the local S3 server's packages are not installed; run: scripts/install-test-deps.sh "
           "(or npm ci --prefix tests/fixtures/s3)";
  }

  // A running server with `bucket` created, or nullptr with the reason on stderr.
  static std::unique_ptr<S3ServerFixture> start(const std::string& bucket) {
    std::unique_ptr<S3ServerFixture> fixture(new S3ServerFixture(bucket));
    std::error_code ec;
    std::filesystem::create_directories(fixture->directory(), ec);
    if (!available() || ec || !fixture->spawn(0)) {
      std::fprintf(stderr, "s3 fixture: %s\n%s\n",
                   available() ? "s3rver did not start" : skipReason().c_str(),
                   fixture->logText().c_str());
      return nullptr;
    }
    return fixture;
  }

  S3ServerFixture(const S3ServerFixture&) = delete;
  S3ServerFixture& operator=(const S3ServerFixture&) = delete;
  ~S3ServerFixture() { stop(); }

  // Kills the server; its objects stay in directory().
  bool stop() {
    killAndReap(pid_);
    pid_ = -1;
    return true;
  }

  // The same server again: same port, same objects.
  bool restart() {
    stop();
    return spawn(port_);
  }

  int port() const { return port_; }
  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }
  const std::string& bucket() const { return bucket_; }
  // s3rver's storage folder: DIRECTORY/BUCKET/<key folders>/<name>._S3rver_object.
  std::filesystem::path directory() const { return dir_.path() / "storage"; }
  // Where s3rver keeps object `objectKey` (the prefix included) of bucket(): its bytes
  // ("object"), or its metadata ("metadata.json", the x-amz-meta-* headers as JSON).
  std::filesystem::path objectFile(std::string_view objectKey,
                                   std::string_view part = "object") const {
    return directory() / bucket_ / (std::string(objectKey) + "._S3rver_" + std::string(part));
  }

  // "request METHOD URL STATUS" for every request so far, across restarts.
  std::vector<std::string> requestLog() const {
    std::vector<std::string> lines;
    std::istringstream in(logText());
    for (std::string line; std::getline(in, line);) {
      if (line.starts_with("request ")) lines.push_back(line);
    }
    return lines;
  }

  // Options for a store on this server: path-style (an IP address has no bucket
  // subdomains) and s3rver's fixed credentials.
  blob::S3Options options(std::string prefix = "") const {
    blob::S3Options options;
    options.bucket = bucket_;
    options.prefix = std::move(prefix);
    options.endpoint = endpoint();
    options.pathStyle = true;
    options.accessKeyId = "S3RVER";
    options.secretAccessKey = "S3RVER";
    return options;
  }

 private:
  explicit S3ServerFixture(std::string bucket) : bucket_(std::move(bucket)) {}

  std::filesystem::path logFile() const { return dir_.path() / "server.log"; }

  std::string logText() const {
    std::ifstream in(logFile());
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  // Starts node on `port` (0: its choice) and waits (at most 10 s) for the ready line.
  bool spawn(int port) {
    auto node = nodeBinary();
    if (!node) return false;
    const std::size_t logStart = logText().size();
    const pid_t pid = spawnNodeScript(*node,
                                      {(fixtureDir() / "server.mjs").string(), std::to_string(port),
                                       directory().string(), bucket_},
                                      fixtureDir(), logFile());
    if (pid < 0) return false;
    pid_ = pid;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    constexpr std::string_view kReady = "s3rver listening on 127.0.0.1:";
    while (std::chrono::steady_clock::now() < deadline) {
      if (::waitpid(pid_, nullptr, WNOHANG) == pid_) {
        pid_ = -1;
        return false;
      }
      const std::string text = logText();
      const std::size_t ready = text.find(kReady, std::min(logStart, text.size()));
      if (ready != std::string::npos && text.find('\n', ready) != std::string::npos) {
        port_ = std::atoi(text.c_str() + ready + kReady.size());
        return port_ > 0;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    stop();
    return false;
  }

  TempDir dir_;  // the storage folder and the server's log
  std::string bucket_;
  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace stratus::testing
