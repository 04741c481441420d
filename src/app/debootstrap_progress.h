// debootstrap's output condensed for a person watching a build: it prints a line per
// package per step (some 400 for a minimal system), which is noise, but the steps and how
// far each has got are worth seeing, and its warnings and errors always are.
#pragma once

#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stratus::app {

// One line as debootstrap writes it: "I: Retrieving libc6 2.36-9+deb12u4".
struct DebootstrapLine {
  char level = 'I';     // I(nfo), W(arning), E(rror), or 0 for a line without a level
  std::string step;     // the first word, lower-case: "retrieving"; empty for other levels
  std::string subject;  // the rest: "libc6 2.36-9+deb12u4"
  std::string text;     // the whole message after the level
};
DebootstrapLine parseDebootstrapLine(std::string_view line);

// What to show for a line of output.
struct ProgressUpdate {
  enum class Kind {
    status,  // where a step has got: worth redrawing on a terminal, not worth a log line
    line,    // a step begun or finished: worth a line anywhere
    note,    // a warning or an error: always shown whole
  };
  Kind kind = Kind::status;
  std::string text;
  bool operator==(const ProgressUpdate&) const = default;
};

class DebootstrapProgress {
 public:
  // Takes one line of output and says what to show for it: nothing for dpkg's chatter, a
  // status per package ("retrieving packages: 34 (libc6)"), a line when a step begins
  // and one with the count when a counted step ends.
  std::vector<ProgressUpdate> consume(std::string_view line);
  // The last lines seen, to show when debootstrap fails.
  const std::deque<std::string>& recentLines() const { return recent_; }

 private:
  std::string step_;
  int count_ = 0;  // packages the current step has been through
  std::deque<std::string> recent_;
};

}  // namespace stratus::app
