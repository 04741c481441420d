// What `stratus runtimes build` shows while it works: one line per phase with the seconds
// since the image's build began. On a terminal the current status is redrawn in place as
// it moves; in a log (CI, a test's output file) only phase changes, warnings and errors
// are written, so a build leaves a dozen lines rather than hundreds.
#pragma once

#include <chrono>
#include <ostream>
#include <string>
#include <string_view>

namespace stratus::app {

class BuildProgress {
 public:
  BuildProgress(std::ostream& out, bool terminal, std::string name)
      : out_(out), terminal_(terminal), name_(std::move(name)) {}
  ~BuildProgress() { endLine(); }

  // Starts the clock of a new build.
  void begin() { started_ = std::chrono::steady_clock::now(); }
  // A new phase ("debootstrap", "importing into Docker"): always its own line.
  void phase(std::string_view text);
  // Where the current phase has got: redrawn in place on a terminal and dropped in a log,
  // unless `keep` (a step begun or ended): then a line of its own in both.
  void status(std::string_view text, bool keep = false);
  // Redraws the current status with the time now (a terminal's clock keeps moving while
  // a step is quiet).
  void tick();
  // A warning or error line, shown whole in both modes.
  void note(std::string_view text);
  // The seconds since begin().
  double elapsed() const;

 private:
  std::string prefix() const;
  void endLine();

  std::ostream& out_;
  bool terminal_;
  std::string name_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  bool open_ = false;  // a status line is drawn and not yet ended
  std::string lastStatus_;
};

}  // namespace stratus::app
