// Sign-in with an outside identity provider (STYLE §3: one small interface, implementations
// picked from configuration at start-up). The routes drive a provider in two steps around
// the browser's visit to it: authorizationUrl() on "start", complete() on "callback", with
// the FlowState sealed in a cookie in between (flow_cookie.h).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "auth/oauth/flow_cookie.h"
#include "common/error.h"

namespace stratus::auth::oauth {

struct ExternalIdentity {
  std::string provider, subject, email, name;
  bool emailVerified = false;
};

class OAuthProvider {
 public:
  virtual ~OAuthProvider() = default;
  virtual std::string_view name() const = 0;  // "github" | "google"
  // Fills state/nonce/codeVerifier as this provider needs and returns the URL to send the
  // browser to.
  virtual Result<std::string> authorizationUrl(FlowState& flow, std::string_view redirectUri) = 0;
  // Exchanges the code and returns who signed in. Blocking (libcurl); called on a worker
  // thread; must be thread-safe.
  virtual Result<ExternalIdentity> complete(std::string_view code, const FlowState& flow,
                                            std::string_view redirectUri) = 0;
};
using OAuthProviderPtr = std::unique_ptr<OAuthProvider>;

}  // namespace stratus::auth::oauth
