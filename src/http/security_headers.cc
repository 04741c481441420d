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
  setDefault(response, "Referrer-Policy", "no-referrer");
  if (!isHtml(response)) return;
  setDefault(response, "Content-Security-Policy", kHtmlContentSecurityPolicy);
  // For browsers that predate frame-ancestors.
  setDefault(response, "X-Frame-Options", "DENY");
  setDefault(response, "Cross-Origin-Opener-Policy", "same-origin");
}

}  // namespace stratus::http
