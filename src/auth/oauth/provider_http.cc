#include "auth/oauth/provider_http.h"

#include <boost/json/parse.hpp>
#include <chrono>

#include "client/response.h"
#include "client/url.h"

namespace stratus::auth::oauth {
namespace {

using namespace std::chrono_literals;

std::unexpected<Error> unavailable(std::string message) {
  return fail(ErrorKind::unavailable, "oauth_provider_unavailable", std::move(message));
}

std::unexpected<Error> refused(std::string message) {
  return fail(ErrorKind::unauthorized, "oauth_exchange_failed", std::move(message));
}

// The provider's own words, when it gave any ({"error": "...", "error_description": "..."}),
// short and printable, for the log and the error page. Never the whole body: it may echo
// what we sent.
std::string providerReason(const boost::json::value& body) {
  if (!body.is_object()) return {};
  std::string reason;
  for (std::string_view key : {"error", "error_description"}) {
    const auto* value = body.as_object().if_contains(key);
    if (!value || !value->is_string()) continue;
    if (!reason.empty()) reason += ": ";
    reason += std::string(value->as_string().subview().substr(0, 160));
  }
  for (char& c : reason)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  return reason;
}

}  // namespace

std::string withQuery(std::string_view url, const client::FieldList& parameters) {
  std::string query = client::buildQuery(parameters);
  if (query.empty()) return std::string(url);
  if (url.find('?') != std::string_view::npos) query[0] = '&';
  return std::string(url) + query;
}

std::string formBody(const client::FieldList& fields) {
  std::string query = client::buildQuery(fields);
  return query.empty() ? query : query.substr(1);
}

client::HttpClient newProviderClient() {
  client::HttpClient http("");
  http.setConnectTimeout(5s);
  http.setTimeout(15s);
  return http;
}

Result<boost::json::value> callProvider(client::HttpClient& http, std::string_view method,
                                        std::string_view url, std::string_view what,
                                        OnClientError onClientError,
                                        const client::HeaderList& headers,
                                        std::string_view formBodyText) {
  std::string step(what);
  auto response = http.request(
      method, url, formBodyText,
      formBodyText.empty() ? std::string_view() : "application/x-www-form-urlencoded", headers);
  if (!response) return unavailable(step + ": " + response.error().message);
  boost::system::error_code ec;
  boost::json::value body = boost::json::parse(response->body, ec);
  if (ec) body = nullptr;
  if (!response->ok()) {
    std::string reason = providerReason(body);
    std::string message = step + ": the provider answered " + std::to_string(response->status) +
                          (reason.empty() ? "" : " (" + reason + ")");
    if (response->status >= 500 || response->status == 429 ||
        onClientError == OnClientError::unavailable || response->status < 400)
      return unavailable(std::move(message));
    return refused(std::move(message));
  }
  if (ec) return unavailable(step + ": the provider's answer is not JSON");
  return body;
}

Result<std::string> tokenField(const boost::json::value& answer, std::string_view field) {
  if (!answer.is_object()) return unavailable("token exchange: the answer is not a JSON object");
  if (answer.as_object().contains("error"))
    return refused("token exchange: the provider refused the code (" + providerReason(answer) +
                   ")");
  const auto* value = answer.as_object().if_contains(field);
  if (!value || !value->is_string() || value->as_string().empty())
    return refused("token exchange: the answer has no " + std::string(field));
  return std::string(value->as_string());
}

bool isProviderUrl(std::string_view url) {
  if (!client::isHttpUrl(url)) return false;
  // No spaces, control characters or fragments: the URL goes into curl and into Location
  // headers as is.
  for (char c : url)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f || c == '#') return false;
  return true;
}

}  // namespace stratus::auth::oauth
