#include "mail/mail_queue.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>

namespace stratus::mail {
namespace {

using namespace std::chrono_literals;

// Records every attempt, answers from a script (then success), and can hold sends at a
// gate to simulate a slow transport.
class FakeMailer final : public Mailer {
 public:
  Status send(const Message& message) override {
    std::unique_lock lock(mutex_);
    attempts_[message.subject] += 1;
    ++sending_;
    changed_.notify_all();
    changed_.wait(lock, [this] { return gateOpen_; });
    --sending_;
    Status result;
    if (!script_.empty()) {
      result = std::move(script_.front());
      script_.pop_front();
    }
    if (result) delivered_.push_back(message.subject);
    return result;
  }
  std::string_view kind() const override { return "fake"; }

  void script(std::vector<Status> results) {
    std::lock_guard lock(mutex_);
    script_.assign(results.begin(), results.end());
  }
  void closeGate() {
    std::lock_guard lock(mutex_);
    gateOpen_ = false;
  }
  void openGate() {
    std::lock_guard lock(mutex_);
    gateOpen_ = true;
    changed_.notify_all();
  }
  bool waitUntilSending(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [this] { return sending_ > 0; });
  }
  bool waitForAttempts(const std::string& subject, int count, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return attempts_[subject] >= count; });
  }
  int attempts(const std::string& subject) {
    std::lock_guard lock(mutex_);
    return attempts_[subject];
  }
  std::vector<std::string> delivered() {
    std::lock_guard lock(mutex_);
    return delivered_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Status> script_;
  std::map<std::string, int> attempts_;
  std::vector<std::string> delivered_;
  int sending_ = 0;
  bool gateOpen_ = true;
};

Message mail(std::string subject) {
  return Message{"no-reply@example.com", "ada@example.org", std::move(subject), "body", ""};
}

Status down() { return fail(ErrorKind::unavailable, std::string(kMailUnavailable), "relay down"); }

QueueOptions fast(int maxAttempts = 5) {
  QueueOptions options;
  options.maxAttempts = maxAttempts;
  options.firstRetry = 5ms;
  return options;
}

TEST(MailQueue, DeliversInOrder) {
  FakeMailer mailer;
  MailQueue queue(mailer, fast());
  std::vector<std::string> expected;
  for (int i = 0; i < 20; ++i) {
    expected.push_back("mail " + std::to_string(i));
    ASSERT_TRUE(queue.enqueue(mail(expected.back())));
  }
  ASSERT_TRUE(queue.flush(5s));
  EXPECT_EQ(mailer.delivered(), expected);
  EXPECT_EQ(queue.pending(), 0u);
}

TEST(MailQueue, RetriesTransportFailuresWithBackoffThenDelivers) {
  FakeMailer mailer;
  mailer.script({down(), down()});
  MailQueue queue(mailer, fast());
  const auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(queue.enqueue(mail("a")));
  ASSERT_TRUE(queue.enqueue(mail("b")));
  ASSERT_TRUE(queue.flush(5s));
  EXPECT_GE(std::chrono::steady_clock::now() - start, 5ms + 10ms);  // two waits, doubling
  EXPECT_EQ(mailer.attempts("a"), 3);
  EXPECT_EQ(mailer.attempts("b"), 1);
  EXPECT_EQ(mailer.delivered(), (std::vector<std::string>{"a", "b"}));  // "b" waited for "a"
}

TEST(MailQueue, GivesUpAfterMaxAttempts) {
  FakeMailer mailer;
  mailer.script({down(), down(), down()});
  MailQueue queue(mailer, fast(3));
  ASSERT_TRUE(queue.enqueue(mail("doomed")));
  ASSERT_TRUE(queue.enqueue(mail("next")));
  ASSERT_TRUE(queue.flush(5s));
  EXPECT_EQ(mailer.attempts("doomed"), 3);
  EXPECT_EQ(mailer.delivered(), std::vector<std::string>{"next"});
}

TEST(MailQueue, DropsRefusedMessagesWithoutRetrying) {
  FakeMailer mailer;
  mailer.script({invalid("invalid_mail_address", "bad address"), internalError("bug")});
  MailQueue queue(mailer, fast());
  ASSERT_TRUE(queue.enqueue(mail("refused")));
  ASSERT_TRUE(queue.enqueue(mail("broken")));
  ASSERT_TRUE(queue.enqueue(mail("fine")));
  ASSERT_TRUE(queue.flush(5s));
  EXPECT_EQ(mailer.attempts("refused"), 1);
  EXPECT_EQ(mailer.attempts("broken"), 1);
  EXPECT_EQ(mailer.delivered(), std::vector<std::string>{"fine"});
}

TEST(MailQueue, RefusesWhenFullWithoutBlocking) {
  FakeMailer mailer;
  mailer.closeGate();
  QueueOptions options = fast();
  options.capacity = 2;
  MailQueue queue(mailer, options);
  ASSERT_TRUE(queue.enqueue(mail("in flight")));
  ASSERT_TRUE(mailer.waitUntilSending(5s));  // taken off the queue, stuck in send()
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(queue.enqueue(mail("queued 1")));
  EXPECT_TRUE(queue.enqueue(mail("queued 2")));
  EXPECT_FALSE(queue.enqueue(mail("one too many")));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 500ms);
  EXPECT_EQ(queue.pending(), 3u);
  mailer.openGate();
  ASSERT_TRUE(queue.flush(5s));
  EXPECT_EQ(mailer.delivered(), (std::vector<std::string>{"in flight", "queued 1", "queued 2"}));
}

TEST(MailQueue, FlushWaitsForTheMessageInFlight) {
  FakeMailer mailer;
  MailQueue queue(mailer, fast());
  EXPECT_TRUE(queue.flush(0ms));  // nothing to wait for
  mailer.closeGate();
  ASSERT_TRUE(queue.enqueue(mail("slow")));
  ASSERT_TRUE(mailer.waitUntilSending(5s));
  EXPECT_FALSE(queue.flush(50ms));
  EXPECT_EQ(queue.pending(), 1u);
  mailer.openGate();
  EXPECT_TRUE(queue.flush(5s));
  EXPECT_EQ(queue.pending(), 0u);
}

TEST(MailQueue, FlushWaitsForRetries) {
  FakeMailer mailer;
  mailer.script({down()});
  QueueOptions options = fast();
  options.firstRetry = 200ms;
  MailQueue queue(mailer, options);
  ASSERT_TRUE(queue.enqueue(mail("retried")));
  ASSERT_TRUE(mailer.waitForAttempts("retried", 1, 5s));
  EXPECT_FALSE(queue.flush(20ms));  // in its backoff: not done yet
  EXPECT_TRUE(queue.flush(5s));
  EXPECT_EQ(mailer.delivered(), std::vector<std::string>{"retried"});
}

TEST(MailQueue, DestructionDuringABackoffIsPrompt) {
  FakeMailer mailer;
  mailer.script({down()});
  QueueOptions options;
  options.firstRetry = std::chrono::hours(1);
  auto queue = std::make_unique<MailQueue>(mailer, options);
  ASSERT_TRUE(queue->enqueue(mail("waiting for a retry")));
  ASSERT_TRUE(queue->enqueue(mail("still queued")));
  ASSERT_TRUE(mailer.waitForAttempts("waiting for a retry", 1, 5s));
  const auto start = std::chrono::steady_clock::now();
  queue.reset();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
  EXPECT_EQ(mailer.attempts("still queued"), 0);
  EXPECT_TRUE(mailer.delivered().empty());
}

TEST(MailQueue, DestructionOfAnIdleQueueIsPrompt) {
  FakeMailer mailer;
  const auto start = std::chrono::steady_clock::now();
  { MailQueue queue(mailer); }
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
}

}  // namespace
}  // namespace stratus::mail
