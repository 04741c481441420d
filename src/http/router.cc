#include "http/router.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <set>

#include "http/query.h"

namespace stratus::http {
namespace {

bool isPlaceholder(std::string_view segment) {
  return segment.size() >= 2 && segment.front() == '{' && segment.back() == '}';
}

// "{name+}": the rest of the path, one segment or more.
bool isGreedy(std::string_view segment) {
  return isPlaceholder(segment) && segment.size() >= 4 && segment[segment.size() - 2] == '+';
}

std::string placeholderName(std::string_view segment) {
  segment = segment.substr(1, segment.size() - 2);
  if (segment.ends_with('+')) segment.remove_suffix(1);
  return std::string(segment);
}

// "/a/b/" -> [a, b]; "/" -> []. Empty inner segments are kept ("/a//b" -> [a, "", b]) so
// they match nothing a placeholder would.
std::vector<std::string> splitPath(std::string_view path) {
  std::vector<std::string> segments;
  if (path.starts_with('/')) path.remove_prefix(1);
  if (path.ends_with('/')) path.remove_suffix(1);
  if (path.empty()) return segments;
  std::size_t start = 0;
  for (;;) {
    std::size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) {
      segments.emplace_back(path.substr(start));
      return segments;
    }
    segments.emplace_back(path.substr(start, slash - start));
    start = slash + 1;
  }
}

[[noreturn]] void badPattern(const std::string& pattern, const char* why) {
  std::fprintf(stderr, "Router::add: bad pattern \"%s\": %s\n", pattern.c_str(), why);
  std::abort();
}

bool segmentsMatch(const std::vector<std::string>& pattern,
                   const std::vector<std::string>& segments) {
  const bool greedy = !pattern.empty() && isGreedy(pattern.back());
  if (greedy ? segments.size() < pattern.size() : pattern.size() != segments.size()) return false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (isGreedy(pattern[i])) {
      for (std::size_t rest = i; rest < segments.size(); ++rest)
        if (segments[rest].empty()) return false;
    } else if (isPlaceholder(pattern[i])) {
      if (segments[i].empty()) return false;
    } else if (pattern[i] != segments[i]) {
      return false;
    }
  }
  return true;
}

// True when a is more specific than b: at the first segment where one is literal and the
// other a placeholder, the literal one wins; then a one-segment placeholder beats "{rest+}".
bool moreSpecific(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
    bool aPlaceholder = isPlaceholder(a[i]), bPlaceholder = isPlaceholder(b[i]);
    if (aPlaceholder != bPlaceholder) return !aPlaceholder;
    if (isGreedy(a[i]) != isGreedy(b[i])) return !isGreedy(a[i]);
  }
  return false;
}

}  // namespace

void Router::add(std::string method, std::string pattern, Handler handler) {
  if (!pattern.starts_with('/')) badPattern(pattern, "must start with '/'");
  Route route{std::move(method), splitPath(pattern), std::move(handler)};
  std::set<std::string> names;
  for (std::size_t i = 0; i < route.segments.size(); ++i) {
    const std::string& segment = route.segments[i];
    if (segment.find_first_of("{}") == std::string::npos) continue;
    if (!isPlaceholder(segment)) badPattern(pattern, "a placeholder must be a whole segment");
    if (isGreedy(segment) && i + 1 != route.segments.size())
      badPattern(pattern, "a {name+} placeholder must be the last segment");
    std::string name = placeholderName(segment);
    if (name.empty() || name.find_first_of("{}+") != std::string::npos) {
      badPattern(pattern, "bad placeholder name");
    }
    if (!names.insert(name).second) badPattern(pattern, "placeholder name used twice");
  }
  routes_.push_back(std::move(route));
}

const Router::Route* Router::match(const std::vector<std::string>& segments,
                                   std::string_view method,
                                   std::vector<std::string>* allowed) const {
  const Route* best = nullptr;
  for (const Route& route : routes_) {
    if (!segmentsMatch(route.segments, segments)) continue;
    if (allowed != nullptr &&
        std::find(allowed->begin(), allowed->end(), route.method) == allowed->end()) {
      allowed->push_back(route.method);
    }
    if (route.method != method) continue;
    if (best == nullptr || moreSpecific(route.segments, best->segments)) best = &route;
  }
  return best;
}

Response Router::dispatch(Request& request) const {
  if (request.path.empty()) {
    auto target = parseTarget(request.target);
    if (!target) return Response::error(target.error());
    request.path = std::move(target->path);
    if (request.query.empty()) request.query = std::move(target->query);
  }
  std::vector<std::string> segments = splitPath(request.path);
  std::vector<std::string> allowed;
  const Route* route = match(segments, request.method, &allowed);
  if (route == nullptr && request.method == "HEAD") route = match(segments, "GET", nullptr);
  if (route == nullptr) {
    if (allowed.empty()) {
      return Response::error(404, "not_found", "no route for " + request.path);
    }
    if (std::find(allowed.begin(), allowed.end(), "GET") != allowed.end() &&
        std::find(allowed.begin(), allowed.end(), "HEAD") == allowed.end()) {
      allowed.push_back("HEAD");
    }
    std::sort(allowed.begin(), allowed.end());
    std::string allow;
    for (const std::string& method : allowed) {
      if (!allow.empty()) allow += ", ";
      allow += method;
    }
    Response response = Response::error(405, "method_not_allowed",
                                        request.method + " is not allowed on " + request.path);
    response.setHeader("Allow", std::move(allow));
    return response;
  }
  for (std::size_t i = 0; i < route->segments.size(); ++i) {
    const std::string& segment = route->segments[i];
    if (isGreedy(segment)) {
      std::string rest = segments[i];
      for (std::size_t more = i + 1; more < segments.size(); ++more) rest += "/" + segments[more];
      request.params[placeholderName(segment)] = std::move(rest);
    } else if (isPlaceholder(segment)) {
      request.params[placeholderName(segment)] = std::move(segments[i]);
    }
  }
  return route->handler(request);
}

}  // namespace stratus::http
