// The dashboard's files, held in memory and answered by exact name. A request can only
// ever name one of the files read at start-up (static_dir.h), so there is no path to
// traverse and no file system access while serving. Pure: unit-tested without a folder.
//
// URL layout, which is what a Vite build of a single-page app needs:
//   /assets/<file>   the build's hashed files: cached for a year, immutable
//   /<file>          other files of the build (favicon.svg, robots.txt): cached an hour
//   /, /signin, ...  the app's own routes (isSpaRoute): index.html, revalidated every time
// Every answer carries an ETag; a matching If-None-Match gets 304 without the body.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.h"

namespace stratus::http {

inline constexpr std::string_view kIndexFile = "index.html";

// By extension, case-insensitively; text types say charset=utf-8. Unknown extensions are
// application/octet-stream, which nosniff keeps browsers from guessing at.
std::string_view staticContentType(std::string_view relativePath);

// index.html: no-cache (it names the hashed files of the current build, so a new build
// must be seen at once); assets/...: a year and immutable (the name changes when the
// content does); anything else: an hour (names that survive builds).
std::string_view staticCacheControl(std::string_view relativePath);

// The strong validator of `content`: a quoted digest.
std::string staticEtag(std::string_view content);

// Whether an If-None-Match value lets the cached copy stand (RFC 9110 §13.1.2): "*", or
// any listed tag equal to `etag` under the weak comparison (a W/ prefix is ignored).
bool etagMatches(std::string_view ifNoneMatch, std::string_view etag);

// The single-page app's routes, all answered with index.html: /, /signin, /signup,
// /forgot, /account, /functions and everything under /functions/. One trailing slash is
// ignored, as the router does.
bool isSpaRoute(std::string_view urlPath);

struct StaticFile {
  std::string content;
  std::string contentType;
  std::string cacheControl;
  std::string etag;
};

class StaticSite {
 public:
  // `files`: relative path ("index.html", "assets/app-1a2b.js") -> content.
  explicit StaticSite(std::map<std::string, std::string> files);

  bool hasIndex() const { return files_.contains(kIndexFile); }
  std::size_t fileCount() const { return files_.size(); }
  std::size_t totalBytes() const { return totalBytes_; }
  const StaticFile* file(std::string_view relativePath) const;

  // The file a URL path names: index.html for the app's routes (when there is one), the
  // file itself for "/" + its relative path; nullptr for anything else.
  const StaticFile* resolve(std::string_view urlPath) const;

  // The router patterns that reach resolve(): the app's routes and one exact path per
  // file, so nothing but these files and routes is ever answered from here.
  std::vector<std::string> routePatterns() const;

  // 200 with the file (the server drops the body for HEAD), 304 when If-None-Match
  // matches, nullopt when the path names nothing here.
  std::optional<Response> respond(const Request& request) const;

 private:
  std::map<std::string, StaticFile, std::less<>> files_;
  std::size_t totalBytes_ = 0;
};

}  // namespace stratus::http
