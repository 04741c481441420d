// Starts the real `stratus serve` binary on a free port with its own data folder, and
// stops it with SIGTERM (checking the shutdown was clean).
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "client/http_client.h"
#include "support/storage.h"

namespace stratus::e2e {

class ServerProcess {
 public:
  // Empty on failure (the reason goes to stderr). extraEnv holds "NAME=value" entries
  // added to (or replacing) the test's own environment.
  static std::unique_ptr<ServerProcess> start(std::vector<std::string> extraArgs = {},
                                              std::vector<std::string> extraEnv = {});
  ~ServerProcess();

  const std::string& url() const { return url_; }
  const std::filesystem::path& dataDir() const { return dataDir_; }
  pid_t pid() const { return pid_; }
  // The database and blob store this server was given (see storage.h).
  const ServerStorage& storage() const { return storage_; }
  // SIGTERM, then wait; returns the exit status (-1 if it had to be killed).
  int stop();
  // SIGKILL, as a crash would, then wait: nothing of the server's own cleanup runs.
  void kill();
  // Starts the same server again (data folder, storage, flags) after stop() or kill().
  bool restart();
  std::string log() const;

 private:
  bool spawn();
  pid_t pid_ = -1;
  std::vector<std::string> args_, env_;
  std::filesystem::path dataDir_;
  std::string url_;
  ServerStorage storage_;
};

struct Account {
  std::string userId;
  std::string apiKey;
  std::string email;  // password: "correct horse battery"
};

// Signs up a new user with a unique email, verifies the address through the link the
// server mailed (the log mailer's outbox in the server's data folder, the default when no
// mail transport is configured) and creates an API key for it.
Account createAccount(const ServerProcess& server);

// The first "{path}?token=..." link in mails to `to` in the server's outbox, waiting up to
// 10 s for the mail; empty if none came.
std::string tokenFromOutbox(const ServerProcess& server, const std::string& to,
                            const std::string& path);
// A link's token from a decoded mail text.
std::string tokenFromText(const std::string& text, const std::string& path);

// Runs the stratus binary as a CLI command; returns exit code, stdout and stderr.
struct CommandResult {
  int exitCode = -1;
  std::string out, err;
};
CommandResult runCli(const std::vector<std::string>& args,
                     const std::vector<std::string>& env = {});

std::string sourcePath(const std::string& relative);
// The contents of a file of the source tree ("examples/cloud.py").
std::string readSource(const std::string& relative);

}  // namespace stratus::e2e
