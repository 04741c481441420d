// Requests for the SigV4 tests: built the way the HTTP server fills them in (the path and
// query decoded from the target), and signed the way an SDK would sign them.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "awscompat/sigv4.h"
#include "awscompat/sigv4_canonical.h"
#include "common/crypto.h"
#include "http/message.h"
#include "http/query.h"

namespace stratus::awscompat::testing {

inline http::Request makeRequest(std::string method, std::string target,
                                 std::vector<std::pair<std::string, std::string>> headers,
                                 std::string body = "") {
  http::Request request;
  request.method = std::move(method);
  request.target = std::move(target);
  auto parsed = http::parseTarget(request.target);
  EXPECT_TRUE(parsed) << request.target;
  if (parsed) {
    request.path = parsed->path;
    request.query = parsed->query;
  }
  for (auto& [name, value] : headers) request.headers.emplace(name, value);
  request.body = std::move(body);
  return request;
}

// Adds the Authorization header an SDK would: `signedHeaders` must be sorted and lower case,
// the date comes from X-Amz-Date.
inline void sign(http::Request& request, const std::string& accessKeyId, const std::string& secret,
                 const CredentialScope& scope, std::vector<std::string> signedHeaders) {
  auto canonical = canonicalRequest(request, signedHeaders, sha256Hex(request.body));
  ASSERT_TRUE(canonical) << canonical.error().message;
  std::string amzDate(*request.header("x-amz-date"));
  Authorization authorization{accessKeyId, scope, std::move(signedHeaders), ""};
  authorization.signature = signatureOf(secret, scope, stringToSign(amzDate, scope, *canonical));
  request.headers.erase("authorization");
  request.headers.emplace("Authorization", formatAuthorization(authorization));
}

}  // namespace stratus::awscompat::testing
