// A real OpenID Connect provider on 127.0.0.1 for integration tests: runs
// tests/fixtures/oauth/provider.mjs (oauth2-mock-server) under node, and kills it when the
// fixture goes. Tests choose who signs in next, and how the provider's answer is broken,
// with setNext(); the protocol is described at the top of provider.mjs.
//
// Needs node on PATH and the fixture's packages installed; available() says whether they
// are, skipReason() says what to run when not.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "client/http_client.h"
#include "common/error.h"
#include "testing/node_process.h"
#include "testing/temp_dir.h"

namespace stratus::testing {

class OAuthProviderFixture {
 public:
  static std::filesystem::path fixtureDir() {
    return std::filesystem::path(STRATUS_SOURCE_DIR) / "tests" / "fixtures" / "oauth";
  }

  static bool available() {
    return nodeBinary().has_value() &&
           std::filesystem::exists(fixtureDir() / "node_modules" / "oauth2-mock-server" /
                                   "package.json");
  }

  static std::string skipReason() {
    if (!nodeBinary()) return "node is not on PATH (the local OpenID provider runs on Node.js)";
    return "the local OpenID provider's packages are not installed; run: npm ci --prefix "
           "tests/fixtures/oauth";
  }

  // Starts the provider and waits (at most 10 s) until it listens.
  static Result<std::unique_ptr<OAuthProviderFixture>> start() {
    auto node = nodeBinary();
    if (!node) return fail(ErrorKind::unavailable, "node_missing", skipReason());
    std::unique_ptr<OAuthProviderFixture> fixture(new OAuthProviderFixture());
    std::string portFile = (fixture->dir_.path() / "port").string();
    const pid_t pid =
        spawnNodeScript(*node, {(fixtureDir() / "provider.mjs").string(), portFile}, fixtureDir());
    if (pid < 0) return sysError("fork", errno);
    fixture->pid_ = pid;

    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (::waitpid(pid, &status, WNOHANG) == pid) {
        fixture->pid_ = -1;
        return fail(ErrorKind::unavailable, "provider_exited",
                    "the local OpenID provider exited at start (status " + std::to_string(status) +
                        "); its output is above");
      }
      std::ifstream in(portFile);
      int port = 0;
      if (in >> port && port > 0) {
        fixture->port_ = port;
        return fixture;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return fail(ErrorKind::unavailable, "provider_timeout",
                "the local OpenID provider did not start listening within 10 s");
  }

  OAuthProviderFixture(const OAuthProviderFixture&) = delete;
  OAuthProviderFixture& operator=(const OAuthProviderFixture&) = delete;

  ~OAuthProviderFixture() { killAndReap(pid_); }

  // "http://127.0.0.1:PORT": the issuer in its discovery document and its tokens.
  std::string issuer() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::string authorizeUrl() const { return issuer() + "/authorize"; }
  std::string tokenUrl() const { return issuer() + "/token"; }
  std::string userinfoUrl() const { return issuer() + "/userinfo"; }

  // POST /__control/next: {sub, email, email_verified, name} for every later token and
  // userinfo answer, and an optional one-shot "tamper" of the next token answer.
  Status setNext(const boost::json::object& next) {
    client::HttpClient http(issuer());
    auto response = http.postJson("/__control/next", boost::json::value(next));
    if (!response) return std::unexpected(response.error());
    if (response->status != 204)
      return fail(ErrorKind::invalid_argument, "control_refused",
                  "the provider refused the control request: " + response->body);
    return {};
  }

  // What the browser would do at the authorization URL: the provider signs the user in at
  // once and redirects back. Returns that redirect's Location (the callback URL with code and
  // state), without following it.
  Result<std::string> followAuthorize(const std::string& authorizationUrl) {
    client::HttpClient http("");
    auto response = http.get(authorizationUrl);
    if (!response) return std::unexpected(response.error());
    auto location = response->header("location");
    if (response->status / 100 != 3 || !location)
      return fail(ErrorKind::internal, "no_redirect",
                  "the authorization endpoint answered " + std::to_string(response->status) + ": " +
                      response->body);
    return std::string(*location);
  }

  // A percent-decoded query parameter of a URL, for reading code and state off the callback.
  static std::optional<std::string> queryParam(std::string_view url, std::string_view name) {
    std::size_t question = url.find('?');
    if (question == std::string_view::npos) return std::nullopt;
    std::string_view query = url.substr(question + 1);
    query = query.substr(0, query.find('#'));
    while (!query.empty()) {
      std::string_view pair = query.substr(0, query.find('&'));
      query.remove_prefix(std::min(query.size(), pair.size() + 1));
      std::size_t equals = pair.find('=');
      if (pair.substr(0, equals) != name) continue;
      return equals == std::string_view::npos ? std::string() : decode(pair.substr(equals + 1));
    }
    return std::nullopt;
  }

 private:
  OAuthProviderFixture() = default;

  static int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  static std::string decode(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '%' && i + 2 < text.size() && hexValue(text[i + 1]) >= 0 &&
          hexValue(text[i + 2]) >= 0) {
        out += static_cast<char>(hexValue(text[i + 1]) * 16 + hexValue(text[i + 2]));
        i += 2;
      } else {
        out += text[i] == '+' ? ' ' : text[i];
      }
    }
    return out;
  }

  TempDir dir_;  // holds the port file
  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace stratus::testing
