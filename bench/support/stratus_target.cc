#include "support/stratus_target.h"

#include <stdexcept>

#include "client/http_client.h"
#include "client/response.h"

namespace stratus::bench {

Result<StratusTarget> startStratus(std::vector<std::string> extraArgs) {
  StratusTarget target;
  target.server = e2e::ServerProcess::start(std::move(extraArgs));
  if (!target.server)
    return fail(ErrorKind::unavailable, "server_not_started", "stratus serve did not start");
  try {
    target.account = e2e::createAccount(*target.server);
  } catch (const std::exception& e) {  // the e2e helper reports failures as exceptions
    return fail(ErrorKind::unavailable, "account_not_created",
                std::string("cannot create the benchmark's account: ") + e.what());
  }
  return target;
}

Result<boost::json::object> deployFunction(const StratusTarget& target,
                                           const FunctionSource& source) {
  client::HttpClient http(target.url(), target.account.apiKey);
  client::FieldList fields{{"name", source.name}, {"handler", source.handler}};
  if (!source.runtime.empty()) fields.emplace_back("runtime", source.runtime);
  if (!source.mode.empty()) fields.emplace_back("mode", source.mode);
  if (!source.prewarm.empty()) fields.emplace_back("prewarm", source.prewarm);
  if (!source.executor.empty()) fields.emplace_back("executor", source.executor);
  auto created = client::expectJson(http.postMultipart(
      "/api/v1/functions", fields,
      {client::FilePart{"functionFile", source.fileName, source.code, "text/plain"}}));
  if (!created) return propagate(created.error(), "deploy " + source.name);
  const auto* function = created->is_object() ? created->as_object().if_contains("function") : nullptr;
  if (!function || !function->is_object())
    return internalError("deploy " + source.name + ": the answer has no function object");
  return function->as_object();
}

Status deleteFunction(const StratusTarget& target, const std::string& name) {
  client::HttpClient http(target.url(), target.account.apiKey);
  auto deleted = client::requireSuccess(http.del("/api/v1/functions/" + name));
  if (!deleted) return propagate(deleted.error(), "delete " + name);
  return {};
}

Result<std::string> fetchMetrics(const StratusTarget& target) {
  client::HttpClient http(target.url());
  auto answer = client::requireSuccess(http.get("/metrics"));
  if (!answer) return propagate(answer.error(), "read /metrics");
  return answer->body;
}

}  // namespace stratus::bench
