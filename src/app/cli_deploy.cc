// `stratus deploy FILE --name N ...`: create the function, or when it exists upload the code
// as a new version and patch the configuration given on the command line.
#include <boost/json/object.hpp>
#include <iostream>
#include <memory>

#include "app/cli_common.h"
#include "client/deploy_spec.h"
#include "client/exit_status.h"
#include "client/format.h"
#include "client/views.h"

namespace stratus::app::cli {
namespace {

struct DeployState {
  CommonOptions common;
  client::DeployOptions deploy;
  // CLI11 2.1 has no std::optional options: values land here, and count() says if given.
  std::string runtime, handler, description, mode, concurrency, executor;
  int timeoutSeconds = 0, memoryMb = 0, prewarm = 0;
  bool isPublic = false;
  CLI::Option *runtimeOption = nullptr, *handlerOption = nullptr, *descriptionOption = nullptr,
              *timeoutOption = nullptr, *memoryOption = nullptr, *publicOption = nullptr,
              *modeOption = nullptr, *concurrencyOption = nullptr, *prewarmOption = nullptr,
              *executorOption = nullptr;

  // Fails only for a --concurrency that is neither a number nor "none".
  Status collectOptionals() {
    if (runtimeOption->count()) deploy.runtime = runtime;
    if (handlerOption->count()) deploy.handler = handler;
    if (descriptionOption->count()) deploy.description = description;
    if (timeoutOption->count()) deploy.timeoutSeconds = timeoutSeconds;
    if (memoryOption->count()) deploy.memoryMb = memoryMb;
    if (publicOption->count()) deploy.isPublic = isPublic;
    if (modeOption->count()) deploy.mode = mode;
    if (executorOption->count()) deploy.executor = executor;
    if (prewarmOption->count()) deploy.prewarm = prewarm;
    if (concurrencyOption->count()) {
      auto parsed = client::parseConcurrency(concurrency);
      if (!parsed) return std::unexpected(std::move(parsed.error()));
      deploy.concurrency = *parsed;
    }
    return {};
  }
};

int printOutcome(const CommonOptions& common, const client::ClientResponse& response,
                 std::string_view verb, std::string_view name) {
  if (common.json) return printRawBody(response);
  auto body = client::parseJsonBody(response);
  if (!body) return reportRequestError(body.error());
  const auto& function = client::field(*body, "function");
  std::cout << verb << " function " << name << " (version "
            << client::scalarText(client::field(function, "currentVersion")) << ")\n"
            << client::functionSummary(function);
  return client::kExitOk;
}

int update(client::HttpClient& http, const CommonOptions& common,
           const client::DeployOptions& deploy, const client::FilePart& code) {
  // Validate the patch before uploading, so a bad --env does not leave half an update.
  auto patch = client::patchBody(deploy);
  if (!patch) return reportUsageError(patch.error());
  // A new runtime or handler goes with the code, which the server checks against them:
  // the new code may start in a file the old one did not have.
  client::FieldList entry;
  for (const char* key : {"runtime", "handler"}) {
    if (auto* value = patch->if_contains(key); value && value->is_string()) {
      entry.emplace_back(key, std::string(value->as_string()));
      patch->erase(key);
    }
  }
  auto uploaded =
      client::requireSuccess(http.putMultipart(functionPath(deploy.name, "/code"), entry, {code}));
  if (!uploaded) return reportRequestError(uploaded.error());
  if (patch->empty()) return printOutcome(common, *uploaded, "Updated", deploy.name);
  auto patched = client::requireSuccess(http.patchJson(functionPath(deploy.name), *patch));
  if (!patched) {
    std::cerr << "note: the new code was uploaded, but the configuration was not changed\n";
    return reportRequestError(patched.error());
  }
  return printOutcome(common, *patched, "Updated", deploy.name);
}

int runDeploy(DeployState& state) {
  if (auto collected = state.collectOptionals(); !collected) {
    return reportUsageError(collected.error());
  }
  const auto& deploy = state.deploy;
  if (auto valid = client::validateDeployOptions(deploy); !valid) {
    return reportUsageError(valid.error());
  }
  auto code = client::readCodeFile(deploy.file);
  if (!code) return reportUsageError(code.error());
  auto http = openClient(state.common, true);
  if (!http) return http.error();

  auto existing = http->get(functionPath(deploy.name));
  if (!existing) return reportRequestError(existing.error());
  if (existing->ok()) return update(*http, state.common, deploy, *code);
  if (existing->status != 404) return reportRequestError(client::errorFromResponse(*existing));

  auto fields = client::createFields(deploy);
  if (!fields) return reportUsageError(fields.error());
  auto created = http->postMultipart("/api/v1/functions", *fields, {*code});
  if (!created) return reportRequestError(created.error());
  // Someone created it between our GET and POST: fall back to updating it.
  if (created->status == 409 && client::errorFromResponse(*created).code == "function_exists") {
    return update(*http, state.common, deploy, *code);
  }
  if (!created->ok()) return reportRequestError(client::errorFromResponse(*created));
  return printOutcome(state.common, *created, "Created", deploy.name);
}

}  // namespace

void registerDeployCommand(CLI::App& app, int& exitCode) {
  auto state = std::make_shared<DeployState>();
  auto* command = app.add_subcommand(
      "deploy", "Create a function from a .py/.js/.zip file, or update it if it exists");
  command->add_option("file", state->deploy.file, "Code: a .py or .js file, or a .zip")->required();
  command->add_option("--name", state->deploy.name, "Function name")->required();
  state->runtimeOption = command->add_option(
      "--runtime", state->runtime, "python3.11 or nodejs20 (default: from the file extension)");
  state->handlerOption = command->add_option("--handler", state->handler,
                                             "module.function (default: <file stem>.handler)");
  state->timeoutOption = command->add_option("--timeout", state->timeoutSeconds, "Seconds");
  state->memoryOption = command->add_option("--memory", state->memoryMb, "Megabytes");
  state->publicOption = command->add_flag("--public,!--private", state->isPublic,
                                          "Anyone may invoke it (--private: owner only)");
  state->descriptionOption = command->add_option("--description", state->description);
  state->modeOption = command->add_option(
      "--mode", state->mode,
      "script (run the file as a program, the default) or handler (handler(event, context))");
  state->executorOption = command->add_option(
      "--executor", state->executor, "Where it runs: sandbox (the default), docker or nanos");
  state->concurrencyOption =
      command->add_option("--concurrency", state->concurrency,
                          "Reserved concurrency: at most N instances at once (none: unreserved)");
  state->prewarmOption = command->add_option(
      "--prewarm", state->prewarm, "Instances kept initialised for calls (at most --concurrency)");
  command->add_option("--env", state->deploy.env, "Environment variable KEY=VALUE (repeatable)");
  addCommonOptions(*command, state->common);
  command->callback([state, &exitCode] { exitCode = runDeploy(*state); });
}

}  // namespace stratus::app::cli
