// The per-instance rendezvous between the host and the runtime's /next loop.
#include "runtime/invocation_channel.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace stratus::runtime {
namespace {

Event event(const std::string& id, std::string payload = R"({"a":1})") {
  return Event{InvocationContext{.requestId = id, .deadlineMs = 1, .functionArn = "arn"},
               std::move(payload)};
}

struct Recorder {
  std::vector<Outcome> outcomes;
  InvocationChannel::Complete sink() {
    return [this](Outcome outcome) { outcomes.push_back(std::move(outcome)); };
  }
};

TEST(InvocationChannel, AnEventSubmittedFirstIsDeliveredToTheNextPoll) {
  InvocationChannel channel;
  Recorder done;
  ASSERT_TRUE(channel.submit(event("r1"), done.sink()));
  std::string delivered;
  ASSERT_TRUE(channel.awaitNext([&](const Event& e) { delivered = e.context.requestId; return true; }));
  EXPECT_EQ(delivered, "r1");
  ASSERT_TRUE(channel.respond("r1", R"({"ok":true})"));
  ASSERT_EQ(done.outcomes.size(), 1u);
  EXPECT_EQ(done.outcomes[0].kind, Outcome::Kind::response);
  EXPECT_EQ(done.outcomes[0].body, R"({"ok":true})");
  EXPECT_FALSE(channel.busy());
}

TEST(InvocationChannel, AWaitingPollGetsTheEventWhenItIsSubmitted) {
  InvocationChannel channel;
  std::string delivered;
  ASSERT_TRUE(channel.awaitNext([&](const Event& e) { delivered = e.payload; return true; }));
  EXPECT_EQ(delivered, "");
  Recorder done;
  ASSERT_TRUE(channel.submit(event("r1", "[1,2]"), done.sink()));
  EXPECT_EQ(delivered, "[1,2]");
  EXPECT_TRUE(channel.busy());
  ASSERT_TRUE(channel.reportError("r1", "ValueError", R"({"errorType":"ValueError"})"));
  ASSERT_EQ(done.outcomes.size(), 1u);
  EXPECT_EQ(done.outcomes[0].kind, Outcome::Kind::function_error);
  EXPECT_EQ(done.outcomes[0].errorType, "ValueError");
}

TEST(InvocationChannel, OneEventAtATimeAndOnlyItsIdAnswersIt) {
  InvocationChannel channel;
  Recorder done;
  ASSERT_TRUE(channel.submit(event("r1"), done.sink()));
  EXPECT_EQ(channel.submit(event("r2"), done.sink()).error().code, "instance_busy");
  ASSERT_TRUE(channel.awaitNext([](const Event&) { return true; }));
  EXPECT_EQ(channel.respond("r2", "{}").error().code, "unknown_request_id");
  ASSERT_TRUE(channel.respond("r1", "{}"));
  EXPECT_EQ(channel.respond("r1", "{}").error().code, "unknown_request_id") << "answered twice";
  EXPECT_EQ(done.outcomes.size(), 1u);
  EXPECT_EQ(channel.awaitNext([](const Event&) { return true; }).has_value(), true);
  EXPECT_EQ(channel.awaitNext([](const Event&) { return true; }).error().code, "already_polling");
}

TEST(InvocationChannel, AnEventAClosedConnectionCouldNotTakeWaitsForTheNextPoll) {
  InvocationChannel channel;
  ASSERT_TRUE(channel.awaitNext([](const Event&) { return false; }));  // its connection closed
  Recorder done;
  ASSERT_TRUE(channel.submit(event("r1"), done.sink()));
  std::string delivered;
  ASSERT_TRUE(channel.awaitNext([&](const Event& e) {
    delivered = e.context.requestId;
    return true;
  }));
  EXPECT_EQ(delivered, "r1");
  EXPECT_TRUE(done.outcomes.empty());
  channel.cancelWait();  // nothing waiting: harmless
  ASSERT_TRUE(channel.respond("r1", "{}"));
  EXPECT_EQ(done.outcomes.size(), 1u);
}

TEST(InvocationChannel, PollingAgainWithoutAnsweringFailsTheLostEvent) {
  InvocationChannel channel;
  Recorder done;
  ASSERT_TRUE(channel.submit(event("r1"), done.sink()));
  ASSERT_TRUE(channel.awaitNext([](const Event&) { return true; }));
  ASSERT_TRUE(channel.awaitNext([](const Event&) { return true; }));
  ASSERT_EQ(done.outcomes.size(), 1u);
  EXPECT_EQ(done.outcomes[0].errorType, "Runtime.NoResponse");
  EXPECT_FALSE(channel.busy());
}

TEST(InvocationChannel, PayloadsPastSixMegabytesAreRefusedAndTheCallerHears) {
  InvocationChannel channel;
  Recorder done;
  EXPECT_EQ(channel.submit(event("big", std::string(kMaxPayloadBytes + 1, 'x')), done.sink())
                .error()
                .kind,
            ErrorKind::payload_too_large);
  ASSERT_TRUE(channel.submit(event("r1"), done.sink()));
  ASSERT_TRUE(channel.awaitNext([](const Event&) { return true; }));
  auto refused = channel.respond("r1", std::string(kMaxPayloadBytes + 1, 'x'));
  EXPECT_EQ(refused.error().kind, ErrorKind::payload_too_large);
  ASSERT_EQ(done.outcomes.size(), 1u);
  EXPECT_EQ(done.outcomes[0].errorType, "Function.ResponseSizeTooLarge");
}

TEST(InvocationChannel, InitErrorAndAbandonFailTheEventAndBreakTheInstance) {
  InvocationChannel channel;
  Recorder done;
  ASSERT_TRUE(channel.submit(event("r1"), done.sink()));
  ASSERT_TRUE(channel.reportInitError("Runtime.ImportModuleError", R"({"errorMessage":"no"})"));
  ASSERT_EQ(done.outcomes.size(), 1u);
  EXPECT_EQ(done.outcomes[0].kind, Outcome::Kind::init_error);
  EXPECT_TRUE(channel.broken());
  EXPECT_EQ(channel.submit(event("r2"), done.sink()).error().code, "instance_broken");

  InvocationChannel timedOut;
  ASSERT_TRUE(timedOut.awaitNext([](const Event&) { return true; }));
  ASSERT_TRUE(timedOut.submit(event("r3"), done.sink()));
  timedOut.abandon(Error{ErrorKind::unavailable, "timeout", "Task timed out after 3.00 seconds", {}});
  ASSERT_EQ(done.outcomes.size(), 2u);
  EXPECT_EQ(done.outcomes[1].kind, Outcome::Kind::abandoned);
  EXPECT_EQ(done.outcomes[1].reason.code, "timeout");
  EXPECT_EQ(timedOut.respond("r3", "{}").error().code, "unknown_request_id") << "too late";
}

TEST(InvocationChannel, EveryEventCompletesExactlyOnceUnderRacingThreads) {
  constexpr int kEvents = 2000;
  InvocationChannel channel;
  std::atomic<int> completed{0};
  std::thread runtime([&] {
    std::atomic<int> served{0};
    while (served < kEvents) {
      std::string id;
      std::atomic<bool> got{false};
      if (!channel.awaitNext([&](const Event& e) {
            id = e.context.requestId;
            got = true;
            return true;
          })) {
        continue;
      }
      while (!got) std::this_thread::yield();
      ASSERT_TRUE(channel.respond(id, "{}"));
      ++served;
    }
  });
  for (int i = 0; i < kEvents; ++i) {
    std::atomic<bool> finished{false};
    while (!channel.submit(event("r" + std::to_string(i)), [&](Outcome outcome) {
             EXPECT_EQ(outcome.kind, Outcome::Kind::response);
             ++completed;
             finished = true;
           })) {
      std::this_thread::yield();
    }
    while (!finished) std::this_thread::yield();
  }
  runtime.join();
  EXPECT_EQ(completed, kEvents);
}

}  // namespace
}  // namespace stratus::runtime
