// Small server-rendered pages for the links in account mails (/verify, /reset). They work
// without JavaScript, so the strict CSP (http/security_headers.h) costs them nothing.
#pragma once

#include <string>
#include <string_view>

#include "http/message.h"

namespace stratus::api {

// A complete HTML document; `bodyHtml` must already be escaped. Never cached: these pages
// carry single-use tokens.
http::Response htmlPage(int status, std::string_view title, const std::string& bodyHtml);

// A form that POSTs `fields` (name, value) back to `action`, plus password inputs when
// asked. Values are escaped here.
std::string tokenForm(std::string_view action, std::string_view token, std::string_view button,
                      bool withNewPassword);

}  // namespace stratus::api
