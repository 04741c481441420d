// libcurl plumbing every module that speaks HTTP through libcurl shares (client, mail,
// blob/s3): one process-wide initialisation, owning pointers for its handles and lists,
// and the body and header callbacks.
#pragma once

#include <curl/curl.h>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace stratus::curl {

// curl_global_init is not thread-safe on every build and sets up the TLS back-end (a few
// milliseconds): once per process, never per request. newEasyHandle() calls it.
void initCurlOnce();

struct EasyDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using EasyPtr = std::unique_ptr<CURL, EasyDeleter>;
using SlistPtr = std::unique_ptr<curl_slist, SlistDeleter>;

// A new easy handle (aborts when out of memory, like the allocations it stands for).
EasyPtr newEasyHandle();
// Appends one line to a curl string list (aborts when out of memory).
void append(SlistPtr& list, const std::string& line);

// CURLOPT_WRITEFUNCTION appending to the std::string given as CURLOPT_WRITEDATA.
std::size_t appendToString(char* data, std::size_t size, std::size_t count, void* user);

// One header line as (lower-case name, trimmed value); nullopt for a status line, the
// blank line ending the headers, or anything without a colon.
std::optional<std::pair<std::string, std::string>> headerField(std::string_view line);
// Whether a header line starts a new response ("HTTP/1.1 200 OK", also after a 100
// Continue): the headers gathered so far belonged to an interim response.
inline bool isStatusLine(std::string_view line) { return line.starts_with("HTTP/"); }

}  // namespace stratus::curl
