// The web dashboard in a real browser: Debian's chromium, driven by playwright-core through
// tests/fixtures/browser/dashboard.mjs, against a real `stratus serve` serving the built
// dashboard, whose account mails go to a real SMTP server (aiosmtpd). The script walks a
// new user through signing up, verifying from the mail, signing in, creating the clone's
// cloud.py, running it in the test console, editing it, an API key's life, deleting the
// function and signing out; it asserts as it goes and fails on any console error. This
// test runs it and shows its output. Screenshots of every main page go to
// <build>/screenshots (build output, never committed).
//
// Skips with the reason when chromium, node, the fixture's packages, the SMTP server, the
// built dashboard or the sandbox executor is missing.
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "support/server_process.h"
#include "testing/node_process.h"
#include "testing/smtp_server.h"
#include "testing/temp_dir.h"

namespace stratus::e2e {
namespace {

namespace fs = std::filesystem;

const fs::path kFixture = fs::path(STRATUS_SOURCE_DIR) / "tests" / "fixtures" / "browser";
const fs::path kChromium = "/usr/bin/chromium";
constexpr auto kScriptDeadline = std::chrono::seconds(240);

std::string skipReason() {
  if (::access(kChromium.c_str(), X_OK) != 0)
    return "no chromium at /usr/bin/chromium (scripts/install-test-deps.sh installs it)";
  if (!testing::nodeBinary()) return "node is not on PATH";
  if (!fs::exists(kFixture / "node_modules" / "playwright-core" / "package.json"))
    return "playwright-core is not installed in tests/fixtures/browser "
           "(scripts/install-test-deps.sh)";
  if (!fs::exists(fs::path(STRATUS_WEB_DIR) / "index.html"))
    return "the dashboard is not built (the `web` target needs node and npm)";
  if (!testing::SmtpServer::available()) return testing::SmtpServer::skipReason();
  return {};
}

std::string readAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(Dashboard, NewUserWalksThroughEveryMainPage) {
  if (auto why = skipReason(); !why.empty()) GTEST_SKIP() << "skipped: " << why;
  testing::SmtpServer smtp;
  // GitHub sign-in configured (never reached: the script checks only its button).
  auto server = ServerProcess::start({"--smtp-url", smtp.url(), "--smtp-tls", "optional",
                                      "--web-dir", STRATUS_WEB_DIR},
                                     {"GITHUB_CLIENT_ID=dashboard-test",
                                      "GITHUB_CLIENT_SECRET=dashboard-test-secret"});
  ASSERT_NE(server, nullptr) << "the stratus server did not start";

  const fs::path screenshots = STRATUS_SCREENSHOT_DIR;
  std::error_code ignored;
  fs::remove_all(screenshots, ignored);
  fs::create_directories(screenshots);
  testing::TempDir scratch;
  const fs::path log = scratch.path() / "browser.log";
  // The script's settings travel as arguments, not environment, so nothing of the test's
  // own environment leaks into what it asserts.
  const pid_t pid = testing::spawnNodeScript(
      *testing::nodeBinary(),
      {(kFixture / "dashboard.mjs").string(), server->url(), smtp.maildir().string(),
       screenshots.string(), (fs::path(STRATUS_SOURCE_DIR) / "examples" / "cloud.py").string(),
       kChromium.string()},
      kFixture, log);
  ASSERT_GT(pid, 0) << "could not start node";

  const auto deadline = std::chrono::steady_clock::now() + kScriptDeadline;
  int status = 0;
  while (::waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      testing::killAndReap(pid);
      FAIL() << readAll(log) << "\n(killed after " << kScriptDeadline.count() << " s)";
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  const std::string output = readAll(log);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
      << output << "\n--- server log ---\n"
      << server->log();
  EXPECT_NE(output.find("dashboard walk-through: ok"), std::string::npos) << output;
  // Every main page was photographed (the script names them; a missing one is a page the
  // walk never reached).
  for (const char* page : {"signin", "signup", "unverified", "functions-empty", "function-new",
                           "function", "function-edit", "functions", "account", "forgot"}) {
    EXPECT_TRUE(fs::exists(screenshots / (std::string(page) + ".png"))) << page;
  }
  EXPECT_EQ(server->stop(), 0) << server->log();
}

}  // namespace
}  // namespace stratus::e2e
