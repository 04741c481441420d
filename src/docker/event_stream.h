// GET /events as a subscription: a thread of its own follows the daemon's stream (one JSON
// object per line, for as long as the connection stays open) and hands each decoded event
// to a callback. Destroying the subscription (or cancel()) ends the stream at once: the
// thread's wait is woken (curl_multi_wakeup), not polled.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "common/error.h"
#include "docker/docker_host.h"
#include "docker/types.h"

namespace stratus::docker {

// Both run on the subscription's own thread, from inside libcurl's callbacks: keep them
// short (hand the event to your own queue or loop) and never let them throw.
using EventCallback = std::function<void(const Event&)>;
using EndCallback = std::function<void(const Error&)>;

namespace detail {
struct EventStreamState;  // event_stream.cc
}

// Splits the stream into lines and decodes each; pure, so it is tested on literal chunks.
class EventDecoder {
 public:
  // A line longer than this is not an event the daemon would send: it is skipped whole.
  explicit EventDecoder(std::size_t maxLineBytes = 1u << 20) : maxLineBytes_(maxLineBytes) {}

  // The events (or the errors of lines that were not events) completed by `chunk`.
  std::vector<Result<Event>> feed(std::string_view chunk);

 private:
  std::size_t maxLineBytes_;
  std::string partial_;
  bool skipping_ = false;  // inside an overlong line, until its end
};

class EventSubscription {
 public:
  // Connects and returns once the daemon accepted (HTTP 200) or refused the subscription.
  static Result<std::unique_ptr<EventSubscription>> start(const DockerEndpoint& endpoint,
                                                          std::string target, EventCallback onEvent,
                                                          EndCallback onEnd);
  ~EventSubscription();
  EventSubscription(const EventSubscription&) = delete;
  EventSubscription& operator=(const EventSubscription&) = delete;

  // Ends the stream; no callback runs once it returns. Idempotent. From inside a callback
  // it only asks (the stream ends after that callback returns); the subscription must not
  // be destroyed from inside its own callback.
  void cancel();
  // False once the stream ended, by cancel() or by itself.
  bool active() const { return !finished_.load(); }

 private:
  explicit EventSubscription(std::unique_ptr<detail::EventStreamState> state);
  void run();

  std::unique_ptr<detail::EventStreamState> state_;
  std::atomic<bool> cancelled_{false};
  std::atomic<bool> finished_{false};
  std::thread thread_;
};

using EventSubscriptionPtr = std::unique_ptr<EventSubscription>;

}  // namespace stratus::docker
