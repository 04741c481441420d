#include "app/build_progress.h"

#include <cstdio>

namespace stratus::app {

double BuildProgress::elapsed() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
}

std::string BuildProgress::prefix() const {
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "[%4.0fs] ", elapsed());
  return seconds + name_ + ": ";
}

void BuildProgress::endLine() {
  if (open_) out_ << "\n" << std::flush;
  open_ = false;
}

void BuildProgress::phase(std::string_view text) {
  endLine();
  out_ << prefix() << text << "\n" << std::flush;
}

void BuildProgress::status(std::string_view text, bool keep) {
  if (keep) {
    endLine();
    out_ << prefix() << text << "\n" << std::flush;
  } else if (terminal_) {
    lastStatus_ = text;
    // Carriage return and erase-line: one line that moves, however long the step.
    std::string line = prefix() + std::string(text);
    if (line.size() > 110) line = line.substr(0, 107) + "...";
    out_ << "\r\x1b[K" << line << std::flush;
    open_ = true;
  }
}

void BuildProgress::tick() {
  if (terminal_ && open_) status(std::string(lastStatus_));
}

void BuildProgress::note(std::string_view text) {
  endLine();
  out_ << prefix() << text << "\n" << std::flush;
}

}  // namespace stratus::app
