#include "nanos/process.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/unique_fd.h"

extern char** environ;

namespace stratus::nanos {
namespace {

constexpr std::size_t kOutputCap = 4u << 20;  // mkfs echoes the whole manifest back

std::string lastLines(const std::string& text, std::size_t bytes = 600) {
  return text.size() <= bytes ? text : "..." + text.substr(text.size() - bytes);
}

}  // namespace

Result<std::string> runProgram(const std::vector<std::string>& argv, const std::string& input) {
  // stdin is a memory file holding all of `input`: nothing to feed while reading.
  UniqueFd in(::memfd_create("stratus-input", MFD_CLOEXEC));
  if (!in.valid()) return sysError("memfd_create", errno);
  for (std::size_t done = 0; done < input.size();) {
    ssize_t n = ::write(in.get(), input.data() + done, input.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return sysError("write the input of " + argv[0], errno);
    done += static_cast<std::size_t>(n);
  }
  ::lseek(in.get(), 0, SEEK_SET);
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return sysError("pipe", errno);
  UniqueFd readEnd(fds[0]), writeEnd(fds[1]);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in.get(), 0);
  posix_spawn_file_actions_adddup2(&actions, writeEnd.get(), 1);
  posix_spawn_file_actions_adddup2(&actions, writeEnd.get(), 2);
  std::vector<char*> args;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  int spawned = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) return sysError("start " + argv[0], spawned);
  writeEnd.reset();

  std::string output;
  char buffer[65536];
  for (;;) {
    ssize_t n = ::read(readEnd.get(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    output.append(buffer, static_cast<std::size_t>(n));
    if (output.size() > kOutputCap) output.erase(0, output.size() - kOutputCap);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return fail(ErrorKind::internal, "program_failed",
                argv[0] + (WIFEXITED(status) ? " exited with status " + std::to_string(WEXITSTATUS(status))
                                             : std::string(" was killed")) +
                    ": " + lastLines(output));
  return output;
}

}  // namespace stratus::nanos
