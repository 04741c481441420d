#include "api/lambda/lambda_names.h"

#include <sodium.h>

#include <cctype>
#include <ctime>
#include <vector>

#include "api/function_spec.h"

namespace stratus::api::lambda {
namespace {

std::vector<std::string_view> splitColons(std::string_view text) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (;;) {
    std::size_t colon = text.find(':', start);
    parts.push_back(text.substr(start, colon == std::string_view::npos ? colon : colon - start));
    if (colon == std::string_view::npos) return parts;
    start = colon + 1;
  }
}

bool allDigits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

std::unexpected<Error> notFound(std::string_view text) {
  return fail(ErrorKind::not_found, "function_not_found",
              "Function not found: " + std::string(text.substr(0, 200)));
}

}  // namespace

Result<FunctionRef> parseFunctionRef(std::string_view text, std::string_view accountId) {
  // Lambda's own bound on the whole identifier (an ARN with a qualifier).
  if (text.empty() || text.size() > 256)
    return invalid("invalid_function_name", "FunctionName must be 1 to 256 characters");
  auto parts = splitColons(text);
  FunctionRef ref;
  std::string_view account;
  if (parts.size() >= 7 && parts[0] == "arn") {
    if (parts.size() > 8 || parts[2] != "lambda" || parts[5] != "function")
      return invalid("invalid_function_name", "FunctionName is not a Lambda function ARN");
    account = parts[4];
    ref.name = parts[6];
    if (parts.size() == 8) ref.qualifier = parts[7];
  } else if (parts.size() >= 3 && parts[1] == "function") {
    if (parts.size() > 4)
      return invalid("invalid_function_name", "FunctionName is not a partial ARN");
    account = parts[0];
    ref.name = parts[2];
    if (parts.size() == 4) ref.qualifier = parts[3];
  } else if (parts.size() <= 2) {
    ref.name = parts[0];
    if (parts.size() == 2) ref.qualifier = parts[1];
  } else {
    return invalid("invalid_function_name",
                   "FunctionName must be a name, name:qualifier or a function ARN");
  }
  if (auto ok = validateName(ref.name); !ok)
    return invalid("invalid_function_name", "FunctionName: " + ok.error().message);
  if (text.back() == ':') return invalid("invalid_qualifier", "the qualifier after ':' is empty");
  if (!ref.qualifier.empty())
    if (auto ok = validateQualifier(ref.qualifier); !ok) return std::unexpected(ok.error());
  if (!account.empty() && account != accountId) return notFound(text);
  return ref;
}

Result<std::string> combineQualifier(const FunctionRef& ref,
                                     std::optional<std::string_view> query) {
  if (!query || query->empty()) return ref.qualifier;
  if (auto ok = validateQualifier(*query); !ok) return std::unexpected(ok.error());
  if (!ref.qualifier.empty() && ref.qualifier != *query)
    return invalid("invalid_qualifier",
                   "the qualifier in the function name (" + ref.qualifier +
                       ") and the Qualifier parameter (" + std::string(*query) + ") differ");
  return std::string(*query);
}

Status validateQualifier(std::string_view qualifier) {
  if (qualifier == kLatest || versionNumber(qualifier)) return {};
  if (auto ok = validateAliasName(qualifier); !ok)
    return invalid("invalid_qualifier",
                   "Qualifier must be $LATEST, a version number or an alias name");
  return {};
}

Status validateAliasName(std::string_view name) {
  bool ok = !name.empty() && name.size() <= 128 && !allDigits(name);
  for (char c : name)
    ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_');
  if (!ok)
    return invalid("invalid_alias_name",
                   "alias Name must be 1-128 letters, digits, '-' or '_' and not only digits");
  return {};
}

std::optional<int> versionNumber(std::string_view text) {
  if (!allDigits(text) || text.size() > 8 || text.front() == '0') return std::nullopt;
  return std::stoi(std::string(text));
}

std::string functionArn(std::string_view accountId, std::string_view name,
                        std::string_view qualifier) {
  std::string arn = "arn:aws:lambda:" + std::string(kRegion) + ":" + std::string(accountId) +
                    ":function:" + std::string(name);
  if (!qualifier.empty()) arn += ":" + std::string(qualifier);
  return arn;
}

Result<std::string> stratusRuntime(std::string_view aws) {
  if (aws == "python3.11") return std::string("python3.11");
  if (aws == "nodejs20.x") return std::string("nodejs20");
  if (aws == "provided.al2023" || aws == "provided.al2" || aws == "provided")
    return std::string("provided");
  return invalid("invalid_runtime",
                 "Runtime " + std::string(aws.substr(0, 64)) +
                     " is not supported; use python3.11, nodejs20.x, provided.al2023 or "
                     "provided.al2");
}

std::string awsRuntime(std::string_view stratus) {
  if (stratus == "nodejs20") return "nodejs20.x";
  if (stratus == "provided") return "provided.al2023";
  return std::string(stratus);
}

std::string lambdaTimestamp(int64_t unixMs) {
  std::time_t seconds = static_cast<std::time_t>(unixMs / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[40];
  std::size_t n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  std::snprintf(text + n, sizeof text - n, ".%03d+0000", static_cast<int>(unixMs % 1000));
  return text;
}

std::string base64Sha256(std::string_view hexDigest) {
  std::string raw(hexDigest.size() / 2, '\0');
  std::size_t length = 0;
  if (sodium_hex2bin(reinterpret_cast<unsigned char*>(raw.data()), raw.size(), hexDigest.data(),
                     hexDigest.size(), nullptr, &length, nullptr) != 0)
    return {};
  raw.resize(length);
  return base64Encode(raw);
}

std::string base64Encode(std::string_view bytes) {
  std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

Result<std::string> base64Decode(std::string_view text, std::string_view what) {
  std::string out(text.size() / 4 * 3 + 3, '\0');
  std::size_t length = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &length, &end,
                        sodium_base64_VARIANT_ORIGINAL) != 0 ||
      end != text.data() + text.size())
    return invalid("invalid_base64", std::string(what) + " is not valid base64");
  out.resize(length);
  return out;
}

}  // namespace stratus::api::lambda
