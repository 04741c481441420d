// libcurl plumbing shared by the SMTP and Resend mailers (internal to the mail module).
// Both take a fresh easy handle per send: nothing is shared between threads, so the
// mailers are thread-safe without a lock, and a mail is rare enough that the lost
// connection reuse costs nothing that matters.
#pragma once

#include <curl/curl.h>

#include <memory>
#include <string>
#include <string_view>

#include "common/error.h"

namespace stratus::mail::detail {

struct EasyDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using EasyPtr = std::unique_ptr<CURL, EasyDeleter>;
using SlistPtr = std::unique_ptr<curl_slist, SlistDeleter>;
struct UrlDeleter {
  void operator()(CURLU* url) const { curl_url_cleanup(url); }
};
using UrlPtr = std::unique_ptr<CURLU, UrlDeleter>;

// curl_global_init, once per process; everything below calls it.
void initCurlOnce();
// A new easy handle (aborts when out of memory).
EasyPtr newEasyHandle();
// Appends one line to a curl string list (aborts when out of memory).
void append(SlistPtr& list, const std::string& line);

// One part of a parsed URL; empty when absent.
std::string urlPart(CURLU* url, CURLUPart part, unsigned flags = 0);

// A failed curl_easy_perform as ErrorKind::unavailable "mail_unavailable":
// "<what>: <curl's description> (<curl's detail>)". Neither part holds credentials: they
// travel in curl options, never in the URL, and curl does not echo them.
Error transportError(std::string_view what, CURLcode code, const char* errorBuffer);

}  // namespace stratus::mail::detail
