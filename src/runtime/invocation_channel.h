// One instance's half of the Runtime API: the rendezvous between the host, which hands an
// event to the instance, and the runtime inside it, which long-polls /next and posts a
// response or an error. At most one event is in flight per instance (Lambda's model: an
// instance serves one invocation at a time). Transport-free: the HTTP listener calls
// awaitNext/respond/reportError/reportInitError; the pool calls submit/abandon.
//
// Thread-safe. Callbacks run outside the lock, on the thread of the call that triggers
// them, so a callback may call back into the channel.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "common/error.h"
#include "runtime/runtime_api.h"

namespace stratus::runtime {

struct Event {
  InvocationContext context;
  std::string payload;  // JSON
  // When set, context.deadlineMs is stamped at delivery: now + timeoutMs.
  int64_t timeoutMs = 0;
};

struct Outcome {
  enum class Kind {
    response,        // the function returned: body is its JSON
    function_error,  // the function failed: body is Lambda's error object, errorType its type
    init_error,      // the runtime could not start: same shape; the instance is unusable
    abandoned,       // the host gave up (timeout, crash, shutdown): see `reason`
  };
  Kind kind = Kind::response;
  std::string body;
  std::string errorType;
  Error reason;  // for abandoned
  // When the runtime took the event (its /next answered); unset if it never did. For a
  // cold start the time before it is initialisation, the time after it the run.
  std::chrono::steady_clock::time_point deliveredAt{};
};

class InvocationChannel {
 public:
  // Returns false when it can no longer deliver (its connection closed): the event then
  // stays pending for the next poll instead of being lost in flight.
  using Deliver = std::function<bool(const Event&)>;
  using Complete = std::function<void(Outcome)>;

  // Host: gives the instance `event`; `done` runs exactly once with its outcome. conflict
  // "instance_busy" while another event is pending or in flight; unavailable
  // "instance_broken" after an init error or abandon; payload_too_large past 6 MB.
  Status submit(Event event, Complete done);

  // Runtime: a GET /next arrived. `deliver` runs now if an event is pending, else when one
  // is submitted. A second poll while one waits is conflict "already_polling" (one runtime
  // loop per instance); a poll while an event is in flight means the runtime moved on
  // without answering it, which abandons that event as a runtime error.
  Status awaitNext(Deliver deliver);

  // Runtime: the result, or the error object, of the event in flight. not_found
  // "unknown_request_id" for any other id (an old one answered twice included);
  // payload_too_large past 6 MB, which also fails the event so the caller hears of it.
  Status respond(const std::string& requestId, std::string body);
  Status reportError(const std::string& requestId, std::string errorType, std::string body);
  // Runtime: start-up failed. Fails the event in flight, if any, and breaks the channel;
  // with none, the next submit gets the error as its outcome.
  Status reportInitError(std::string errorType, std::string body);

  // Runtime: the connection of a waiting /next closed; forget it.
  void cancelWait();

  // Host: the instance timed out, crashed or is being shut down. Completes the pending or
  // in-flight event with `reason` and breaks the channel.
  void abandon(Error reason);

  bool busy() const;
  bool broken() const;
  // Whether the runtime has finished starting: a /next is parked (it is ready for an
  // event), or it reported an init error, or the channel broke (waiting longer is pointless).
  bool settled() const;
  // When the runtime took the event in flight; unset when none is.
  std::optional<std::chrono::steady_clock::time_point> inFlightSince() const;

 private:
  struct Pending {
    Event event;
    Complete done;
    std::chrono::steady_clock::time_point deliveredAt{};
    void complete(Outcome outcome) {
      outcome.deliveredAt = deliveredAt;
      done(std::move(outcome));
    }
  };
  // Moves pending_ to inFlight_ and stamps the hand-over; under the lock.
  void startInFlight();
  // Takes what must be completed, under the lock; the caller completes it after unlocking.
  std::optional<Pending> takeInFlight();
  // `deliver` refused the event with this id: make it pending again, if still in flight.
  void undeliver(const std::string& requestId);

  mutable std::mutex mutex_;
  std::optional<Pending> pending_;   // submitted, not yet taken by /next
  std::optional<Pending> inFlight_;  // taken by /next, not yet answered
  Deliver waiting_;                  // a /next with nothing to deliver yet
  bool broken_ = false;
  std::optional<Outcome> initFailure_;  // an init error nobody was waiting for yet
};

}  // namespace stratus::runtime
