// `stratus keys ls | create NAME | revoke ID`: the API keys of the signed-in user.
#include <boost/json/object.hpp>
#include <iostream>
#include <memory>

#include "app/cli_common.h"
#include "client/exit_status.h"
#include "client/format.h"
#include "client/url.h"
#include "client/views.h"

namespace stratus::app::cli {
namespace {

struct KeyOptions {
  CommonOptions common;
  std::string argument;  // NAME for create, ID for revoke
};

int runCreate(const KeyOptions& options) {
  auto http = openClient(options.common, true);
  if (!http) return http.error();
  auto response = client::requireSuccess(
      http->postJson("/api/v1/api-keys", boost::json::object{{"name", options.argument}}));
  if (!response) return reportRequestError(response.error());
  if (options.common.json) return printRawBody(*response);
  auto body = client::parseJsonBody(*response);
  if (!body) return reportRequestError(body.error());
  const auto& apiKey = client::field(*body, "apiKey");
  std::cerr << "Created API key \"" << options.argument << "\" (id "
            << client::scalarText(client::field(apiKey, "id"))
            << "). It is shown only this once:\n";
  std::cout << "export STRATUS_API_KEY="
            << client::shellQuote(client::scalarText(client::field(*body, "key"))) << '\n';
  return client::kExitOk;
}

int runRevoke(const KeyOptions& options) {
  auto http = openClient(options.common, true);
  if (!http) return http.error();
  auto response = client::requireSuccess(
      http->del("/api/v1/api-keys/" + client::encodePathSegment(options.argument)));
  if (!response) return reportRequestError(response.error());
  if (options.common.json) {
    if (!response->body.empty()) printRawBody(*response);
    return client::kExitOk;
  }
  std::cout << "Revoked API key " << options.argument << ".\n";
  return client::kExitOk;
}

}  // namespace

void registerKeyCommands(CLI::App& app, int& exitCode) {
  auto* keys = app.add_subcommand("keys", "Manage API keys");
  keys->require_subcommand(1);

  auto list = std::make_shared<KeyOptions>();
  auto* ls = keys->add_subcommand("ls", "List your API keys");
  addCommonOptions(*ls, list->common);
  ls->callback([list, &exitCode] {
    exitCode = showGet(list->common, "/api/v1/api-keys",
                       [](const boost::json::value& body) { return client::apiKeysTable(body); });
  });

  auto create = std::make_shared<KeyOptions>();
  auto* createCommand = keys->add_subcommand("create", "Create an API key (shown once)");
  createCommand->add_option("name", create->argument, "A name to tell the key apart")->required();
  addCommonOptions(*createCommand, create->common);
  createCommand->callback([create, &exitCode] { exitCode = runCreate(*create); });

  auto revoke = std::make_shared<KeyOptions>();
  auto* revokeCommand = keys->add_subcommand("revoke", "Revoke an API key");
  revokeCommand->add_option("id", revoke->argument, "The key's id (from `stratus keys ls`)")
      ->required();
  addCommonOptions(*revokeCommand, revoke->common);
  revokeCommand->callback([revoke, &exitCode] { exitCode = runRevoke(*revoke); });
}

}  // namespace stratus::app::cli
