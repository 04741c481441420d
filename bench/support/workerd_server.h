// Cloudflare's workerd serving bench/fixtures/workerd (a JS module worker answering
// "hello world"), on a port of its own choosing: `--socket-addr http=127.0.0.1:0`, with the
// real port read from the `--control-fd` channel, where workerd reports each socket it
// listens on. The binary is the one npm installed into the fixture (npx would not pass
// the control descriptor on).
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "common/error.h"
#include "common/unique_fd.h"
#include "support/child_process.h"

namespace stratus::bench {

class WorkerdServer {
 public:
  static std::filesystem::path fixtureDir();
  static std::filesystem::path binary();
  static bool available();
  static std::string skipReason();

  static Result<std::unique_ptr<WorkerdServer>> start();
  const std::string& url() const { return url_; }
  // Its cold start, seen from outside: from just before the spawn until workerd reported
  // its listening socket, and until the first request was answered 200.
  double listeningMs() const { return listeningMs_; }
  double answeredMs() const { return answeredMs_; }
  // workerd's version line ("workerd 2026-11-17"), for the report.
  static std::string version();

 private:
  WorkerdServer() = default;
  ScratchDir dir_{"stratus-workerd"};
  // Our end of the control channel stays open while workerd runs, so a late message it
  // writes there never meets a closed pipe.
  UniqueFd control_;
  ChildProcess process_;  // last: stopped first
  std::string url_;
  double listeningMs_ = 0, answeredMs_ = 0;
};

}  // namespace stratus::bench
