// Email verification and password reset: single-use tokens (random, stored as SHA-256,
// verify valid 24 h, reset 1 h) mailed as links to /verify and /reset.
//
// Anything whose duration depends on whether an account exists (looking the address up,
// writing a token, handing a mail over) can run through defer(), on this object's own
// thread after the response has gone: forgot-password and sign-up then answer in the same
// time for known and unknown addresses.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "auth/auth_service.h"
#include "auth/mail_templates.h"
#include "common/error.h"
#include "store/metadata_store.h"

namespace stratus::auth {

struct EmailFlowOptions {
  MailContext mail;
  int64_t verifyLifetimeMs = 24LL * 3600 * 1000;
  int64_t resetLifetimeMs = 3600LL * 1000;
  // Deferred work waits this long before it starts, so it does not compete for the CPU
  // with writing the very answer whose timing must not depend on it. Measured: without
  // the wait, forgot-password answered a known address 0.3-0.6 ms slower on 2 cores.
  std::chrono::milliseconds deferDelay{50};
};

class EmailFlows {
 public:
  // Hands a mail to delivery (MailQueue::enqueue); false when it could not be queued.
  using Deliver = std::function<bool(mail::Message)>;

  EmailFlows(store::MetadataStore& store, AuthService& auth, Deliver deliver,
             EmailFlowOptions options);
  ~EmailFlows();
  EmailFlows(const EmailFlows&) = delete;
  EmailFlows& operator=(const EmailFlows&) = delete;

  // A new verification link; older unused ones stop working.
  Status sendVerification(const store::User& user);
  Status sendAlreadyRegistered(const std::string& email);
  // Mails a reset link when the address has an account; does nothing otherwise.
  Status sendPasswordReset(const std::string& normalisedEmail);

  Result<store::User> verify(std::string_view token);
  // Checks the new password before spending the token, so a refused password leaves the
  // link usable for a second try.
  Result<store::User> resetPassword(std::string_view token, std::string_view replacement);

  // Runs work on the flows' thread, in order. Failures are the work's to log.
  void defer(std::function<void()> work);
  // Waits until deferred work is done (tests, shutdown).
  void flush();

 private:
  Result<std::string> issueToken(const std::string& userId, const std::string& kind,
                                 int64_t lifetimeMs);
  Status deliver(mail::Message message);
  void run(std::stop_token stop);

  store::MetadataStore& store_;
  AuthService& auth_;
  Deliver deliver_;
  EmailFlowOptions options_;

  std::mutex mutex_;
  std::condition_variable_any wake_;
  std::condition_variable_any idle_;
  struct Deferred {
    std::chrono::steady_clock::time_point due;
    std::function<void()> work;
  };
  std::deque<Deferred> work_;
  bool busy_ = false;
  std::jthread thread_;  // last: starts after everything it uses exists
};

}  // namespace stratus::auth
