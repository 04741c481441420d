#include "app/cli_prompt.h"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>

#include "common/unique_fd.h"

namespace stratus::app::cli {
namespace {

// The state the signal handler restores: a terminal left without echo after Ctrl-C is a
// broken shell for the user.
int ttyFdForSignal = -1;
struct termios savedForSignal {};

extern "C" void restoreAndReraise(int signal) {
  if (ttyFdForSignal >= 0) tcsetattr(ttyFdForSignal, TCSAFLUSH, &savedForSignal);
  ::signal(signal, SIG_DFL);
  ::raise(signal);
}

class EchoOff {
 public:
  EchoOff(int fd, const struct termios& saved) : fd_(fd), saved_(saved) {
    ttyFdForSignal = fd;
    savedForSignal = saved;
    previousInt_ = ::signal(SIGINT, restoreAndReraise);
    previousTerm_ = ::signal(SIGTERM, restoreAndReraise);
    struct termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    quiet.c_lflag |= ICANON;
    tcsetattr(fd_, TCSAFLUSH, &quiet);
  }
  ~EchoOff() {
    tcsetattr(fd_, TCSAFLUSH, &saved_);
    ::signal(SIGINT, previousInt_);
    ::signal(SIGTERM, previousTerm_);
    ttyFdForSignal = -1;
  }
  EchoOff(const EchoOff&) = delete;
  EchoOff& operator=(const EchoOff&) = delete;

 private:
  int fd_;
  struct termios saved_;
  sighandler_t previousInt_;
  sighandler_t previousTerm_;
};

void writeAll(int fd, std::string_view text) {
  while (!text.empty()) {
    ssize_t written = ::write(fd, text.data(), text.size());
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return;
    text.remove_prefix(static_cast<std::size_t>(written));
  }
}

}  // namespace

Result<std::string> readPassword(std::string_view prompt) {
  UniqueFd tty(::open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC));
  struct termios saved {};
  if (!tty.valid() || tcgetattr(tty.get(), &saved) != 0) {
    return invalid("no_terminal",
                   "no terminal to ask for the password: pass --password or set "
                   "STRATUS_PASSWORD");
  }
  writeAll(tty.get(), prompt);
  std::string password;
  {
    EchoOff echoOff(tty.get(), saved);
    char c = 0;
    while (true) {
      ssize_t got = ::read(tty.get(), &c, 1);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0 || c == '\n') break;
      if (c != '\r') password += c;
    }
  }
  writeAll(tty.get(), "\n");
  return password;
}

}  // namespace stratus::app::cli
