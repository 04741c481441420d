#include "mail/mail_queue.h"

#include <algorithm>

#include "common/log.h"

namespace stratus::mail {
namespace {

// Backoff stops growing here: a relay that is down for an hour should still get the mail
// soon after it comes back, if attempts are left.
constexpr std::chrono::milliseconds kMaxRetryDelay = std::chrono::minutes(5);

// What identifies a mail in the log. Never the body: it may hold a sign-in token.
boost::json::object logFields(const Message& message) {
  return {{"to", message.to}, {"subject", message.subject}};
}

}  // namespace

MailQueue::MailQueue(Mailer& mailer, QueueOptions options)
    : mailer_(mailer),
      options_(options),
      thread_([this](std::stop_token stop) { run(std::move(stop)); }) {}

MailQueue::~MailQueue() {
  thread_.request_stop();
  if (thread_.joinable()) thread_.join();
  // The thread is gone: no lock needed any more.
  const std::size_t dropped = queue_.size() + abandoned_;
  if (dropped > 0) {
    log::warn("mail queue stopped before delivering everything", {{"dropped", dropped}});
  }
}

bool MailQueue::enqueue(Message message) {
  {
    std::lock_guard lock(mutex_);
    if (queue_.size() < options_.capacity) {
      queue_.push_back(std::move(message));
      wake_.notify_one();
      return true;
    }
  }
  auto fields = logFields(message);
  fields["capacity"] = options_.capacity;
  log::warn("mail queue full: mail not sent", std::move(fields));
  return false;
}

bool MailQueue::flush(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return idle_.wait_for(lock, timeout, [this] { return queue_.empty() && !busy_; });
}

std::size_t MailQueue::pending() const {
  std::lock_guard lock(mutex_);
  return queue_.size() + (busy_ ? 1 : 0);
}

void MailQueue::run(std::stop_token stop) {
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, stop, [this] { return !queue_.empty(); });
    if (stop.stop_requested()) return;
    Message message = std::move(queue_.front());
    queue_.pop_front();
    busy_ = true;
    lock.unlock();
    const Outcome outcome = deliver(stop, message);
    lock.lock();
    busy_ = false;
    if (outcome == Outcome::abandoned) ++abandoned_;
    if (queue_.empty()) idle_.notify_all();
  }
}

MailQueue::Outcome MailQueue::deliver(std::stop_token stop, const Message& message) {
  const int maxAttempts = std::max(1, options_.maxAttempts);
  std::chrono::milliseconds delay = options_.firstRetry;
  for (int attempt = 1;; ++attempt) {
    Status sent = mailer_.send(message);
    if (sent) return Outcome::delivered;
    auto fields = logFields(message);
    fields["error"] = sent.error().describe();
    fields["code"] = sent.error().code;
    fields["attempt"] = attempt;
    if (sent.error().kind != ErrorKind::unavailable) {
      // Refused (or a bug): the same message would fail the same way next time.
      log::error("mail dropped: it cannot be delivered", std::move(fields));
      return Outcome::dropped;
    }
    if (attempt >= maxAttempts) {
      log::error("mail dropped: delivery kept failing", std::move(fields));
      return Outcome::dropped;
    }
    fields["retry_in_ms"] = delay.count();
    log::warn("mail delivery failed; will retry", std::move(fields));

    // Sleeps, but wakes at once for a stop; new mails queue behind this one (in order).
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, stop, delay, [] { return false; });
    if (stop.stop_requested()) return Outcome::abandoned;
    delay = std::min(delay * 2, kMaxRetryDelay);
  }
}

}  // namespace stratus::mail
