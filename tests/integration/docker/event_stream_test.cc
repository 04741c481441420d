// Following the daemon's events: a started container's start and die arrive through the
// subscription, and ending a subscription is prompt and final.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <ctime>
#include <mutex>

#include "docker/docker_client.h"
#include "guest_image.h"
#include "testing/docker_daemon.h"

namespace stratus::docker {
namespace {

using namespace std::chrono_literals;

class EventStreamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    STRATUS_REQUIRE_DOCKER();
    auto connected = DockerClient::connect(*parseDockerHost(""));
    ASSERT_TRUE(connected) << connected.error().describe();
    client_.emplace(std::move(*connected));
    const auto root = testing::makeGuestRoot(dir_.path());
    const std::string tar = testing::tarOf(root, dir_.path());
    ASSERT_FALSE(tar.empty());
    tag_ = testing::uniqueTag("events");
    auto imported = client_->importImageFile({"stratus-test/guest", tag_, {}}, tar);
    ASSERT_TRUE(imported) << imported.error().describe();
  }
  void TearDown() override {
    if (client_ && !tag_.empty()) (void)client_->removeImage("stratus-test/guest:" + tag_, true);
  }

  std::optional<DockerClient> client_;
  ::stratus::testing::TempDir dir_;
  std::string tag_;
};

struct Seen {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<Event> events;

  bool waitFor(const std::string& action, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, timeout, [&] {
      for (const auto& event : events) {
        if (event.action == action) return true;
      }
      return false;
    });
  }
};

TEST_F(EventStreamTest, SeesAStartedContainersLife) {
  const std::string label = "org.stratus.test=" + testing::uniqueTag("events");
  Seen seen;
  auto subscription = client_->subscribeEvents(
      {{{"type", {"container"}}, {"label", {label}}}, std::time(nullptr) - 1},
      [&](const Event& event) {
        std::lock_guard lock(seen.mutex);
        seen.events.push_back(event);
        seen.changed.notify_all();
      });
  ASSERT_TRUE(subscription) << subscription.error().describe();
  EXPECT_TRUE((*subscription)->active());

  ContainerSpec spec;
  spec.image = "stratus-test/guest:" + tag_;
  spec.entrypoint = {"/guest"};
  spec.cmd = {"exit", "4"};
  spec.labels = {{"org.stratus.test", testing::uniqueTag("events")}};
  spec.networkMode = "none";
  auto created = client_->createContainer(spec);
  ASSERT_TRUE(created) << created.error().describe();
  ASSERT_TRUE(client_->startContainer(created->id));

  EXPECT_TRUE(seen.waitFor("start", 10s));
  EXPECT_TRUE(seen.waitFor("die", 10s));
  {
    std::lock_guard lock(seen.mutex);
    for (const auto& event : seen.events) {
      EXPECT_EQ(event.type, "container");
      EXPECT_EQ(event.actorId, created->id);
      EXPECT_GT(event.timeNano, 0);
      if (event.action == "die") {
        EXPECT_EQ(event.attributes.at("exitCode"), "4");
      }
    }
  }
  ASSERT_TRUE(client_->removeContainer(created->id));
  EXPECT_TRUE(seen.waitFor("destroy", 10s));

  // Ending it is prompt, and no callback runs after.
  const auto before = std::chrono::steady_clock::now();
  (*subscription)->cancel();
  EXPECT_LT(std::chrono::steady_clock::now() - before, 500ms);
  EXPECT_FALSE((*subscription)->active());
  std::size_t count;
  {
    std::lock_guard lock(seen.mutex);
    count = seen.events.size();
  }
  auto other = client_->createContainer(spec);
  ASSERT_TRUE(other);
  ASSERT_TRUE(client_->removeContainer(other->id));
  std::this_thread::sleep_for(200ms);
  std::lock_guard lock(seen.mutex);
  EXPECT_EQ(seen.events.size(), count);
}

TEST_F(EventStreamTest, DestroyingASubscriptionEndsIt) {
  const auto before = std::chrono::steady_clock::now();
  {
    auto subscription =
        client_->subscribeEvents({{{"type", {"container"}}}, {}}, [](const Event&) {});
    ASSERT_TRUE(subscription) << subscription.error().describe();
  }
  EXPECT_LT(std::chrono::steady_clock::now() - before, 1s);
}

TEST_F(EventStreamTest, ARefusedSubscriptionIsAnErrorAtOnce) {
  // The client never sends a bad query itself; ask the daemon one directly.
  auto subscription = EventSubscription::start(client_->endpoint(), "/v1.41/events?since=abc",
                                               [](const Event&) {}, {});
  ASSERT_FALSE(subscription);
  EXPECT_EQ(subscription.error().code, "docker_error") << subscription.error().describe();
  EXPECT_NE(subscription.error().message.find("abc"), std::string::npos);
}

TEST(EventStreamDown, NoDaemonIsAnErrorAtOnce) {
  auto subscription = EventSubscription::start(*parseDockerHost("unix:///nonexistent/docker.sock"),
                                               "/v1.41/events", [](const Event&) {}, {});
  ASSERT_FALSE(subscription);
  EXPECT_EQ(subscription.error().code, "docker_unavailable");
  EXPECT_NE(subscription.error().message.find("unix:///nonexistent/docker.sock"),
            std::string::npos);
}

}  // namespace
}  // namespace stratus::docker
