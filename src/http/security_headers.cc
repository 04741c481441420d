#include "http/security_headers.h"

namespace stratus::http {
namespace {

void setDefault(Response& response, std::string name, std::string_view value) {
  if (!response.header(name)) response.setHeader(std::move(name), std::string(value));
}

bool isHtml(const Response& response) {
  auto type = response.header("Content-Type");
  if (!type) return false;
  std::string_view text = *type;
  return text.substr(0, 9) == "text/html" || text.substr(0, 21) == "application/xhtml+xml";
}

}  // namespace

void addSecurityHeaders(Response& response) {
  setDefault(response, "X-Content-Type-Options", "nosniff");
  // same-origin, not no-referrer: under no-referrer browsers send "Origin: null" on our own
  // form POSTs, and the Origin check needs the real one. Other sites still get no Referer,
  // so token URLs do not leak.
  setDefault(response, "Referrer-Policy", "same-origin");
  if (!isHtml(response)) return;
  setDefault(response, "Content-Security-Policy", kHtmlContentSecurityPolicy);
  // For browsers that predate frame-ancestors.
  setDefault(response, "X-Frame-Options", "DENY");
  setDefault(response, "Cross-Origin-Opener-Policy", "same-origin");
}

}  // namespace stratus::http
