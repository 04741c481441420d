#include "client/http_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <mutex>

#include "client/url.h"
#include "curl/curl_support.h"

namespace stratus::client {
namespace {

constexpr const char* kUserAgent = "stratus-client/0.1";
constexpr std::string_view kJsonType = "application/json";

using curl::append;
using curl::SlistPtr;

struct MimeDeleter {
  void operator()(curl_mime* mime) const { curl_mime_free(mime); }
};
using MimePtr = std::unique_ptr<curl_mime, MimeDeleter>;

bool equalsNoCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool hasHeader(const HeaderList& headers, std::string_view name) {
  return std::any_of(headers.begin(), headers.end(),
                     [&](const auto& header) { return equalsNoCase(header.first, name); });
}

size_t onHeader(char* data, size_t size, size_t count, void* user) {
  auto* headers = static_cast<std::multimap<std::string, std::string>*>(user);
  const std::string_view line(data, size * count);
  // A new status line starts a new response (after "100 Continue"): keep only the last.
  if (curl::isStatusLine(line)) headers->clear();
  if (auto field = curl::headerField(line)) headers->emplace(std::move(*field));
  return size * count;
}

bool isUnsafeMethod(std::string_view method) {
  return !(method == "GET" || method == "HEAD" || method == "OPTIONS");
}

Error transportError(CURLcode code, std::string_view url, const char* detailBuffer) {
  std::string detail = detailBuffer[0] ? detailBuffer : curl_easy_strerror(code);
  std::string where = redactUrl(url);
  switch (code) {
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return Error{ErrorKind::invalid_argument,
                   std::string(kInvalidUrl),
                   "invalid server URL " + where + ": " + detail,
                   {}};
    case CURLE_OPERATION_TIMEDOUT:
      return Error{ErrorKind::unavailable,
                   std::string(kRequestTimeout),
                   "no answer from " + where + ": " + detail,
                   {}};
    default:
      return Error{ErrorKind::unavailable,
                   std::string(kConnectionFailed),
                   "cannot reach " + where + ": " + detail,
                   {}};
  }
}

// One line of CURLINFO_COOKIELIST, Netscape format:
// domain \t tailmatch \t path \t secure \t expires \t name \t value
std::optional<std::pair<std::string, std::string>> parseCookieLine(std::string_view line) {
  std::vector<std::string_view> fields;
  std::size_t start = 0;
  while (fields.size() < 6) {
    std::size_t tab = line.find('\t', start);
    if (tab == std::string_view::npos) return std::nullopt;
    fields.push_back(line.substr(start, tab - start));
    start = tab + 1;
  }
  return std::pair{std::string(fields[5]), std::string(line.substr(start))};
}

}  // namespace

struct HttpClient::Impl {
  std::string baseUrl;
  std::string apiKey;
  bool cookieJar = false;
  bool cookieEngineStarted = false;
  long timeoutMs = 0;
  long connectTimeoutMs = 10'000;
  curl::EasyPtr handle;
  char errorBuffer[CURL_ERROR_SIZE] = {};

  // body/contentType for a raw body, or mime for multipart (then body must be empty).
  Result<ClientResponse> perform(std::string_view method, std::string_view path,
                                 std::string_view body, std::string_view contentType,
                                 curl_mime* mime, const HeaderList& extraHeaders);
  Result<ClientResponse> multipart(std::string_view method, std::string_view path,
                                   const FieldList& fields, const std::vector<FilePart>& files);
  std::vector<std::pair<std::string, std::string>> cookies() const;
};

std::vector<std::pair<std::string, std::string>> HttpClient::Impl::cookies() const {
  std::vector<std::pair<std::string, std::string>> out;
  if (!cookieJar) return out;
  curl_slist* list = nullptr;
  if (curl_easy_getinfo(handle.get(), CURLINFO_COOKIELIST, &list) != CURLE_OK) return out;
  SlistPtr owned(list);
  for (curl_slist* item = list; item; item = item->next) {
    if (auto cookie = parseCookieLine(item->data)) out.push_back(std::move(*cookie));
  }
  return out;
}

Result<ClientResponse> HttpClient::Impl::perform(std::string_view method, std::string_view path,
                                                 std::string_view body,
                                                 std::string_view contentType, curl_mime* mime,
                                                 const HeaderList& extraHeaders) {
  CURL* h = handle.get();
  // reset clears options but keeps the connection cache and the cookies (curl_easy_reset(3)),
  // so keep-alive survives and no option leaks from one request into the next.
  curl_easy_reset(h);
  std::string url = joinUrl(baseUrl, path);
  std::string methodText(method);
  ClientResponse response;
  errorBuffer[0] = '\0';

  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errorBuffer);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_TCP_NODELAY, 1L);
  curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_USERAGENT, kUserAgent);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeoutMs);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, connectTimeoutMs);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, curl::appendToString);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, onHeader);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &response.headers);
  if (cookieJar && !cookieEngineStarted) {
    // Starts the in-memory cookie engine. Not with COOKIEFILE "": curl 7.88 queues that name
    // in a list curl_easy_reset forgets without freeing. The engine and its cookies survive
    // reset, so once per handle is enough; an empty Set-Cookie line adds no cookie.
    curl_easy_setopt(h, CURLOPT_COOKIELIST, "Set-Cookie:");
    cookieEngineStarted = true;
  }

  bool hasBody = mime || !body.empty() || method == "POST" || method == "PUT" || method == "PATCH";
  if (mime) {
    curl_easy_setopt(h, CURLOPT_MIMEPOST, mime);
  } else if (method == "HEAD") {
    curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
  } else if (hasBody) {
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.empty() ? "" : body.data());
  } else {
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
  }
  if (method != "GET" && method != "HEAD" && !(method == "POST" && hasBody)) {
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, methodText.c_str());
  }

  SlistPtr headers;
  // curl sends "Expect: 100-continue" for larger bodies and then waits up to a second for an
  // interim answer many servers never send.
  append(headers, "Expect:");
  if (!apiKey.empty() && !hasHeader(extraHeaders, "authorization")) {
    append(headers, "Authorization: Bearer " + apiKey);
  }
  if (!mime && hasBody) {
    // "Content-Type:" without a value removes curl's default application/x-www-form-urlencoded.
    append(headers, contentType.empty() ? std::string("Content-Type:")
                                        : "Content-Type: " + std::string(contentType));
  }
  // No Origin header: a non-browser client needs none, and behind a proxy that rewrites Host
  // an Origin built from our URL would look cross-site to the server.
  if (cookieJar && isUnsafeMethod(method) && !hasHeader(extraHeaders, "x-csrf-token")) {
    for (const auto& [name, value] : cookies()) {
      std::string lower = name;
      std::transform(lower.begin(), lower.end(), lower.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      if (lower.find("csrf") != std::string::npos) {
        append(headers, "X-CSRF-Token: " + value);
        break;
      }
    }
  }
  for (const auto& [name, value] : extraHeaders) {
    // "Name;" is curl's way to send a header with an empty value.
    append(headers, value.empty() ? name + ";" : name + ": " + value);
  }
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());

  CURLcode code = curl_easy_perform(h);
  // Nothing set here may dangle into the next request's reset: drop the header list now.
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, nullptr);
  if (code != CURLE_OK) return std::unexpected(transportError(code, url, errorBuffer));
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &response.status);
  return response;
}

Result<ClientResponse> HttpClient::Impl::multipart(std::string_view method, std::string_view path,
                                                   const FieldList& fields,
                                                   const std::vector<FilePart>& files) {
  MimePtr mime(curl_mime_init(handle.get()));
  if (!mime) return internalError("curl_mime_init failed");
  for (const auto& [name, value] : fields) {
    curl_mimepart* part = curl_mime_addpart(mime.get());
    curl_mime_name(part, name.c_str());
    curl_mime_data(part, value.data(), value.size());
  }
  for (const auto& file : files) {
    curl_mimepart* part = curl_mime_addpart(mime.get());
    curl_mime_name(part, file.fieldName.c_str());
    curl_mime_filename(part, file.fileName.c_str());
    if (!file.contentType.empty()) curl_mime_type(part, file.contentType.c_str());
    curl_mime_data(part, file.content.data(), file.content.size());
  }
  auto response = perform(method, path, {}, {}, mime.get(), {});
  curl_easy_setopt(handle.get(), CURLOPT_MIMEPOST, nullptr);
  return response;
}

HttpClient::HttpClient(std::string baseUrl, std::string apiKey) : impl_(std::make_unique<Impl>()) {
  impl_->baseUrl = std::move(baseUrl);
  impl_->apiKey = std::move(apiKey);
  impl_->handle = curl::newEasyHandle();
}

HttpClient::~HttpClient() = default;
HttpClient::HttpClient(HttpClient&&) noexcept = default;
HttpClient& HttpClient::operator=(HttpClient&&) noexcept = default;

const std::string& HttpClient::baseUrl() const { return impl_->baseUrl; }
void HttpClient::setApiKey(std::string apiKey) { impl_->apiKey = std::move(apiKey); }
void HttpClient::setCookieJar(bool enabled) {
  impl_->cookieJar = enabled;
  if (!enabled && impl_->cookieEngineStarted) {
    // A running cookie engine cannot be stopped, only dropped with its handle (and with the
    // handle's connection; turning the jar off is rare).
    impl_->handle = curl::newEasyHandle();
    impl_->cookieEngineStarted = false;
  }
}
void HttpClient::setTimeout(std::chrono::milliseconds timeout) {
  impl_->timeoutMs = static_cast<long>(timeout.count());
}
void HttpClient::setConnectTimeout(std::chrono::milliseconds timeout) {
  impl_->connectTimeoutMs = static_cast<long>(timeout.count());
}
std::vector<std::pair<std::string, std::string>> HttpClient::cookies() const {
  return impl_->cookies();
}

Result<ClientResponse> HttpClient::get(std::string_view path) {
  return impl_->perform("GET", path, {}, {}, nullptr, {});
}
Result<ClientResponse> HttpClient::del(std::string_view path) {
  return impl_->perform("DELETE", path, {}, {}, nullptr, {});
}
Result<ClientResponse> HttpClient::postJson(std::string_view path, const boost::json::value& body) {
  return impl_->perform("POST", path, boost::json::serialize(body), kJsonType, nullptr, {});
}
Result<ClientResponse> HttpClient::putJson(std::string_view path, const boost::json::value& body) {
  return impl_->perform("PUT", path, boost::json::serialize(body), kJsonType, nullptr, {});
}
Result<ClientResponse> HttpClient::patchJson(std::string_view path,
                                             const boost::json::value& body) {
  return impl_->perform("PATCH", path, boost::json::serialize(body), kJsonType, nullptr, {});
}
Result<ClientResponse> HttpClient::postMultipart(std::string_view path, const FieldList& fields,
                                                 const std::vector<FilePart>& files) {
  return impl_->multipart("POST", path, fields, files);
}
Result<ClientResponse> HttpClient::putMultipart(std::string_view path, const FieldList& fields,
                                                const std::vector<FilePart>& files) {
  return impl_->multipart("PUT", path, fields, files);
}
Result<ClientResponse> HttpClient::request(std::string_view method, std::string_view path,
                                           std::string_view body, std::string_view contentType,
                                           const HeaderList& extraHeaders) {
  return impl_->perform(method, path, body, contentType, nullptr, extraHeaders);
}

}  // namespace stratus::client
