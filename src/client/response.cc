#include "client/response.h"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <cctype>

namespace stratus::client {
namespace {

constexpr std::size_t kBodySnippetLimit = 200;

std::string toLower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

const char* reasonPhrase(long status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 409:
      return "Conflict";
    case 413:
      return "Payload Too Large";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "";
  }
}

// The first line of a body, trimmed and cut short, printable characters only: enough to
// recognise "502 Bad Gateway" from nginx without dumping a whole HTML page on the terminal.
std::string bodySnippet(std::string_view body) {
  std::size_t start = 0;
  while (start < body.size() && std::isspace(static_cast<unsigned char>(body[start]))) ++start;
  std::string line;
  for (std::size_t i = start; i < body.size() && body[i] != '\n' && body[i] != '\r'; ++i) {
    unsigned char c = static_cast<unsigned char>(body[i]);
    line += (c >= 0x20 && c != 0x7F) ? static_cast<char>(c) : '?';
    if (line.size() >= kBodySnippetLimit) {
      line += "...";
      break;
    }
  }
  while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) line.pop_back();
  return line;
}

std::string genericMessage(long status, std::string_view body) {
  std::string message = "the server answered HTTP " + std::to_string(status);
  if (const char* reason = reasonPhrase(status); *reason) {
    message += ' ';
    message += reason;
  }
  if (std::string snippet = bodySnippet(body); !snippet.empty()) {
    message += ": ";
    message += snippet;
  }
  return message;
}

const boost::json::string* stringField(const boost::json::object& object, std::string_view key) {
  auto it = object.find(key);
  if (it == object.end() || !it->value().is_string()) return nullptr;
  return &it->value().get_string();
}

}  // namespace

std::optional<std::string_view> ClientResponse::header(std::string_view name) const {
  auto it = headers.find(toLower(name));
  if (it == headers.end()) return std::nullopt;
  return std::string_view(it->second);
}

bool isTransportError(const Error& error) {
  return error.code == kConnectionFailed || error.code == kRequestTimeout;
}

ErrorKind errorKindFromStatus(long status) {
  switch (status) {
    case 400:
      return ErrorKind::invalid_argument;
    case 401:
      return ErrorKind::unauthorized;
    case 403:
      return ErrorKind::forbidden;
    case 404:
      return ErrorKind::not_found;
    case 409:
      return ErrorKind::conflict;
    case 413:
      return ErrorKind::payload_too_large;
    case 429:
      return ErrorKind::rate_limited;
    case 501:
      return ErrorKind::not_implemented;
    case 502:
    case 503:
    case 504:
      return ErrorKind::unavailable;
    default:
      return status >= 500 ? ErrorKind::internal : ErrorKind::invalid_argument;
  }
}

Error errorFromResponse(const ClientResponse& response) {
  Error error;
  error.kind = errorKindFromStatus(response.status);
  error.code = "http_" + std::to_string(response.status);

  boost::system::error_code parseError;
  boost::json::value body = boost::json::parse(response.body, parseError);
  if (!parseError && body.is_object()) {
    const auto& object = body.get_object();
    auto it = object.find("error");
    if (it != object.end() && it->value().is_object()) {
      const auto& detail = it->value().get_object();
      const auto* code = stringField(detail, "code");
      const auto* message = stringField(detail, "message");
      if (code && !code->empty()) error.code = std::string(*code);
      if (message && !message->empty()) {
        error.message = std::string(*message);
        return error;
      }
    } else if (it != object.end() && it->value().is_string() && !it->value().get_string().empty()) {
      error.message = std::string(it->value().get_string());
      return error;
    } else if (const auto* message = stringField(object, "message"); message && !message->empty()) {
      error.message = std::string(*message);
      return error;
    }
  }
  error.message = genericMessage(response.status, response.body);
  return error;
}

Result<ClientResponse> requireSuccess(Result<ClientResponse> response) {
  if (response && !response->ok()) return std::unexpected(errorFromResponse(*response));
  return response;
}

Result<boost::json::value> parseJsonBody(const ClientResponse& response) {
  boost::system::error_code parseError;
  boost::json::value body = boost::json::parse(response.body, parseError);
  if (parseError) {
    return fail(ErrorKind::internal, std::string(kInvalidResponse),
                "the server answered HTTP " + std::to_string(response.status) +
                    " with a body that is not JSON");
  }
  return body;
}

Result<boost::json::value> expectJson(Result<ClientResponse> response) {
  auto checked = requireSuccess(std::move(response));
  if (!checked) return std::unexpected(std::move(checked.error()));
  return parseJsonBody(*checked);
}

}  // namespace stratus::client
