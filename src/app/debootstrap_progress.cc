#include "app/debootstrap_progress.h"

#include <cctype>

namespace stratus::app {
namespace {

constexpr std::size_t kRecentLines = 25;

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  return text;
}

// Steps that run once per package: they are counted rather than shown one by one.
bool perPackage(const std::string& step) {
  return step == "retrieving" || step == "extracting" || step == "unpacking" ||
         step == "configuring";
}

// debootstrap validates each package right after retrieving it: one step, not two that
// take turns.
std::string stepOf(const std::string& verb) { return verb == "validating" ? "retrieving" : verb; }

// "Retrieving Packages", "Unpacking required packages", "Configuring the base system":
// lines that announce a step (or fetch an index) rather than name a package.
bool announcement(const std::string& subject) {
  return subject == "InRelease" || subject == "Release" || subject == "Packages" ||
         subject.find("packages") != std::string::npos || subject.starts_with("the ");
}

}  // namespace

DebootstrapLine parseDebootstrapLine(std::string_view line) {
  line = trim(line);
  DebootstrapLine parsed;
  if (line.size() >= 2 && line[1] == ':' && (line[0] == 'I' || line[0] == 'W' || line[0] == 'E')) {
    parsed.level = line[0];
    line = trim(line.substr(2));
  } else {
    parsed.level = 0;
  }
  parsed.text = std::string(line);
  // "Unpacking base-files..." reads as "Unpacking base-files" on a status line.
  while (parsed.text.ends_with('.')) parsed.text.pop_back();
  if (parsed.level == 'I') {
    const std::size_t space = line.find(' ');
    for (char c : line.substr(0, space)) {
      parsed.step.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
    if (space != std::string_view::npos) parsed.subject = std::string(trim(line.substr(space + 1)));
    // "Unpacking base-files..." -> "base-files"
    while (parsed.subject.ends_with('.')) parsed.subject.pop_back();
  }
  return parsed;
}

std::vector<ProgressUpdate> DebootstrapProgress::consume(std::string_view line) {
  using Kind = ProgressUpdate::Kind;
  std::vector<ProgressUpdate> updates;
  if (trim(line).empty()) return updates;
  recent_.emplace_back(trim(line));
  if (recent_.size() > kRecentLines) recent_.pop_front();
  const DebootstrapLine parsed = parseDebootstrapLine(line);
  if (parsed.level == 'W' || parsed.level == 'E') {
    updates.push_back({Kind::note, std::string(1, parsed.level) + ": " + parsed.text});
    return updates;
  }
  // Lines without a level are dpkg's and the maintainer scripts' own chatter.
  if (parsed.level != 'I' || parsed.step.empty()) return updates;
  const std::string step = stepOf(parsed.step);
  if (step != step_) {
    if (count_ > 0) updates.push_back({Kind::line, step_ + " packages: " + std::to_string(count_)});
    step_ = step;
    count_ = 0;
  }
  if (parsed.step == "validating" && !announcement(parsed.subject)) return updates;
  const bool counted = perPackage(step) && !announcement(parsed.subject);
  if (!counted) {
    updates.push_back({Kind::line, parsed.text});
    return updates;
  }
  ++count_;
  // The package's name without its version: "libc6 2.36-9" -> "libc6".
  updates.push_back({Kind::status, step_ + " packages: " + std::to_string(count_) + " (" +
                                       parsed.subject.substr(0, parsed.subject.find(' ')) + ")"});
  return updates;
}

}  // namespace stratus::app
