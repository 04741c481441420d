// A program run by a CLI command (debootstrap, tar, chroot): spawned with its output on a
// pipe, waited for, and — if the owner goes before it ends — killed and reaped, so no
// early return or error leaves a process behind (STYLE §4).
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "common/error.h"
#include "common/unique_fd.h"

namespace stratus::app {

class ChildProcess {
 public:
  enum class Output {
    merged,      // stdout and stderr both on output()
    stdoutOnly,  // stdout on output(), stderr the caller's own
  };

  // argv[0] is looked up in PATH, then /usr/sbin and /sbin (debootstrap and chroot live
  // there, and a sudo PATH may not have them). ownProcessGroup puts the child and what it
  // starts in a group of their own: a Ctrl-C at the terminal then reaches only us, and
  // we end the whole group in order.
  static Result<ChildProcess> spawn(const std::vector<std::string>& argv, Output output,
                                    bool ownProcessGroup);
  // The full path of a program, as spawn would find it; empty if there is none.
  static std::string findProgram(const std::string& name);

  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess();  // SIGKILL (to its group, if it has one) and reap, when still running

  // The read end of its output pipe.
  int output() const { return output_.get(); }
  // Closes our read end: a child still writing then gets EPIPE rather than blocking.
  void closeOutput() { output_.reset(); }
  // Sends `signal` (to the group when it has one).
  void signal(int signal);
  // Waits for it to end: its exit status, or 128 + the signal that ended it.
  Result<int> wait();

 private:
  void stop();  // kill and reap, when still running
  ChildProcess(pid_t pid, UniqueFd output, bool group)
      : pid_(pid), output_(std::move(output)), group_(group) {}

  pid_t pid_ = -1;  // -1 once reaped
  UniqueFd output_;
  bool group_ = false;
};

// Runs argv to its end and returns its output (stdout and stderr), at most maxBytes of
// it; fails when it cannot start or exits non-zero (the message then ends with the
// output's last lines).
Result<std::string> runToEnd(const std::vector<std::string>& argv, std::size_t maxBytes = 1u << 20);

}  // namespace stratus::app
