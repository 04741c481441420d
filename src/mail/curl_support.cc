#include "mail/curl_support.h"

#include <cstdio>
#include <cstdlib>
#include <mutex>

#include "mail/mailer.h"

namespace stratus::mail::detail {

std::string urlPart(CURLU* url, CURLUPart part, unsigned flags) {
  char* value = nullptr;
  std::string out;
  if (curl_url_get(url, part, &value, flags) == CURLUE_OK && value) out = value;
  curl_free(value);
  return out;
}

Error transportError(std::string_view what, CURLcode code, const char* errorBuffer) {
  std::string message = std::string(what) + ": " + curl_easy_strerror(code);
  if (errorBuffer != nullptr && errorBuffer[0] != '\0') {
    message += " (";
    message += errorBuffer;
    message += ")";
  }
  return Error{ErrorKind::unavailable, std::string(kMailUnavailable), std::move(message), {}};
}

}  // namespace stratus::mail::detail
