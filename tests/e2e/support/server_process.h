// Starts the real `stratus serve` binary on a free port with its own data folder, and
// stops it with SIGTERM (checking the shutdown was clean).
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "client/http_client.h"

namespace stratus::e2e {

class ServerProcess {
 public:
  // Empty on failure (the reason goes to stderr).
  static std::unique_ptr<ServerProcess> start(std::vector<std::string> extraArgs = {});
  ~ServerProcess();

  const std::string& url() const { return url_; }
  const std::filesystem::path& dataDir() const { return dataDir_; }
  pid_t pid() const { return pid_; }
  // SIGTERM, then wait; returns the exit status (-1 if it had to be killed).
  int stop();
  std::string log() const;

 private:
  pid_t pid_ = -1;
  std::filesystem::path dataDir_;
  std::string url_;
};

struct Account {
  std::string userId;
  std::string apiKey;
};

// Signs up a new user with a unique email and creates an API key for it.
Account createAccount(const std::string& url);

// Runs the stratus binary as a CLI command; returns exit code, stdout and stderr.
struct CommandResult {
  int exitCode = -1;
  std::string out, err;
};
CommandResult runCli(const std::vector<std::string>& args,
                     const std::vector<std::string>& env = {});

std::string sourcePath(const std::string& relative);

}  // namespace stratus::e2e
