#include "client/invoke_request.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <fstream>

#include "testing/temp_dir.h"

namespace stratus::client {
namespace {

namespace json = boost::json;

TEST(ReadEvent, AnyJsonValueAsGiven) {
  for (std::string text : {R"({"a":1})", "[1,2]", "\"text\"", "42", "null", "true",
                           " {\"spaced\": [ 1 ] } "}) {
    auto event = readEvent(text);
    ASSERT_TRUE(event) << text;
    EXPECT_EQ(*event, text);
  }
  // Not re-serialised: a number no double holds reaches the handler digit for digit.
  EXPECT_EQ(readEvent("{\"n\":123456789012345678901234567890}").value(),
            "{\"n\":123456789012345678901234567890}");
}

TEST(ReadEvent, RefusesWhatIsNotJson) {
  for (std::string text : {"", "{", "{a:1}", "hello", "[1,]", "{\"a\":1} trailing"}) {
    auto event = readEvent(text);
    ASSERT_FALSE(event) << text;
    EXPECT_EQ(event.error().code, "invalid_event") << text;
    EXPECT_NE(event.error().message.find("--event"), std::string::npos);
  }
}

class ReadEventFile : public ::testing::Test {
 protected:
  std::string write(const std::string& name, const std::string& content) {
    std::string path = dir_ + "/" + name;
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }
  stratus::testing::TempDir temp_;
  std::string dir_ = temp_.path().string();
};

TEST_F(ReadEventFile, AtPathReadsTheFile) {
  std::string content = "{\n  \"order\": 17,\n  \"items\": [\"a\", \"b\"]\n}\n";
  auto event = readEvent("@" + write("event.json", content));
  ASSERT_TRUE(event) << event.error().message;
  EXPECT_EQ(*event, content);
}

TEST_F(ReadEventFile, NamesTheFileWhenItIsMissingOrNotJson) {
  EXPECT_EQ(readEvent("@" + dir_ + "/missing.json").error().code, "file_not_found");
  EXPECT_EQ(readEvent("@" + dir_).error().code, "not_a_file");
  EXPECT_EQ(readEvent("@").error().code, "file_not_found");
  std::string broken = write("broken.json", "{\"a\": ");
  auto event = readEvent("@" + broken);
  ASSERT_FALSE(event);
  EXPECT_EQ(event.error().code, "invalid_event");
  EXPECT_NE(event.error().message.find(broken), std::string::npos) << event.error().message;
  EXPECT_EQ(readEvent("@" + write("empty.json", "")).error().code, "invalid_event");
}

TEST(InvokeRequest, ScriptModeSendsTheArgsAsBefore) {
  auto request = invokeRequest("script", "calc", {"10", "5"}, std::nullopt);
  ASSERT_TRUE(request);
  EXPECT_FALSE(request->handlerMode);
  EXPECT_EQ(json::parse(request->body), json::parse(R"({"args":["10","5"]})"));
  auto none = invokeRequest("script", "calc", {}, std::nullopt);
  EXPECT_EQ(json::parse(none->body), json::parse(R"({"args":[]})"));
  // An older server that does not name the mode only had scripts.
  EXPECT_FALSE(invokeRequest("", "calc", {"1"}, std::nullopt)->handlerMode);
}

TEST(InvokeRequest, HandlerModeSendsTheEventItself) {
  auto request = invokeRequest("handler", "orders", {}, std::string(R"([1, {"a": 2}])"));
  ASSERT_TRUE(request);
  EXPECT_TRUE(request->handlerMode);
  EXPECT_EQ(request->body, R"([1, {"a": 2}])");
  // No --event: an empty object, as Lambda gives a handler invoked without a payload.
  auto empty = invokeRequest("handler", "orders", {}, std::nullopt);
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->body, "{}");
}

TEST(InvokeRequest, AMismatchIsRefusedNotIgnored) {
  auto args = invokeRequest("handler", "orders", {"1"}, std::nullopt);
  ASSERT_FALSE(args);
  EXPECT_EQ(args.error().code, "invalid_args");
  EXPECT_NE(args.error().message.find("orders is a handler-mode function"), std::string::npos);
  EXPECT_NE(args.error().message.find("--event"), std::string::npos);
  auto event = invokeRequest("script", "calc", {}, std::string("{}"));
  ASSERT_FALSE(event);
  EXPECT_EQ(event.error().code, "invalid_event");
  EXPECT_NE(event.error().message.find("calc is a script-mode function"), std::string::npos);
}

}  // namespace
}  // namespace stratus::client
