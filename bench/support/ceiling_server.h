// The static-response ceiling (static_ceiling.cc) as a child process on a free port.
#pragma once

#include <memory>
#include <string>

#include "common/error.h"
#include "support/child_process.h"

namespace stratus::bench {

class CeilingServer {
 public:
  static Result<std::unique_ptr<CeilingServer>> start();
  const std::string& url() const { return url_; }  // "http://127.0.0.1:PORT"

 private:
  CeilingServer() = default;
  ScratchDir dir_{"stratus-ceiling"};  // port file and log
  ChildProcess process_;                // declared after dir_: stopped before it goes
  std::string url_;
};

}  // namespace stratus::bench
