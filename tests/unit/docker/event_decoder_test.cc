// The event stream's line splitting and decoding, fed in arbitrary chunks.
#include <gtest/gtest.h>

#include "docker/event_stream.h"

namespace stratus::docker {
namespace {

const std::string kStart =
    R"({"Type":"container","Action":"start","Actor":{"ID":"c1","Attributes":{"a":"1"}},"timeNano":5})";
const std::string kDie =
    R"({"Type":"container","Action":"die","Actor":{"ID":"c1","Attributes":{"exitCode":"0"}}})";

TEST(EventDecoder, WholeLines) {
  EventDecoder decoder;
  auto events = decoder.feed(kStart + "\n" + kDie + "\n");
  ASSERT_EQ(events.size(), 2u);
  ASSERT_TRUE(events[0]);
  EXPECT_EQ(events[0]->action, "start");
  EXPECT_EQ(events[1]->action, "die");
}

TEST(EventDecoder, LinesSplitAcrossChunks) {
  const std::string stream = kStart + "\n" + kDie + "\n";
  for (std::size_t step : {1u, 2u, 7u, 64u}) {
    EventDecoder decoder;
    std::vector<std::string> actions;
    for (std::size_t at = 0; at < stream.size(); at += step) {
      for (auto& event : decoder.feed(std::string_view(stream).substr(at, step))) {
        ASSERT_TRUE(event);
        actions.push_back(event->action);
      }
    }
    EXPECT_EQ(actions, (std::vector<std::string>{"start", "die"})) << "step " << step;
  }
}

TEST(EventDecoder, NothingUntilTheLineEnds) {
  EventDecoder decoder;
  EXPECT_TRUE(decoder.feed(kStart).empty());
  auto events = decoder.feed("\r\n");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_TRUE(events[0]);
}

TEST(EventDecoder, BlankLinesAreSkippedAndBadLinesReported) {
  EventDecoder decoder;
  auto events = decoder.feed("\n\r\n  \nnot json\n" + kDie + "\n");
  ASSERT_EQ(events.size(), 2u);
  EXPECT_FALSE(events[0]);
  ASSERT_TRUE(events[1]);
  EXPECT_EQ(events[1]->action, "die");
}

TEST(EventDecoder, AnOverlongLineIsSkippedWhole) {
  EventDecoder decoder(200);
  auto events = decoder.feed("{\"Action\":\"" + std::string(300, 'x'));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_FALSE(events[0]);
  EXPECT_TRUE(decoder.feed(std::string(1000, 'y')).empty());  // still inside it
  events = decoder.feed("\"}\n" + kDie + "\n");
  ASSERT_EQ(events.size(), 1u);
  ASSERT_TRUE(events[0]);
  EXPECT_EQ(events[0]->action, "die");
}

}  // namespace
}  // namespace stratus::docker
