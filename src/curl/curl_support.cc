#include "curl/curl_support.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <mutex>

namespace stratus::curl {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

}  // namespace

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

std::size_t appendToString(char* data, std::size_t size, std::size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

std::optional<std::pair<std::string, std::string>> headerField(std::string_view line) {
  if (isStatusLine(line)) return std::nullopt;
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  std::string name(trim(line.substr(0, colon)));
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return std::pair{std::move(name), std::string(trim(line.substr(colon + 1)))};
}

}  // namespace stratus::curl
