#include "docker/event_stream.h"

#include <future>
#include <optional>
#include <system_error>

#include "curl/curl_support.h"
#include "docker/api_errors.h"
#include "docker/json_decode.h"
#include "docker/transport.h"

namespace stratus::docker {
namespace {

struct MultiDeleter {
  void operator()(CURLM* multi) const { curl_multi_cleanup(multi); }
};
using MultiPtr = std::unique_ptr<CURLM, MultiDeleter>;

constexpr std::size_t kMaxErrorBody = 64u << 10;

}  // namespace

std::vector<Result<Event>> EventDecoder::feed(std::string_view chunk) {
  std::vector<Result<Event>> out;
  while (!chunk.empty()) {
    const std::size_t newline = chunk.find('\n');
    const std::string_view piece = chunk.substr(0, newline);
    const bool complete = newline != std::string_view::npos;
    chunk = complete ? chunk.substr(newline + 1) : std::string_view();
    if (!skipping_) {
      if (partial_.size() + piece.size() > maxLineBytes_) {
        skipping_ = true;
        partial_.clear();
        out.push_back(fail(ErrorKind::internal, "docker_bad_answer",
                           "the Docker daemon sent an event line over " +
                               std::to_string(maxLineBytes_) + " bytes; skipped"));
      } else {
        partial_.append(piece);
      }
    }
    if (!complete) break;
    if (!skipping_ && partial_.find_first_not_of(" \r\t") != std::string::npos) {
      out.push_back(decodeEvent(partial_));
    }
    partial_.clear();
    skipping_ = false;
  }
  return out;
}

namespace detail {

// Everything the stream's thread touches; the subscription owns it and outlives the thread.
struct EventStreamState {
  DockerEndpoint endpoint;
  std::string target;
  EventCallback onEvent;
  EndCallback onEnd;
  MultiPtr multi;
  curl::EasyPtr easy;
  char errorBuffer[CURL_ERROR_SIZE] = {};
  EventDecoder decoder;
  long status = 0;
  std::string errorBody;  // the answer's body when the daemon refused
  // Set once: accepted (headers of a 200 arrived) or refused/unreachable.
  std::promise<Status> established;
  bool establishedSet = false;
  const std::atomic<bool>* cancelled = nullptr;

  void settle(Status status) {
    if (establishedSet) return;
    establishedSet = true;
    established.set_value(std::move(status));
  }
};

}  // namespace detail

namespace {

std::size_t onHeader(char* data, std::size_t size, std::size_t count, void* user) {
  auto* state = static_cast<detail::EventStreamState*>(user);
  const std::string_view line(data, size * count);
  // The blank line ends a response's headers; after a 200 the daemon has subscribed us.
  if (line == "\r\n" || line == "\n") {
    curl_easy_getinfo(state->easy.get(), CURLINFO_RESPONSE_CODE, &state->status);
    if (state->status == 200) state->settle({});
  }
  return size * count;
}

std::size_t onData(char* data, std::size_t size, std::size_t count, void* user) {
  auto* state = static_cast<detail::EventStreamState*>(user);
  const std::string_view chunk(data, size * count);
  if (state->status != 200) {
    state->errorBody.append(
        chunk.substr(0, kMaxErrorBody - std::min(kMaxErrorBody, state->errorBody.size())));
    return size * count;
  }
  for (auto& event : state->decoder.feed(chunk)) {
    if (state->cancelled->load()) break;
    // A line that is not an event is the daemon's problem, not a reason to stop following it.
    if (event) state->onEvent(*event);
  }
  return size * count;
}

}  // namespace

EventSubscription::EventSubscription(std::unique_ptr<detail::EventStreamState> state)
    : state_(std::move(state)) {
  state_->cancelled = &cancelled_;
}

Result<EventSubscriptionPtr> EventSubscription::start(const DockerEndpoint& endpoint,
                                                      std::string target, EventCallback onEvent,
                                                      EndCallback onEnd) {
  auto state = std::make_unique<detail::EventStreamState>();
  state->endpoint = endpoint;
  state->target = std::move(target);
  state->onEvent = std::move(onEvent);
  state->onEnd = std::move(onEnd);
  state->easy = curl::newEasyHandle();
  state->multi.reset(curl_multi_init());
  if (!state->multi) return internalError("curl_multi_init failed");
  CURL* easy = state->easy.get();
  applyEndpoint(easy, state->endpoint, state->target, state->errorBuffer);
  curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, onHeader);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, state.get());
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, onData);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, state.get());
  // A quiet daemon sends nothing for hours: only TCP keep-alive may notice a dead peer.
  curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
  std::future<Status> established = state->established.get_future();

  EventSubscriptionPtr subscription(new EventSubscription(std::move(state)));
  try {
    subscription->thread_ = std::thread([raw = subscription.get()] { raw->run(); });
  } catch (const std::system_error& error) {  // out of threads: an error, not a crash
    return internalError(std::string("cannot start the event thread: ") + error.what());
  }
  Status accepted = established.get();
  if (!accepted) return std::unexpected(std::move(accepted.error()));
  return subscription;
}

void EventSubscription::run() {
  detail::EventStreamState& state = *state_;
  CURLM* multi = state.multi.get();
  CURL* easy = state.easy.get();
  curl_multi_add_handle(multi, easy);
  std::optional<CURLcode> result;
  while (!cancelled_.load()) {
    int running = 0;
    if (curl_multi_perform(multi, &running) != CURLM_OK) {
      result = CURLE_FAILED_INIT;
      break;
    }
    int queued = 0;
    while (CURLMsg* message = curl_multi_info_read(multi, &queued)) {
      if (message->msg == CURLMSG_DONE) result = message->data.result;
    }
    if (result || running == 0) break;
    curl_multi_poll(multi, nullptr, 0, 60'000, nullptr);
  }
  curl_multi_remove_handle(multi, easy);

  if (!cancelled_.load()) {
    // Ended by itself: refused, unreachable, or the daemon went away after accepting.
    Error why;
    if (result && *result != CURLE_OK) {
      why = transferError(easy, *result, state.endpoint, "follow its events", state.errorBuffer, 0);
    } else if (state.status != 200) {
      why = apiError(state.status, state.errorBody, Subject::other, "stream its events");
    } else {
      why = Error{ErrorKind::unavailable,
                  "docker_unavailable",
                  "the Docker daemon at " + state.endpoint.display + " ended the event stream",
                  {}};
    }
    if (state.establishedSet) {
      if (state.onEnd) state.onEnd(why);
    } else {
      state.settle(std::unexpected(why));
    }
  } else {
    state.settle(std::unexpected(Error{
        ErrorKind::unavailable, "docker_cancelled", "the event subscription was cancelled", {}}));
  }
  finished_.store(true);
}

void EventSubscription::cancel() {
  cancelled_.store(true);
  if (!thread_.joinable()) return;
  curl_multi_wakeup(state_->multi.get());
  if (thread_.get_id() == std::this_thread::get_id()) return;  // from a callback: no self-join
  thread_.join();
}

EventSubscription::~EventSubscription() { cancel(); }

}  // namespace stratus::docker
