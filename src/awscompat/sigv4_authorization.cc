#include "awscompat/sigv4_authorization.h"

#include <algorithm>
#include <chrono>

namespace stratus::awscompat {
namespace {

// Bounds well above what any SDK sends (a Lambda Invoke signs about ten headers), so a
// hostile header costs little to refuse.
constexpr std::size_t kMaxHeaderLength = 4096;
constexpr std::size_t kMaxAccessKeyIdLength = 128;
constexpr std::size_t kMaxScopeNameLength = 63;
constexpr std::size_t kMaxSignedHeaders = 64;
constexpr std::size_t kMaxHeaderNameLength = 128;
constexpr std::size_t kSignatureLength = 64;

std::unexpected<Error> malformed(std::string message) {
  return invalid("malformed_authorization", std::move(message));
}

bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || isDigit(c); }
bool isAlnum(char c) { return isLowerAlnum(c) || (c >= 'A' && c <= 'Z'); }
bool isLowerHex(char c) { return isDigit(c) || (c >= 'a' && c <= 'f'); }

// RFC 9110 token characters without the upper-case letters: SigV4 signs header names in
// lower case, so an upper-case name in SignedHeaders can never match what was signed.
bool isLowerTokenChar(char c) {
  return isLowerAlnum(c) || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

template <class Predicate>
bool allOf(std::string_view text, Predicate predicate) {
  return std::all_of(text.begin(), text.end(), predicate);
}

// "Name=value" -> value. Only the exact, case-sensitive parameter name is accepted.
Result<std::string_view> parameterValue(std::string_view piece, std::string_view name) {
  if (piece.size() <= name.size() || !piece.starts_with(name) || piece[name.size()] != '=')
    return malformed("expected the " + std::string(name) + " parameter");
  return piece.substr(name.size() + 1);
}

Result<void> parseCredential(std::string_view credential, Authorization& out) {
  std::vector<std::string_view> parts;
  while (parts.size() < 6) {
    std::size_t slash = credential.find('/');
    parts.push_back(credential.substr(0, slash));
    if (slash == std::string_view::npos) break;
    credential.remove_prefix(slash + 1);
  }
  if (parts.size() != 5)
    return malformed("Credential must be ACCESS_KEY_ID/DATE/REGION/SERVICE/aws4_request");
  std::string_view keyId = parts[0], date = parts[1], region = parts[2], service = parts[3];
  if (keyId.empty() || keyId.size() > kMaxAccessKeyIdLength || !allOf(keyId, isAlnum))
    return malformed("the access key id must be 1 to 128 letters and digits");
  if (!isScopeDate(date)) return malformed("the credential date must be a YYYYMMDD date");
  for (std::string_view name : {region, service}) {
    if (name.empty() || name.size() > kMaxScopeNameLength ||
        !allOf(name, [](char c) { return isLowerAlnum(c) || c == '-'; }))
      return malformed("the credential region and service must be 1 to 63 of [a-z0-9-]");
  }
  if (parts[4] != "aws4_request") return malformed("the credential must end in aws4_request");
  out.accessKeyId = std::string(keyId);
  out.scope = CredentialScope{std::string(date), std::string(region), std::string(service)};
  return {};
}

Result<void> parseSignedHeaders(std::string_view list, Authorization& out) {
  while (true) {
    std::size_t semicolon = list.find(';');
    std::string_view name = list.substr(0, semicolon);
    if (name.empty() || name.size() > kMaxHeaderNameLength || !allOf(name, isLowerTokenChar))
      return malformed("SignedHeaders must be lower-case header names separated by ';'");
    // Signers sort the list; an unsorted or repeated name is not something a signer wrote.
    if (!out.signedHeaders.empty() && out.signedHeaders.back() >= name)
      return malformed("SignedHeaders must be sorted and without repeats");
    if (out.signedHeaders.size() == kMaxSignedHeaders) return malformed("too many SignedHeaders");
    out.signedHeaders.emplace_back(name);
    if (semicolon == std::string_view::npos) return {};
    list.remove_prefix(semicolon + 1);
  }
}

}  // namespace

std::string CredentialScope::toString() const {
  return date + "/" + region + "/" + service + "/aws4_request";
}

bool isScopeDate(std::string_view text) {
  if (text.size() != 8 || !allOf(text, isDigit)) return false;
  auto number = [&](std::size_t at, std::size_t length) {
    int value = 0;
    for (std::size_t i = at; i < at + length; ++i) value = value * 10 + (text[i] - '0');
    return value;
  };
  std::chrono::year_month_day day{std::chrono::year(number(0, 4)),
                                  std::chrono::month(static_cast<unsigned>(number(4, 2))),
                                  std::chrono::day(static_cast<unsigned>(number(6, 2)))};
  return day.ok();
}

Result<Authorization> parseAuthorization(std::string_view header) {
  if (header.size() > kMaxHeaderLength) return malformed("the Authorization header is too long");
  std::size_t space = header.find(' ');
  std::string_view scheme = header.substr(0, space);
  if (scheme != kSigV4Algorithm) {
    if (scheme.empty()) return malformed("the Authorization header has no scheme");
    return invalid("unsupported_algorithm",
                   "only AWS4-HMAC-SHA256 signatures in the Authorization header are supported");
  }
  if (space == std::string_view::npos)
    return malformed("the Authorization header has no parameters");
  std::string_view rest = header.substr(space + 1);

  // Exactly three comma-separated pieces; none of the values may contain a comma.
  std::string_view pieces[3];
  for (int i = 0; i < 3; ++i) {
    std::size_t comma = rest.find(',');
    if ((i < 2) == (comma == std::string_view::npos))
      return malformed("expected Credential, SignedHeaders and Signature");
    pieces[i] = rest.substr(0, comma);
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
    while (rest.starts_with(' ')) rest.remove_prefix(1);
  }

  Authorization out;
  auto credential = parameterValue(pieces[0], "Credential");
  if (!credential) return std::unexpected(credential.error());
  if (auto ok = parseCredential(*credential, out); !ok) return std::unexpected(ok.error());

  auto signedHeaders = parameterValue(pieces[1], "SignedHeaders");
  if (!signedHeaders) return std::unexpected(signedHeaders.error());
  if (auto ok = parseSignedHeaders(*signedHeaders, out); !ok) return std::unexpected(ok.error());

  auto signature = parameterValue(pieces[2], "Signature");
  if (!signature) return std::unexpected(signature.error());
  if (signature->size() != kSignatureLength || !allOf(*signature, isLowerHex))
    return malformed("Signature must be 64 lower-case hex digits");
  out.signature = std::string(*signature);
  return out;
}

std::string formatAuthorization(const Authorization& authorization) {
  std::string header = std::string(kSigV4Algorithm) + " Credential=" + authorization.accessKeyId +
                       "/" + authorization.scope.toString() + ", SignedHeaders=";
  for (std::size_t i = 0; i < authorization.signedHeaders.size(); ++i) {
    if (i > 0) header += ';';
    header += authorization.signedHeaders[i];
  }
  header += ", Signature=" + authorization.signature;
  return header;
}

}  // namespace stratus::awscompat
