#include "auth/email_flows.h"

#include "common/clock.h"
#include "common/crypto.h"
#include "common/log.h"

namespace stratus::auth {
namespace {

constexpr std::size_t kMaxDeferred = 10000;

std::unexpected<Error> invalidToken() {
  return invalid("invalid_token", "this link is invalid or has expired");
}

}  // namespace

EmailFlows::EmailFlows(store::MetadataStore& store, AuthService& auth, Deliver deliver,
                       EmailFlowOptions options)
    : store_(store),
      auth_(auth),
      deliver_(std::move(deliver)),
      options_(std::move(options)),
      thread_([this](std::stop_token stop) { run(stop); }) {}

EmailFlows::~EmailFlows() {
  thread_.request_stop();
  wake_.notify_all();
}

Result<std::string> EmailFlows::issueToken(const std::string& userId, const std::string& kind,
                                           int64_t lifetimeMs) {
  // The newest link is the one that works: an old mail found later cannot be replayed.
  if (auto ok = store_.deleteTokens(userId, kind); !ok) return std::unexpected(ok.error());
  std::string token = newSecret();
  const int64_t now = nowMs();
  store::OneTimeToken record{sha256Hex(token), userId, kind, now, now + lifetimeMs, {}};
  if (auto ok = store_.createToken(record); !ok) return std::unexpected(ok.error());
  return token;
}

Status EmailFlows::deliver(mail::Message message) {
  if (!deliver_(std::move(message)))
    return fail(ErrorKind::unavailable, "mail_unavailable", "mail cannot be sent right now");
  return {};
}

Status EmailFlows::sendVerification(const store::User& user) {
  auto token = issueToken(user.id, "verify", options_.verifyLifetimeMs);
  if (!token) return std::unexpected(token.error());
  return deliver(verificationMail(options_.mail, user.email, *token));
}

Status EmailFlows::sendAlreadyRegistered(const std::string& email) {
  return deliver(alreadyRegisteredMail(options_.mail, email));
}

Status EmailFlows::sendPasswordReset(const std::string& normalisedEmail) {
  auto user = store_.userByEmail(normalisedEmail);
  if (!user) return user.error().kind == ErrorKind::not_found ? Status{} : std::unexpected(user.error());
  auto token = issueToken(user->id, "reset", options_.resetLifetimeMs);
  if (!token) return std::unexpected(token.error());
  return deliver(passwordResetMail(options_.mail, user->email, *token));
}

Result<store::User> EmailFlows::verify(std::string_view token) {
  if (token.empty() || token.size() > 128) return invalidToken();
  auto used = store_.consumeToken(sha256Hex(token), "verify", nowMs());
  if (!used) return used.error().kind == ErrorKind::not_found ? invalidToken()
                                                             : std::unexpected(used.error());
  if (auto ok = store_.markEmailVerified(used->userId, nowMs()); !ok)
    return std::unexpected(ok.error());
  log::info("email verified", {{"user_id", used->userId}});
  return store_.userById(used->userId);
}

Result<store::User> EmailFlows::resetPassword(std::string_view token,
                                              std::string_view replacement) {
  if (auto ok = validatePassword(replacement); !ok) return std::unexpected(ok.error());
  if (token.empty() || token.size() > 128) return invalidToken();
  auto used = store_.consumeToken(sha256Hex(token), "reset", nowMs());
  if (!used) return used.error().kind == ErrorKind::not_found ? invalidToken()
                                                             : std::unexpected(used.error());
  if (auto ok = auth_.resetPassword(used->userId, replacement); !ok)
    return std::unexpected(ok.error());
  return store_.userById(used->userId);
}

void EmailFlows::defer(std::function<void()> work) {
  {
    std::lock_guard lock(mutex_);
    if (work_.size() >= kMaxDeferred) {
      log::warn("account mail work dropped: queue full", {{"queued", work_.size()}});
      return;
    }
    work_.push_back({std::chrono::steady_clock::now() + options_.deferDelay, std::move(work)});
  }
  wake_.notify_one();
}

void EmailFlows::flush() {
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [this] { return work_.empty() && !busy_; });
}

void EmailFlows::run(std::stop_token stop) {
  while (true) {
    std::function<void()> work;
    {
      std::unique_lock lock(mutex_);
      busy_ = false;
      idle_.notify_all();
      wake_.wait(lock, stop, [this] { return !work_.empty(); });
      // Entries are due in the order they came, so the front is the next one due.
      while (!stop.stop_requested() && !work_.empty() &&
             std::chrono::steady_clock::now() < work_.front().due) {
        auto due = work_.front().due;
        wake_.wait_until(lock, stop, due, [] { return false; });
      }
      // Stopping ends the loop even with work queued; serve() flushes before it gets here.
      if (stop.stop_requested()) {
        if (!work_.empty())
          log::warn("account mail work abandoned at shutdown", {{"queued", work_.size()}});
        return;
      }
      if (work_.empty()) continue;
      work = std::move(work_.front().work);
      work_.pop_front();
      busy_ = true;
    }
    work();
  }
}

}  // namespace stratus::auth
