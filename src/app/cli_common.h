// What every client subcommand shares: the --url / --api-key / --json options, opening an
// HttpClient from them, and printing errors the one way (exit_status.h). Internal to the
// cli_*.cc files.
#pragma once

#include <CLI/CLI.hpp>
#include <expected>
#include <iostream>
#include <string>
#include <string_view>

#include "client/http_client.h"
#include "client/settings.h"
#include "common/error.h"

namespace stratus::app::cli {

struct CommonOptions {
  client::ConnectionFlags connection;
  bool json = false;
};

// --url, --api-key and --json on one subcommand.
void addCommonOptions(CLI::App& command, CommonOptions& options);

// Prints "error: ..." (and a hint when there is one) on stderr; returns status.
int reportError(const Error& error, int status);
// For errors of an HTTP exchange: the status follows client::exitStatusFor.
int reportRequestError(const Error& error);
// For errors in the user's input found before any request: exit status 2.
int reportUsageError(const Error& error);

// An HttpClient for the resolved settings, or the exit status after reporting why not. With
// requireApiKey, a missing key is reported as "not authenticated" (4) without a request.
std::expected<client::HttpClient, int> openClient(const CommonOptions& options, bool requireApiKey);

// --json output: the body as the server sent it, with a final newline.
int printRawBody(const client::ClientResponse& response);

// GET path, then either the raw body (--json) or render(parsed JSON) on stdout.
template <class Render>
int showGet(const CommonOptions& options, std::string_view path, Render render);

// "/api/v1/functions/<name, escaped><suffix>"
std::string functionPath(std::string_view name, std::string_view suffix = {});

void registerAuthCommands(CLI::App& app, int& exitCode);
void registerDeployCommand(CLI::App& app, int& exitCode);
void registerFunctionCommands(CLI::App& app, int& exitCode);
void registerKeyCommands(CLI::App& app, int& exitCode);

template <class Render>
int showGet(const CommonOptions& options, std::string_view path, Render render) {
  auto http = openClient(options, true);
  if (!http) return http.error();
  auto response = client::requireSuccess(http->get(path));
  if (!response) return reportRequestError(response.error());
  if (options.json) return printRawBody(*response);
  auto body = client::parseJsonBody(*response);
  if (!body) return reportRequestError(body.error());
  std::cout << render(*body);
  return 0;
}

}  // namespace stratus::app::cli
