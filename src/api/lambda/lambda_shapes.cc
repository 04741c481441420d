#include "api/lambda/lambda_shapes.h"

#include <boost/json.hpp>

#include "api/lambda/lambda_names.h"
#include "common/crypto.h"

namespace stratus::api::lambda {
namespace json = boost::json;
namespace {

std::unexpected<Error> wrongType(std::string_view member, std::string_view type) {
  return invalid("invalid_" + std::string(member),
                 std::string(member) + " must be " + std::string(type));
}

// "8-4-4-4-12" hex, the shape of Lambda's revision ids, from a digest of what they track.
std::string uuidShaped(std::string_view seed) {
  std::string hex = sha256Hex(seed).substr(0, 32);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20, 12);
}

// Environment.Variables as the JSON text parseEnv validates (string values, 4 KB).
Result<std::optional<std::string>> environmentOf(const json::object& body) {
  const auto* environment = body.if_contains("Environment");
  if (!environment || environment->is_null()) return std::nullopt;
  if (!environment->is_object()) return wrongType("Environment", "an object");
  const auto* variables = environment->as_object().if_contains("Variables");
  if (!variables || variables->is_null()) return std::string("{}");
  if (!variables->is_object()) return wrongType("Environment.Variables", "an object");
  return json::serialize(*variables);
}

// Runtime, Handler, Description, Timeout, MemorySize and Environment, shared by create and
// update; what Lambda has and Stratus does not is refused by name rather than ignored.
Result<FunctionFields> commonFields(const json::object& body) {
  FunctionFields fields;
  auto runtime = optionalString(body, "Runtime");
  if (!runtime) return std::unexpected(runtime.error());
  if (*runtime) {
    auto mapped = stratusRuntime(**runtime);
    if (!mapped) return std::unexpected(mapped.error());
    fields.runtime = *mapped;
  }
  for (auto [member, target] : {std::pair{"Handler", &fields.handler},
                                std::pair{"Description", &fields.description}}) {
    auto value = optionalString(body, member);
    if (!value) return std::unexpected(value.error());
    *target = *value;
  }
  for (auto [member, target] : {std::pair{"Timeout", &fields.timeout},
                                std::pair{"MemorySize", &fields.memory}}) {
    auto value = optionalInteger(body, member);
    if (!value) return std::unexpected(value.error());
    if (*value) *target = std::to_string(**value);
  }
  auto env = environmentOf(body);
  if (!env) return std::unexpected(env.error());
  fields.env = *env;
  for (const char* unsupported : {"Layers", "VpcConfig", "FileSystemConfigs", "ImageConfig",
                                  "KMSKeyArn", "DeadLetterConfig"}) {
    const auto* value = body.if_contains(unsupported);
    bool empty = !value || value->is_null() || (value->is_array() && value->as_array().empty()) ||
                 (value->is_object() && value->as_object().empty()) ||
                 (value->is_string() && value->as_string().empty());
    if (!empty)
      return invalid("unsupported_parameter",
                     std::string(unsupported) + " is not supported by Stratus");
  }
  if (const auto* arch = body.if_contains("Architectures"); arch && arch->is_array())
    for (const auto& name : arch->as_array())
      if (!name.is_string() || name.as_string() != "x86_64")
        return invalid("unsupported_parameter", "Architectures: only x86_64 is supported");
  return fields;
}

// Stratus's validation names its own fields (memory, env...); a Lambda caller sent
// MemorySize, Environment...: say which of theirs was wrong.
Result<FunctionSpec> validateAsLambda(const FunctionFields& fields) {
  auto spec = validateFields(fields);
  if (spec) return spec;
  static constexpr std::pair<std::string_view, std::string_view> kNames[] = {
      {"invalid_name", "FunctionName"},     {"invalid_runtime", "Runtime"},
      {"invalid_handler", "Handler"},       {"invalid_timeout", "Timeout"},
      {"invalid_memory", "MemorySize"},     {"invalid_env", "Environment.Variables"},
      {"invalid_description", "Description"}};
  for (auto [code, field] : kNames)
    if (spec.error().code == code) {
      spec.error().message = std::string(field) + ": " + spec.error().message;
      break;
    }
  return spec;
}

Result<UploadedCode> zipFileOf(const json::object& code) {
  for (const char* other : {"S3Bucket", "S3Key", "S3ObjectVersion", "ImageUri"})
    if (code.contains(other))
      return invalid("unsupported_parameter",
                     std::string("Code.") + other + " is not supported by Stratus; send the zip "
                                                    "as ZipFile");
  const auto* zip = code.if_contains("ZipFile");
  if (!zip || !zip->is_string() || zip->as_string().empty())
    return invalid("invalid_code", "ZipFile (the function's zip, base64) is required");
  auto bytes = base64Decode(zip->as_string(), "ZipFile");
  if (!bytes) return std::unexpected(bytes.error());
  return UploadedCode{"function.zip", std::move(*bytes)};
}

}  // namespace

Result<std::optional<std::string>> optionalString(const json::object& body,
                                                  std::string_view member) {
  const auto* value = body.if_contains(member);
  if (!value || value->is_null()) return std::nullopt;
  if (!value->is_string()) return wrongType(member, "a string");
  return std::string(value->as_string());
}

Result<std::optional<int64_t>> optionalInteger(const json::object& body, std::string_view member) {
  const auto* value = body.if_contains(member);
  if (!value || value->is_null()) return std::nullopt;
  if (value->is_int64()) return value->as_int64();
  if (value->is_uint64() && value->as_uint64() <= INT64_MAX)
    return static_cast<int64_t>(value->as_uint64());
  return wrongType(member, "an integer");
}

Result<bool> optionalBool(const json::object& body, std::string_view member) {
  const auto* value = body.if_contains(member);
  if (!value || value->is_null()) return false;
  if (!value->is_bool()) return wrongType(member, "true or false");
  return value->as_bool();
}

std::string revisionOf(const store::Function& function) {
  return uuidShaped(function.id + "|" + std::to_string(function.currentVersion) + "|" +
                    std::to_string(function.updatedAt));
}

json::object functionConfiguration(const store::Function& function,
                                   const store::FunctionVersion& code,
                                   const std::string& version) {
  json::object variables;
  for (const auto& [name, value] : function.env) variables[name] = value;
  const bool latest = version == kLatest;
  return json::object{
      {"FunctionName", function.name},
      {"FunctionArn", functionArn(function.userId, function.name, latest ? "" : version)},
      {"Runtime", awsRuntime(function.runtime)},
      // Stratus has no IAM: every function runs with its owner's rights, which this names.
      {"Role", "arn:aws:iam::" + function.userId + ":role/stratus-function"},
      {"Handler", function.handler},
      {"CodeSize", code.codeSize},
      {"Description", function.description},
      {"Timeout", function.timeoutS},
      {"MemorySize", function.memoryMb},
      {"LastModified", lambdaTimestamp(function.updatedAt)},
      {"CodeSha256", base64Sha256(code.codeSha256)},
      {"Version", version},
      {"Environment", json::object{{"Variables", std::move(variables)}}},
      {"TracingConfig", json::object{{"Mode", "PassThrough"}}},
      {"RevisionId", revisionOf(function)},
      // Stratus finishes creating and updating before it answers, so a function is always
      // ready; reporting so lets the SDK waiters (functionActiveV2, functionUpdatedV2) end.
      {"State", "Active"},
      {"LastUpdateStatus", "Successful"},
      {"PackageType", "Zip"},
      {"Architectures", json::array{"x86_64"}},
      {"EphemeralStorage", json::object{{"Size", 512}}},
  };
}

json::object aliasConfiguration(const store::Alias& alias, const store::Function& function) {
  json::object out{
      {"AliasArn", functionArn(function.userId, function.name, alias.name)},
      {"Name", alias.name},
      {"FunctionVersion", alias.functionVersion},
      {"Description", alias.description},
      {"RevisionId", alias.revisionId},
  };
  if (alias.additionalVersion)
    out["RoutingConfig"] = json::object{
        {"AdditionalVersionWeights",
         json::object{{*alias.additionalVersion, alias.additionalWeightPpm / 1e6}}}};
  return out;
}

json::object functionUrlConfig(const store::FunctionUrl& url, const store::Function& function,
                               const std::string& baseUrl) {
  json::object out{
      {"FunctionUrl", baseUrl + "/lambda-url/" + url.id + "/"},
      {"FunctionArn", functionArn(function.userId, function.name, url.qualifier)},
      {"AuthType", url.authType},
      {"CreationTime", lambdaTimestamp(url.createdAt)},
      {"LastModifiedTime", lambdaTimestamp(url.updatedAt)},
      {"InvokeMode", "BUFFERED"},
  };
  if (!url.cors.empty()) {
    boost::system::error_code ec;
    auto cors = json::parse(url.cors, ec);
    if (!ec) out["Cors"] = std::move(cors);
  }
  return out;
}

Result<CreateRequest> parseCreateFunction(const json::object& body) {
  auto fields = commonFields(body);
  if (!fields) return std::unexpected(fields.error());
  auto name = optionalString(body, "FunctionName");
  if (!name) return std::unexpected(name.error());
  if (!*name) return invalid("invalid_name", "FunctionName is required");
  fields->name = *name;
  if (!fields->runtime) return invalid("invalid_runtime", "Runtime is required");
  if (!fields->handler && fields->runtime != "provided")
    return invalid("invalid_handler", "Handler is required");
  // A custom runtime's bootstrap reads _HANDLER however it likes; Stratus's rule for
  // handlers still applies to what it is given.
  if (!fields->handler) fields->handler = "function.handler";
  fields->mode = "handler";
  if (auto type = optionalString(body, "PackageType"); !type) {
    return std::unexpected(type.error());
  } else if (*type && **type != "Zip") {
    return invalid("unsupported_parameter", "PackageType: only Zip is supported");
  }
  auto spec = validateAsLambda(*fields);
  if (!spec) return std::unexpected(spec.error());
  const auto* code = body.if_contains("Code");
  if (!code || !code->is_object()) return invalid("invalid_code", "Code is required");
  auto zip = zipFileOf(code->as_object());
  if (!zip) return std::unexpected(zip.error());
  auto publish = optionalBool(body, "Publish");
  if (!publish) return std::unexpected(publish.error());
  return CreateRequest{std::move(*spec), std::move(*zip), *publish};
}

Result<FunctionSpec> parseConfigurationUpdate(const json::object& body) {
  auto fields = commonFields(body);
  if (!fields) return std::unexpected(fields.error());
  return validateAsLambda(*fields);
}

Result<CodeUpdate> parseCodeUpdate(const json::object& body) {
  auto zip = zipFileOf(body);
  if (!zip) return std::unexpected(zip.error());
  auto publish = optionalBool(body, "Publish");
  if (!publish) return std::unexpected(publish.error());
  return CodeUpdate{std::move(*zip), *publish};
}

}  // namespace stratus::api::lambda
