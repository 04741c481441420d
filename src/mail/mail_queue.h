// Delivery off the request path. enqueue() returns at once, so an answer such as "if that
// address has an account, we sent it a mail" takes the same time whether or not a mail
// went out: a caller cannot learn which addresses are registered by timing it.
//
// One background thread delivers in order. Transport failures (ErrorKind::unavailable) are
// retried with exponential backoff; refused messages are dropped at once. Every drop is
// logged with the recipient, subject and reason, never the body (it may hold a token).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <stop_token>
#include <thread>

#include "mail/mailer.h"

namespace stratus::mail {

struct QueueOptions {
  std::size_t capacity = 1000;                 // messages waiting, beyond the one being delivered
  int maxAttempts = 5;                         // per message, the first attempt included
  std::chrono::milliseconds firstRetry{1000};  // doubled after every failed attempt
};

class MailQueue {
 public:
  // mailer must outlive the queue; only the queue's own thread calls it.
  explicit MailQueue(Mailer& mailer, QueueOptions options = {});
  // Stops promptly: a retry that is waiting is abandoned, and so is whatever is still
  // queued (both counted in one log line). A send already under way is waited for, which
  // the mailer's own timeout bounds.
  ~MailQueue();
  MailQueue(const MailQueue&) = delete;
  MailQueue& operator=(const MailQueue&) = delete;

  // Never blocks. False (and a warning in the log) when the queue is full.
  bool enqueue(Message message);
  // Waits until nothing is queued or being delivered (retries included), at most timeout;
  // true when that happened. For tests and graceful shutdown.
  bool flush(std::chrono::milliseconds timeout);
  // Messages queued or being delivered.
  std::size_t pending() const;

 private:
  enum class Outcome { delivered, dropped, abandoned };

  void run(std::stop_token stop);
  Outcome deliver(std::stop_token stop, const Message& message);

  Mailer& mailer_;
  const QueueOptions options_;

  mutable std::mutex mutex_;
  std::condition_variable_any wake_;  // the worker: work arrived, or stop
  std::condition_variable_any idle_;  // flush(): queue drained
  std::deque<Message> queue_;
  bool busy_ = false;          // the worker holds a message outside queue_
  std::size_t abandoned_ = 0;  // taken out of queue_ but given up at stop
  std::jthread thread_;        // last: starts once everything it uses exists
};

}  // namespace stratus::mail
