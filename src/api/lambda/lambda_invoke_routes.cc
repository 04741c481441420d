// Invoke: RequestResponse (run and answer), Event (queue, 202; event_queue.h retries) and
// DryRun (check and answer 204), with Qualifier, X-Amz-Log-Type: Tail,
// X-Amz-Function-Error and X-Amz-Executed-Version.
#include <boost/json.hpp>
#include <cstdio>

#include "api/lambda/event_queue.h"
#include "api/request_support.h"
#include "api/lambda/lambda_names.h"
#include "api/lambda/lambda_routes.h"
#include "api/lambda/lambda_target.h"

namespace stratus::api::lambda {
namespace {

// Lambda's X-Amz-Log-Result holds at most the last 4 KB of the call's log.
constexpr std::size_t kLogTailBytes = 4096;

// The log as Lambda's tail shows it: START, what the function printed, END and REPORT.
std::string logTail(const HandlerOutcome& outcome, const std::string& version, int memoryMb) {
  const std::string& id = outcome.record.id;
  char report[256];
  std::snprintf(report, sizeof report,
                "REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %lld ms\tMemory Size: "
                "%d MB\tMax Memory Used: %lld MB",
                id.c_str(), outcome.facts.durationMs,
                static_cast<long long>(outcome.facts.billedMs), memoryMb,
                static_cast<long long>(outcome.record.memoryUsed >> 20));
  std::string text = "START RequestId: " + id + " Version: " + version + "\n" + outcome.facts.logs;
  if (!text.empty() && text.back() != '\n') text.push_back('\n');
  text += "END RequestId: " + id + "\n" + report;
  if (outcome.facts.coldStart) {
    char init[64];
    std::snprintf(init, sizeof init, "\tInit Duration: %.2f ms", outcome.facts.initDurationMs);
    text += init;
  }
  text += "\t\n";
  if (text.size() > kLogTailBytes) text.erase(0, text.size() - kLogTailBytes);
  return base64Encode(text);
}

Result<http::Response> invoke(ApiContext& context, FunctionCall& call) {
  const std::string type(call.request.header("X-Amz-Invocation-Type").value_or("RequestResponse"));
  if (type != "RequestResponse" && type != "Event" && type != "DryRun")
    return invalid("invalid_invocation_type",
                   "X-Amz-Invocation-Type must be RequestResponse, Event or DryRun");
  const std::string logType(call.request.header("X-Amz-Log-Type").value_or("None"));
  if (logType != "None" && logType != "Tail")
    return invalid("invalid_log_type", "X-Amz-Log-Type must be None or Tail");
  auto target = resolveTarget(context.store, call.function, call.qualifier, randomDraw());
  if (!target) return std::unexpected(target.error());
  std::string event = call.request.body.empty() ? std::string("{}") : call.request.body;
  boost::system::error_code ec;
  (void)boost::json::parse(event, ec);
  if (ec)
    return invalid("invalid_event", "Could not parse request body into json: " + ec.message());

  if (type == "DryRun") {
    http::Response response = noContent();
    response.setHeader("X-Amz-Executed-Version", target->version);
    return response;
  }
  if (type == "Event") {
    if (context.events == nullptr)
      return fail(ErrorKind::not_implemented, "events_unavailable",
                  "this server does not run asynchronous invocations");
    auto id = context.events->enqueue(std::move(target->function), std::move(event));
    if (!id) return std::unexpected(id.error());
    http::Response response;
    response.status = 202;
    response.setHeader("x-amzn-RequestId", *id);
    return response;
  }
  auto outcome = context.invoker.invokeHandler(target->function, std::move(event));
  if (!outcome) return std::unexpected(outcome.error());
  std::string tail;
  if (logType == "Tail") tail = logTail(*outcome, target->version, target->function.memoryMb);
  http::Response response = api::handlerResponse(std::move(*outcome));
  response.setHeader("X-Amz-Executed-Version", target->version);
  if (auto id = response.header("X-Stratus-Invocation-Id"))
    response.setHeader("x-amzn-RequestId", std::string(*id));
  if (auto error = response.header("X-Stratus-Function-Error"))
    response.setHeader("X-Amz-Function-Error", std::string(*error));
  if (!tail.empty()) response.setHeader("X-Amz-Log-Result", tail);
  return response;
}

}  // namespace

void registerInvokeRoutes(http::Router& router, ApiContext& context) {
  router.add("POST", "/2015-03-31/functions/{name}/invocations",
             functionRoute(context, [&context](FunctionCall& call) { return invoke(context, call); }));
}

}  // namespace stratus::api::lambda
