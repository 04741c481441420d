// Demultiplexing the 8-byte-framed log stream, on literal bytes.
#include "docker/log_frames.h"

#include <gtest/gtest.h>

#include <string>

namespace stratus::docker {
namespace {

std::string frame(char stream, const std::string& payload) {
  std::string out = {stream, 0, 0, 0};
  const auto size = static_cast<uint32_t>(payload.size());
  out.push_back(static_cast<char>(size >> 24));
  out.push_back(static_cast<char>((size >> 16) & 0xff));
  out.push_back(static_cast<char>((size >> 8) & 0xff));
  out.push_back(static_cast<char>(size & 0xff));
  return out + payload;
}

TEST(LogFrames, SplitsStdoutAndStderrInOrder) {
  const std::string bytes = frame(1, "hello ") + frame(2, "oops\n") + frame(1, "world\n");
  auto logs = demultiplexLogs(bytes);
  ASSERT_TRUE(logs);
  EXPECT_EQ(logs->out, "hello world\n");
  EXPECT_EQ(logs->err, "oops\n");
  EXPECT_FALSE(logs->truncated);
}

TEST(LogFrames, LiteralHeaderBytes) {
  // stdout, 3 bytes "ab\n"; stderr, 2 bytes "x\n".
  const std::string bytes(
      "\x01\x00\x00\x00\x00\x00\x00\x03"
      "ab\n"
      "\x02\x00\x00\x00\x00\x00\x00\x02"
      "x\n",
      8 + 3 + 8 + 2);
  auto logs = demultiplexLogs(bytes);
  ASSERT_TRUE(logs);
  EXPECT_EQ(logs->out, "ab\n");
  EXPECT_EQ(logs->err, "x\n");
}

TEST(LogFrames, BinaryPayloadAndLargeLength) {
  std::string payload(70000, '\0');
  payload[0] = 'a';
  payload[69999] = 'z';
  auto logs = demultiplexLogs(frame(1, payload));
  ASSERT_TRUE(logs);
  EXPECT_EQ(logs->out.size(), 70000u);
  EXPECT_EQ(logs->out.back(), 'z');
}

TEST(LogFrames, EmptyStreamAndEmptyFrames) {
  auto logs = demultiplexLogs("");
  ASSERT_TRUE(logs);
  EXPECT_TRUE(logs->out.empty());
  logs = demultiplexLogs(frame(1, "") + frame(2, "e"));
  ASSERT_TRUE(logs);
  EXPECT_EQ(logs->err, "e");
}

TEST(LogFrames, StdinFramesAreDropped) {
  auto logs = demultiplexLogs(frame(0, "typed") + frame(1, "shown"));
  ASSERT_TRUE(logs);
  EXPECT_EQ(logs->out, "shown");
  EXPECT_TRUE(logs->err.empty());
}

TEST(LogFrames, ACutShortLastFrameKeepsWhatArrived) {
  std::string bytes = frame(1, "complete") + frame(2, "partial payload");
  bytes.resize(bytes.size() - 8);  // "partial" arrived, " payload" did not
  auto logs = demultiplexLogs(bytes);
  ASSERT_TRUE(logs);
  EXPECT_EQ(logs->out, "complete");
  EXPECT_EQ(logs->err, "partial");
  EXPECT_TRUE(logs->truncated);

  logs = demultiplexLogs(frame(1, "x") + std::string("\x02\x00\x00", 3));  // header cut off
  ASSERT_TRUE(logs);
  EXPECT_EQ(logs->out, "x");
  EXPECT_TRUE(logs->truncated);
}

TEST(LogFrames, RefusesARawStream) {
  // A TTY container's output has no frames: "hello wo" is no header.
  auto logs = demultiplexLogs("hello world\n");
  ASSERT_FALSE(logs);
  EXPECT_EQ(logs.error().code, "docker_bad_answer");
  // A stream number past stderr, or padding that is not zero.
  EXPECT_FALSE(demultiplexLogs(std::string("\x03\x00\x00\x00\x00\x00\x00\x00", 8)));
  EXPECT_FALSE(demultiplexLogs(std::string("\x01\x00\x01\x00\x00\x00\x00\x00", 8)));
  EXPECT_FALSE(demultiplexLogs(frame(1, "fine") + "garbage!"));
}

}  // namespace
}  // namespace stratus::docker
