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
#include "curl/curl_support.h"

namespace stratus::mail::detail {

using curl::append;
using curl::EasyPtr;
using curl::initCurlOnce;
using curl::newEasyHandle;
using curl::SlistPtr;

struct UrlDeleter {
  void operator()(CURLU* url) const { curl_url_cleanup(url); }
};
using UrlPtr = std::unique_ptr<CURLU, UrlDeleter>;

// One part of a parsed URL; empty when absent.
std::string urlPart(CURLU* url, CURLUPart part, unsigned flags = 0);

// A failed curl_easy_perform as ErrorKind::unavailable "mail_unavailable":
// "<what>: <curl's description> (<curl's detail>)". Neither part holds credentials: they
// travel in curl options, never in the URL, and curl does not echo them.
Error transportError(std::string_view what, CURLcode code, const char* errorBuffer);

}  // namespace stratus::mail::detail
