#include "app/cli_common.h"

#include <iostream>

#include "client/exit_status.h"
#include "client/url.h"

namespace stratus::app::cli {

void addCommonOptions(CLI::App& command, CommonOptions& options) {
  command.add_option("--url", options.connection.url,
                     "Server URL (default: $STRATUS_URL, else http://127.0.0.1:8080)");
  command.add_option("--api-key", options.connection.apiKey, "API key (default: $STRATUS_API_KEY)");
  command.add_flag("--json", options.json, "Print the raw JSON response");
}

int reportError(const Error& error, int status) {
  std::cerr << client::errorLine(error) << '\n';
  if (auto hint = client::hintFor(error)) std::cerr << *hint << '\n';
  return status;
}

int reportRequestError(const Error& error) {
  return reportError(error, client::exitStatusFor(error));
}

int reportUsageError(const Error& error) { return reportError(error, client::kExitUsage); }

std::expected<client::HttpClient, int> openClient(const CommonOptions& options,
                                                  bool requireApiKey) {
  auto settings = client::resolveSettings(options.connection, client::processEnvironment());
  if (!settings) return std::unexpected(reportUsageError(settings.error()));
  if (requireApiKey && settings->apiKey.empty()) {
    Error error{ErrorKind::unauthorized,
                "missing_api_key",
                "no API key: pass --api-key or set STRATUS_API_KEY",
                {}};
    return std::unexpected(reportError(error, client::kExitUnauthenticated));
  }
  return client::HttpClient(settings->url, settings->apiKey);
}

int printRawBody(const client::ClientResponse& response) {
  std::cout << response.body;
  if (!response.body.empty() && response.body.back() != '\n') std::cout << '\n';
  std::cout.flush();
  return client::kExitOk;
}

std::string functionPath(std::string_view name, std::string_view suffix) {
  return "/api/v1/functions/" + client::encodePathSegment(name) + std::string(suffix);
}

}  // namespace stratus::app::cli
