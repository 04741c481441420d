// The JSON of Lambda's API, both ways: the FunctionConfiguration, AliasConfiguration and
// FunctionUrlConfig Stratus answers with, and the request bodies of CreateFunction,
// UpdateFunctionConfiguration and UpdateFunctionCode turned into Stratus's own FunctionSpec
// (so the one set of rules in api/function_spec.h validates them).
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>

#include "api/function_service.h"
#include "api/function_spec.h"
#include "store/model.h"

namespace stratus::api::lambda {

// `function` as it runs (lambda_target.h: $LATEST or a published version's snapshot),
// `code` its code version, `version` "$LATEST" or the published number.
boost::json::object functionConfiguration(const store::Function& function,
                                          const store::FunctionVersion& code,
                                          const std::string& version);
boost::json::object aliasConfiguration(const store::Alias& alias, const store::Function& function);
boost::json::object functionUrlConfig(const store::FunctionUrl& url, const store::Function& function,
                                      const std::string& baseUrl);
// Changes whenever the function's code or settings do: Lambda's RevisionId.
std::string revisionOf(const store::Function& function);

struct CreateRequest {
  FunctionSpec spec;
  UploadedCode code;
  bool publish = false;
};
Result<CreateRequest> parseCreateFunction(const boost::json::object& body);
Result<FunctionSpec> parseConfigurationUpdate(const boost::json::object& body);

struct CodeUpdate {
  UploadedCode code;
  bool publish = false;
};
Result<CodeUpdate> parseCodeUpdate(const boost::json::object& body);

// Member readers: absent is nullopt; present with another JSON type is invalid naming it.
Result<std::optional<std::string>> optionalString(const boost::json::object& body,
                                                  std::string_view member);
Result<std::optional<int64_t>> optionalInteger(const boost::json::object& body,
                                               std::string_view member);
Result<bool> optionalBool(const boost::json::object& body, std::string_view member);

}  // namespace stratus::api::lambda
