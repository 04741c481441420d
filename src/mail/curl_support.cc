#include "mail/curl_support.h"

#include <cstdio>
#include <cstdlib>
#include <mutex>

#include "mail/mailer.h"

namespace stratus::mail::detail {

// curl_global_init is not thread-safe on every build and sets up the TLS back-end: once per
// process (it is reference counted, so the client module doing the same is harmless).
void initCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
      std::fputs("stratus: curl_global_init failed\n", stderr);
      std::abort();
    }
  });
}

EasyPtr newEasyHandle() {
  initCurlOnce();
  EasyPtr handle(curl_easy_init());
  if (!handle) {
    std::fputs("stratus: curl_easy_init failed\n", stderr);
    std::abort();
  }
  return handle;
}

void append(SlistPtr& list, const std::string& line) {
  curl_slist* grown = curl_slist_append(list.get(), line.c_str());
  if (!grown) {
    std::fputs("stratus: out of memory building a curl list\n", stderr);
    std::abort();
  }
  // curl_slist_append returns the same head when the list existed: keep one owner.
  (void)list.release();
  list.reset(grown);
}

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
