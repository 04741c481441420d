#include "app/apt_sources.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace stratus::app {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  return text;
}

std::vector<std::string> words(std::string_view text) {
  std::vector<std::string> out;
  std::istringstream in{std::string(text)};
  std::string word;
  while (in >> word) out.push_back(word);
  return out;
}

bool usableUri(std::string_view uri) {
  return uri.starts_with("http://") || uri.starts_with("https://") || uri.starts_with("file:/");
}

// Suites a mirror of the release itself does not serve under the same path.
bool isSideSuite(std::string_view suite) {
  return suite.find("-security") != std::string_view::npos ||
         suite.find("-backports") != std::string_view::npos ||
         suite.find('/') != std::string_view::npos;
}

struct Entry {
  std::vector<std::string> types, uris, suites;
  bool enabled = true;
};

// Of the entries, the URI for `suite`: an exact suite match first, any release suite next.
std::optional<std::string> choose(const std::vector<Entry>& entries, std::string_view suite) {
  for (bool exact : {true, false}) {
    for (const auto& entry : entries) {
      if (!entry.enabled ||
          std::find(entry.types.begin(), entry.types.end(), "deb") == entry.types.end()) {
        continue;
      }
      const bool matches =
          std::any_of(entry.suites.begin(), entry.suites.end(),
                      [&](const auto& s) { return exact ? s == suite : !isSideSuite(s); });
      if (!matches) continue;
      for (const auto& uri : entry.uris) {
        if (usableUri(uri) && uri.find("security") == std::string::npos) {
          std::string chosen = uri;
          while (chosen.ends_with('/')) chosen.pop_back();
          return chosen;
        }
      }
    }
  }
  return std::nullopt;
}

std::string lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string readFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

std::optional<std::string> mirrorFromDeb822(std::string_view text, std::string_view suite) {
  std::vector<Entry> entries;
  Entry current;
  bool any = false;
  std::string lastField;
  auto finish = [&] {
    if (any) entries.push_back(std::move(current));
    current = Entry{};
    any = false;
  };
  std::istringstream in{std::string(text)};
  std::string line;
  while (std::getline(in, line)) {
    std::string_view view = line;
    if (trim(view).empty()) {  // a blank line ends a stanza
      finish();
      continue;
    }
    if (view.starts_with('#')) continue;
    // A continuation line (leading space) adds to the field before it.
    const bool continuation = view.front() == ' ' || view.front() == '\t';
    std::string field = lastField;
    std::string_view value = view;
    if (!continuation) {
      const std::size_t colon = view.find(':');
      if (colon == std::string_view::npos) continue;
      field = lowercase(trim(view.substr(0, colon)));
      value = view.substr(colon + 1);
      lastField = field;
    }
    any = true;
    auto items = words(value);
    if (field == "types") current.types.insert(current.types.end(), items.begin(), items.end());
    if (field == "uris") current.uris.insert(current.uris.end(), items.begin(), items.end());
    if (field == "suites") current.suites.insert(current.suites.end(), items.begin(), items.end());
    if (field == "enabled" && !items.empty()) current.enabled = lowercase(items[0]) != "no";
  }
  finish();
  return choose(entries, suite);
}

std::optional<std::string> mirrorFromOneLine(std::string_view text, std::string_view suite) {
  std::vector<Entry> entries;
  std::istringstream in{std::string(text)};
  std::string line;
  while (std::getline(in, line)) {
    if (auto hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    // deb [ option=value ... ] uri suite component...
    std::string_view rest = trim(line);
    if (!rest.starts_with("deb ") && !rest.starts_with("deb\t")) continue;
    rest = trim(rest.substr(3));
    if (rest.starts_with('[')) {
      const std::size_t close = rest.find(']');
      if (close == std::string_view::npos) continue;
      rest = trim(rest.substr(close + 1));
    }
    auto fields = words(rest);
    if (fields.size() < 2) continue;
    entries.push_back(Entry{{"deb"}, {fields[0]}, {fields[1]}, true});
  }
  return choose(entries, suite);
}

Result<std::string> findDebianMirror(std::string_view suite, const std::string& aptDir) {
  namespace fs = std::filesystem;
  const fs::path dir(aptDir);
  std::vector<fs::path> deb822, oneLine;
  std::error_code ec;
  for (const auto& file : fs::directory_iterator(dir / "sources.list.d", ec)) {
    if (file.path().extension() == ".sources") deb822.push_back(file.path());
    if (file.path().extension() == ".list") oneLine.push_back(file.path());
  }
  std::sort(deb822.begin(), deb822.end());
  std::sort(oneLine.begin(), oneLine.end());
  oneLine.insert(oneLine.begin(), dir / "sources.list");
  for (const auto& file : deb822) {
    if (auto mirror = mirrorFromDeb822(readFile(file), suite)) return *mirror;
  }
  for (const auto& file : oneLine) {
    if (auto mirror = mirrorFromOneLine(readFile(file), suite)) return *mirror;
  }
  return fail(ErrorKind::unavailable, "no_debian_mirror",
              "no Debian mirror found in " + aptDir +
                  "/sources.list or sources.list.d: name one with --mirror URL");
}

}  // namespace stratus::app
