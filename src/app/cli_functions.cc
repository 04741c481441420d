// `stratus ls`, `invoke`, `logs` and `rm`: one request each, shown as a table or raw JSON.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <iostream>
#include <memory>

#include "app/cli_common.h"
#include "client/exit_status.h"
#include "client/format.h"
#include "client/invoke_request.h"
#include "client/invoke_result.h"
#include "client/url.h"
#include "client/views.h"

namespace stratus::app::cli {
namespace {

struct NamedOptions {
  CommonOptions common;
  std::string name;
  std::vector<std::string> args;  // invoke
  std::string event;              // invoke; eventOption->count() says if given
  CLI::Option* eventOption = nullptr;
  int limit = 20;  // logs
};

// The function's mode decides what to send, so the CLI asks before it invokes: one more
// request, but `stratus invoke NAME` then does the right thing for either mode and a
// mismatch is a clear usage error instead of a run with an ignored event.
Result<std::string> functionMode(client::HttpClient& http, const std::string& name) {
  auto found = client::expectJson(http.get(functionPath(name)));
  if (!found) return std::unexpected(std::move(found.error()));
  const auto& mode = client::field(client::field(*found, "function"), "mode");
  return mode.is_string() ? std::string(mode.get_string()) : std::string("script");
}

int runInvoke(const NamedOptions& options) {
  std::optional<std::string> event;
  if (options.eventOption->count()) {
    auto read = client::readEvent(options.event);
    if (!read) return reportUsageError(read.error());
    event = std::move(*read);
  }
  auto http = openClient(options.common, true);
  if (!http) return http.error();
  auto mode = functionMode(*http, options.name);
  if (!mode) return reportRequestError(mode.error());
  auto request = client::invokeRequest(*mode, options.name, options.args, event);
  if (!request) return reportUsageError(request.error());
  auto response = client::requireSuccess(http->request(
      "POST", functionPath(options.name, "/invoke"), request->body, "application/json"));
  if (!response) return reportRequestError(response.error());
  client::InvokeOutcome outcome;
  if (request->handlerMode) {
    outcome = client::interpretHandlerResponse(*response);
  } else {
    auto body = client::parseJsonBody(*response);
    if (!body) return reportRequestError(body.error());
    outcome = client::interpretInvokeResult(*body);
  }
  if (options.common.json) {
    printRawBody(*response);
  } else {
    std::cout << outcome.stdoutText << std::flush;
    std::cerr << outcome.stderrText;
    for (const auto& note : outcome.notes) std::cerr << note << '\n';
  }
  return outcome.exitStatus;
}

int runRemove(const NamedOptions& options) {
  auto http = openClient(options.common, true);
  if (!http) return http.error();
  auto response = client::requireSuccess(http->del(functionPath(options.name)));
  if (!response) return reportRequestError(response.error());
  if (options.common.json) {
    if (!response->body.empty()) printRawBody(*response);
    return client::kExitOk;
  }
  std::cout << "Deleted function " << options.name << ".\n";
  return client::kExitOk;
}

CLI::App* addNamedCommand(CLI::App& app, std::string name, std::string description,
                          NamedOptions& options) {
  auto* command = app.add_subcommand(std::move(name), std::move(description));
  command->add_option("name", options.name, "Function name")->required();
  addCommonOptions(*command, options.common);
  return command;
}

}  // namespace

void registerFunctionCommands(CLI::App& app, int& exitCode) {
  auto list = std::make_shared<NamedOptions>();
  auto* ls = app.add_subcommand("ls", "List your functions");
  addCommonOptions(*ls, list->common);
  ls->callback([list, &exitCode] {
    exitCode = showGet(list->common, "/api/v1/functions", [](const boost::json::value& body) {
      const auto& functions = client::field(body, "functions");
      if (functions.is_array() && functions.get_array().empty()) {
        std::cerr << "No functions yet: deploy one with `stratus deploy FILE --name NAME`.\n";
      }
      return client::functionsTable(body);
    });
  });

  auto invoke = std::make_shared<NamedOptions>();
  auto* invokeCommand = addNamedCommand(
      app, "invoke",
      "Run a function; a script's stdout/stderr and exit status become the CLI's, a handler's "
      "result is printed as JSON",
      *invoke);
  invokeCommand->add_option("args", invoke->args,
                            "Arguments passed to a script-mode function (put -- before ones "
                            "that start with -)");
  invoke->eventOption = invokeCommand->add_option(
      "--event", invoke->event,
      "The event for a handler-mode function: JSON, or @file.json (default {})");
  invokeCommand->callback([invoke, &exitCode] { exitCode = runInvoke(*invoke); });

  auto logs = std::make_shared<NamedOptions>();
  auto* logsCommand = addNamedCommand(app, "logs", "Show a function's recent invocations", *logs);
  logsCommand->add_option("--limit", logs->limit, "How many (default 20, at most 1000)")
      ->check(CLI::Range(1, 1000));
  logsCommand->callback([logs, &exitCode] {
    std::string path = functionPath(logs->name, "/invocations") +
                       client::buildQuery({{"limit", std::to_string(logs->limit)}});
    exitCode = showGet(logs->common, path, [](const boost::json::value& body) {
      return client::invocationsTable(body);
    });
  });

  auto remove = std::make_shared<NamedOptions>();
  auto* rm = addNamedCommand(app, "rm", "Delete a function and all its versions", *remove);
  rm->callback([remove, &exitCode] { exitCode = runRemove(*remove); });
}

}  // namespace stratus::app::cli
