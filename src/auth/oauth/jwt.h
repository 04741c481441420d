// The compact JWS serialization (RFC 7515 §7.1) that ID tokens use:
// BASE64URL(header) "." BASE64URL(payload) "." BASE64URL(signature). Parsing only splits and
// decodes; it trusts nothing it read. Whether the signature holds is jwks.h's job, what the
// claims must say is id_token.h's. Pure.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "common/error.h"

namespace stratus::auth::oauth {

struct Jws {
  boost::json::object headerJson;
  boost::json::object payloadJson;
  std::string signingInput;  // the first two parts, dot included: what the signature covers
  std::string signature;     // raw bytes
  std::string alg;           // from the header, never empty and never "none"
  std::string kid;           // from the header; empty when absent
};

// Error code "jwt_malformed" (ErrorKind::unauthorized) for: not exactly three non-empty parts
// (the payload may not be empty either), a part that is not strict base64url, a header or
// payload that is not a JSON object, a missing or non-string "alg", alg "none" in any case,
// a non-string "kid", a "crit" header (we implement no extension, RFC 7515 §4.1.11 says
// refuse), and anything over 16 KiB.
Result<Jws> parseJws(std::string_view compact);

}  // namespace stratus::auth::oauth
