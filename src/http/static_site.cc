#include "http/static_site.h"

#include <algorithm>
#include <array>
#include <utility>

#include "common/crypto.h"

namespace stratus::http {
namespace {

constexpr std::string_view kAssetsPrefix = "assets/";

struct TypeByExtension {
  std::string_view extension;
  std::string_view contentType;
};

// Only what a Vite build emits, plus the usual public/ files.
constexpr std::array<TypeByExtension, 17> kContentTypes{{
    {"html", "text/html; charset=utf-8"},
    {"js", "text/javascript; charset=utf-8"},
    {"mjs", "text/javascript; charset=utf-8"},
    {"css", "text/css; charset=utf-8"},
    {"json", "application/json"},
    {"map", "application/json"},
    {"webmanifest", "application/manifest+json"},
    {"svg", "image/svg+xml"},
    {"png", "image/png"},
    {"jpg", "image/jpeg"},
    {"jpeg", "image/jpeg"},
    {"webp", "image/webp"},
    {"ico", "image/x-icon"},
    {"woff2", "font/woff2"},
    {"woff", "font/woff"},
    {"txt", "text/plain; charset=utf-8"},
    {"wasm", "application/wasm"},
}};

bool equalsIgnoringCase(std::string_view a, std::string_view b) {
  return std::ranges::equal(a, b, [](char x, char y) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
    return lower(x) == lower(y);
  });
}

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::string_view withoutTrailingSlash(std::string_view path) {
  if (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  return path;
}

// A '{' or '}' in a file name would be read as a router placeholder.
bool isRoutable(std::string_view relativePath) {
  return relativePath.find_first_of("{}") == std::string_view::npos;
}

}  // namespace

std::string_view staticContentType(std::string_view relativePath) {
  auto slash = relativePath.rfind('/');
  auto name = slash == std::string_view::npos ? relativePath : relativePath.substr(slash + 1);
  auto dot = name.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return "application/octet-stream";
  auto extension = name.substr(dot + 1);
  for (const auto& entry : kContentTypes)
    if (equalsIgnoringCase(entry.extension, extension)) return entry.contentType;
  return "application/octet-stream";
}

std::string_view staticCacheControl(std::string_view relativePath) {
  if (relativePath == kIndexFile) return "no-cache";
  if (relativePath.starts_with(kAssetsPrefix)) return "public, max-age=31536000, immutable";
  return "public, max-age=3600";
}

std::string staticEtag(std::string_view content) {
  // 128 bits of the SHA-256 are plenty to tell builds apart and keep the header short.
  return "\"" + sha256Hex(content).substr(0, 32) + "\"";
}

bool etagMatches(std::string_view ifNoneMatch, std::string_view etag) {
  auto opaque = [](std::string_view tag) {
    tag = trimmed(tag);
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    return tag;
  };
  if (trimmed(ifNoneMatch) == "*") return true;
  std::string_view wanted = opaque(etag);
  while (!ifNoneMatch.empty()) {
    auto comma = ifNoneMatch.find(',');
    auto tag = opaque(ifNoneMatch.substr(0, comma));
    if (!tag.empty() && tag == wanted) return true;
    if (comma == std::string_view::npos) break;
    ifNoneMatch.remove_prefix(comma + 1);
  }
  return false;
}

bool isSpaRoute(std::string_view urlPath) {
  if (urlPath.find("//") != std::string_view::npos) return false;
  urlPath = withoutTrailingSlash(urlPath);
  for (std::string_view route : {"/", "/signin", "/signup", "/forgot", "/account", "/functions"})
    if (urlPath == route) return true;
  // /functions/cloud, /functions/cloud/invocations...: the app routes them itself.
  return urlPath.starts_with("/functions/") && urlPath.size() > std::string_view("/functions/").size();
}

StaticSite::StaticSite(std::map<std::string, std::string> files) {
  for (auto& [path, content] : files) {
    StaticFile file;
    file.contentType = std::string(staticContentType(path));
    file.cacheControl = std::string(staticCacheControl(path));
    file.etag = staticEtag(content);
    totalBytes_ += content.size();
    file.content = std::move(content);
    files_.emplace(path, std::move(file));
  }
}

const StaticFile* StaticSite::file(std::string_view relativePath) const {
  auto found = files_.find(relativePath);
  return found == files_.end() ? nullptr : &found->second;
}

const StaticFile* StaticSite::resolve(std::string_view urlPath) const {
  if (isSpaRoute(urlPath)) return file(kIndexFile);
  urlPath = withoutTrailingSlash(urlPath);
  if (!urlPath.starts_with('/')) return nullptr;
  urlPath.remove_prefix(1);
  if (!isRoutable(urlPath)) return nullptr;
  return file(urlPath);
}

std::vector<std::string> StaticSite::routePatterns() const {
  std::vector<std::string> patterns = {"/",         "/signin",   "/signup",
                                       "/forgot",   "/account",  "/functions",
                                       "/functions/{route+}"};
  for (const auto& [path, file] : files_)
    if (isRoutable(path)) patterns.push_back("/" + path);
  return patterns;
}

std::optional<Response> StaticSite::respond(const Request& request) const {
  const StaticFile* found = resolve(request.path);
  if (!found) return std::nullopt;
  Response response;
  response.setHeader("ETag", found->etag);
  response.setHeader("Cache-Control", found->cacheControl);
  if (auto condition = request.header("If-None-Match"); condition && etagMatches(*condition, found->etag)) {
    response.status = 304;
    return response;
  }
  response.status = 200;
  response.setHeader("Content-Type", found->contentType);
  response.body = found->content;
  return response;
}

}  // namespace stratus::http
