// What the GitHub and OIDC providers share: building their URLs and form bodies, and one
// call to a provider endpoint with its failures mapped onto the two error codes the routes
// show: "oauth_exchange_failed" (unauthorized: the provider refused this code or token, the
// user should try again) and "oauth_provider_unavailable" (unavailable: the provider is
// down, slow, or answered something we cannot use).
#pragma once

#include <boost/json/value.hpp>
#include <string>
#include <string_view>

#include "client/http_client.h"
#include "common/error.h"

namespace stratus::auth::oauth {

// The url with the parameters appended as a percent-encoded query ('?' or '&' as needed).
std::string withQuery(std::string_view url, const client::FieldList& parameters);

// An application/x-www-form-urlencoded body.
std::string formBody(const client::FieldList& fields);

// A client for one sign-in's calls, with time limits so a stuck provider cannot hold a worker
// thread for long. HttpClient is not thread-safe: each complete() makes its own.
client::HttpClient newProviderClient();

enum class OnClientError {
  exchangeFailed,  // a 4xx means the code or token was refused (token, user endpoints)
  unavailable,     // a 4xx means the provider is misconfigured (discovery, JWKS)
};

// Sends the request and returns the JSON body of a 2xx answer. Transport errors, 429, 5xx and
// non-JSON answers are oauth_provider_unavailable; other 4xx follow onClientError. `what`
// names the step in messages ("token exchange").
Result<boost::json::value> callProvider(client::HttpClient& http, std::string_view method,
                                        std::string_view url, std::string_view what,
                                        OnClientError onClientError,
                                        const client::HeaderList& headers,
                                        std::string_view formBodyText = {});

// For a token endpoint answer: refuses {"error": ...} (GitHub answers a bad code with 200 and
// an error body) and one without a string `field` ("access_token", "id_token"); returns it.
Result<std::string> tokenField(const boost::json::value& answer, std::string_view field);

// True for an absolute http(s) URL with a host.
bool isProviderUrl(std::string_view url);

}  // namespace stratus::auth::oauth
