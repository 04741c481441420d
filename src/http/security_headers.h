// Headers every response gets, and the stricter set every HTML response gets (issue 3):
// a Content-Security-Policy that allows only our own scripts and no framing, nosniff,
// and no Referer to other sites (the account pages carry single-use tokens in their URLs). A header the
// handler set itself is left alone, so a page that needs more can say so.
#pragma once

#include "http/message.h"

namespace stratus::http {

inline constexpr std::string_view kHtmlContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";

void addSecurityHeaders(Response& response);

}  // namespace stratus::http
