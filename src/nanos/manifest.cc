#include "nanos/manifest.h"

#include <memory>

#include "common/utf8.h"

namespace stratus::nanos {
namespace {

// A folder of the guest's tree: sub-folders and files, each sorted by name so the same
// manifest always renders the same text (the image cache keys on it).
struct Folder {
  std::map<std::string, std::unique_ptr<Folder>> folders;
  std::map<std::string, std::string> files;  // name -> host path
};

Status checkText(std::string_view text, std::string_view what) {
  if (text.find('\0') != std::string_view::npos || toValidUtf8(text) != text)
    return invalid("invalid_manifest", std::string(what) + " is not UTF-8 text");
  return {};
}

Result<std::vector<std::string>> splitGuestPath(const std::string& path) {
  if (auto ok = checkText(path, "a guest path"); !ok) return std::unexpected(ok.error());
  if (path.empty() || path.front() != '/')
    return invalid("invalid_manifest", "guest path '" + path + "' is not absolute");
  std::vector<std::string> parts;
  std::size_t start = 1;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    std::string part = path.substr(start, end - start);
    if (part.empty() || part == "." || part == "..")
      return invalid("invalid_manifest", "guest path '" + path + "' has an empty, . or .. part");
    parts.push_back(std::move(part));
    start = end + 1;
  }
  return parts;
}

Result<Folder*> folderAt(Folder& root, const std::vector<std::string>& parts, std::size_t count,
                         const std::string& path) {
  Folder* folder = &root;
  for (std::size_t i = 0; i < count; ++i) {
    if (folder->files.contains(parts[i]))
      return invalid("invalid_manifest", "guest path '" + path + "' goes through a file");
    auto& child = folder->folders[parts[i]];
    if (!child) child = std::make_unique<Folder>();
    folder = child.get();
  }
  return folder;
}

void render(const Folder& folder, std::string& out) {
  out += "children:(";
  bool first = true;
  auto separate = [&] {
    if (!first) out += ' ';
    first = false;
  };
  for (const auto& [name, child] : folder.folders) {
    separate();
    out += quote(name) + ":(";
    render(*child, out);
    out += ')';
  }
  for (const auto& [name, host] : folder.files) {
    separate();
    out += quote(name) + ":(contents:(host:" + quote(host) + "))";
  }
  out += ')';
}

}  // namespace

std::string quote(std::string_view value) {
  std::string out;
  out.reserve(value.size() + 2);
  out += '"';
  for (char c : value) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
  return out;
}

Result<std::string> renderManifest(const Manifest& manifest) {
  Folder root;
  for (const auto& [guest, host] : manifest.files) {
    auto parts = splitGuestPath(guest);
    if (!parts) return std::unexpected(parts.error());
    if (auto ok = checkText(host, "the host path of '" + guest + "'"); !ok)
      return std::unexpected(ok.error());
    auto folder = folderAt(root, *parts, parts->size() - 1, guest);
    if (!folder) return std::unexpected(folder.error());
    if ((*folder)->folders.contains(parts->back()))
      return invalid("invalid_manifest", "guest path '" + guest + "' is both a file and a folder");
    (*folder)->files[parts->back()] = host;
  }
  for (const auto& guest : manifest.directories) {
    auto parts = splitGuestPath(guest);
    if (!parts) return std::unexpected(parts.error());
    if (auto folder = folderAt(root, *parts, parts->size(), guest); !folder)
      return std::unexpected(folder.error());
  }
  if (!manifest.files.contains(manifest.program))
    return invalid("invalid_manifest", "the program '" + manifest.program + "' is not in the image");

  std::string out = "(";
  render(root, out);
  out += "\nprogram:" + quote(manifest.program);
  out += "\narguments:[";
  for (std::size_t i = 0; i < manifest.arguments.size(); ++i) {
    if (auto ok = checkText(manifest.arguments[i], "an argument"); !ok)
      return std::unexpected(ok.error());
    out += (i ? " " : "") + quote(manifest.arguments[i]);
  }
  out += "]\nenvironment:(";
  for (std::size_t i = 0; i < manifest.environment.size(); ++i) {
    const auto& [name, value] = manifest.environment[i];
    if (name.empty()) return invalid("invalid_manifest", "an environment variable has no name");
    if (auto ok = checkText(name + value, "environment variable " + name); !ok)
      return std::unexpected(ok.error());
    out += (i ? " " : "") + quote(name) + ":" + quote(value);
  }
  out += ")";
  for (const auto& [name, value] : manifest.settings) {
    if (auto ok = checkText(name + value, "setting " + name); !ok) return std::unexpected(ok.error());
    out += "\n" + quote(name) + ":" + quote(value);
  }
  out += ")\n";
  return out;
}

}  // namespace stratus::nanos
