#include "runtime/invocation_channel.h"

#include <utility>

namespace stratus::runtime {
namespace {

Error tooLarge(const char* what) {
  return Error{ErrorKind::payload_too_large, "payload_too_large",
               std::string(what) + " is larger than the 6 MB limit", {}};
}

Outcome failedOutcome(std::string errorType, std::string message) {
  Outcome outcome;
  outcome.kind = Outcome::Kind::function_error;
  outcome.errorType = errorType;
  outcome.body = R"({"errorType":")" + errorType + R"(","errorMessage":")" + message + R"("})";
  return outcome;
}

}  // namespace

Status InvocationChannel::submit(Event event, Complete done) {
  if (event.payload.size() > kMaxPayloadBytes) return std::unexpected(tooLarge("the event"));
  Deliver deliver;
  Event delivered;
  std::optional<Outcome> initFailure;
  {
    std::lock_guard lock(mutex_);
    if (broken_ && initFailure_) {
      // The runtime failed to start before anyone asked: this event gets that answer.
      initFailure = std::exchange(initFailure_, std::nullopt);
    } else if (broken_) {
      return fail(ErrorKind::unavailable, "instance_broken", "the instance can take no more events");
    }
  }
  if (initFailure) {
    done(std::move(*initFailure));
    return {};
  }
  {
    std::lock_guard lock(mutex_);
    if (broken_) {
      return fail(ErrorKind::unavailable, "instance_broken", "the instance can take no more events");
    }
    if (pending_ || inFlight_) {
      return fail(ErrorKind::conflict, "instance_busy", "the instance is serving another event");
    }
    if (waiting_) {
      deliver = std::exchange(waiting_, nullptr);
      pending_ = Pending{std::move(event), std::move(done)};
      startInFlight();
      delivered = inFlight_->event;
    } else {
      pending_ = Pending{std::move(event), std::move(done)};
    }
  }
  if (deliver && !deliver(delivered)) undeliver(delivered.context.requestId);
  return {};
}

Status InvocationChannel::awaitNext(Deliver deliver) {
  std::optional<Pending> skipped;
  Event delivered;
  bool deliverNow = false;
  {
    std::lock_guard lock(mutex_);
    if (waiting_) {
      return fail(ErrorKind::conflict, "already_polling", "a /next request is already waiting");
    }
    // Asking for the next event without answering the current one: the runtime lost it.
    skipped = takeInFlight();
    if (!broken_ && pending_) {
      startInFlight();
      delivered = inFlight_->event;
      deliverNow = true;
    } else if (!broken_) {
      waiting_ = std::move(deliver);
    }
  }
  if (skipped) {
    skipped->complete(failedOutcome("Runtime.NoResponse",
                                "the runtime asked for the next event without answering this one"));
  }
  if (deliverNow && !deliver(delivered)) undeliver(delivered.context.requestId);
  return {};
}

void InvocationChannel::cancelWait() {
  std::lock_guard lock(mutex_);
  waiting_ = nullptr;
}

void InvocationChannel::undeliver(const std::string& requestId) {
  std::lock_guard lock(mutex_);
  if (inFlight_ && !pending_ && inFlight_->event.context.requestId == requestId) {
    pending_ = std::exchange(inFlight_, std::nullopt);
  }
}

Status InvocationChannel::respond(const std::string& requestId, std::string body) {
  std::optional<Pending> done;
  {
    std::lock_guard lock(mutex_);
    if (!inFlight_ || inFlight_->event.context.requestId != requestId) {
      return fail(ErrorKind::not_found, "unknown_request_id", "no event in flight has this id");
    }
    done = takeInFlight();
  }
  if (body.size() > kMaxPayloadBytes) {
    done->complete(failedOutcome("Function.ResponseSizeTooLarge",
                             "the response is larger than the 6 MB limit"));
    return std::unexpected(tooLarge("the response"));
  }
  done->complete(Outcome{Outcome::Kind::response, std::move(body), {}, {}});
  return {};
}

Status InvocationChannel::reportError(const std::string& requestId, std::string errorType,
                                      std::string body) {
  std::optional<Pending> done;
  {
    std::lock_guard lock(mutex_);
    if (!inFlight_ || inFlight_->event.context.requestId != requestId) {
      return fail(ErrorKind::not_found, "unknown_request_id", "no event in flight has this id");
    }
    done = takeInFlight();
  }
  if (body.size() > kMaxPayloadBytes) {
    done->complete(failedOutcome(errorType.empty() ? "Runtime.Unknown" : errorType,
                             "the error report is larger than the 6 MB limit"));
    return std::unexpected(tooLarge("the error report"));
  }
  done->complete(Outcome{Outcome::Kind::function_error, std::move(body), std::move(errorType), {}});
  return {};
}

Status InvocationChannel::reportInitError(std::string errorType, std::string body) {
  std::optional<Pending> pending, inFlight;
  {
    std::lock_guard lock(mutex_);
    broken_ = true;
    waiting_ = nullptr;
    pending = std::exchange(pending_, std::nullopt);
    inFlight = takeInFlight();
    if (body.size() > kMaxPayloadBytes) body = R"({"errorMessage":"init error report too large"})";
    if (!pending && !inFlight) initFailure_ = Outcome{Outcome::Kind::init_error, body, errorType, {}};
  }
  for (auto* failed : {&pending, &inFlight}) {
    if (*failed) (*failed)->complete(Outcome{Outcome::Kind::init_error, body, errorType, {}});
  }
  return {};
}

void InvocationChannel::abandon(Error reason) {
  std::optional<Pending> pending, inFlight;
  {
    std::lock_guard lock(mutex_);
    broken_ = true;
    waiting_ = nullptr;
    pending = std::exchange(pending_, std::nullopt);
    inFlight = takeInFlight();
  }
  for (auto* failed : {&pending, &inFlight}) {
    if (*failed) (*failed)->complete(Outcome{Outcome::Kind::abandoned, {}, {}, reason});
  }
}

bool InvocationChannel::settled() const {
  std::lock_guard lock(mutex_);
  return static_cast<bool>(waiting_) || initFailure_.has_value() || broken_;
}

bool InvocationChannel::busy() const {
  std::lock_guard lock(mutex_);
  return pending_.has_value() || inFlight_.has_value();
}

bool InvocationChannel::broken() const {
  std::lock_guard lock(mutex_);
  return broken_;
}

void InvocationChannel::startInFlight() {
  inFlight_ = std::exchange(pending_, std::nullopt);
  inFlight_->deliveredAt = std::chrono::steady_clock::now();
  // The deadline the runtime is told runs from now, not from when the call was queued.
  if (inFlight_->event.timeoutMs > 0) {
    auto wall = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::system_clock::now().time_since_epoch());
    inFlight_->event.context.deadlineMs = wall.count() + inFlight_->event.timeoutMs;
  }
}

std::optional<std::chrono::steady_clock::time_point> InvocationChannel::inFlightSince() const {
  std::lock_guard lock(mutex_);
  if (!inFlight_) return std::nullopt;
  return inFlight_->deliveredAt;
}

std::optional<InvocationChannel::Pending> InvocationChannel::takeInFlight() {
  return std::exchange(inFlight_, std::nullopt);
}

}  // namespace stratus::runtime
