#include "client/format.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace stratus::client {
namespace {

namespace json = boost::json;

TEST(RenderTable, AlignsColumnsWithoutTrailingSpaces) {
  std::string table = renderTable({"NAME", "RUNTIME", "V"},
                                  {{"calc", "python3.11", "3"}, {"hello-world", "nodejs20", "12"}});
  EXPECT_EQ(table,
            "NAME         RUNTIME     V\n"
            "calc         python3.11  3\n"
            "hello-world  nodejs20    12\n");
}

TEST(RenderTable, HeaderOnlyAndShortRows) {
  EXPECT_EQ(renderTable({"A", "B"}, {}), "A  B\n");
  EXPECT_EQ(renderTable({"A", "B", "C"}, {{"x"}}), "A  B  C\nx\n");
}

TEST(RenderTable, CountsUtf8CodePointsNotBytes) {
  std::string table = renderTable({"N", "X"}, {{"\xC3\xA9t\xC3\xA9", "1"}, {"abcd", "2"}});
  EXPECT_EQ(table,
            "N     X\n"
            "\xC3\xA9t\xC3\xA9   1\n"
            "abcd  2\n");
}

TEST(FormatTimestamp, MillisecondsSecondsAndIsoStrings) {
  EXPECT_EQ(formatTimestamp(json::value(1714564803123)), "2024-05-01 12:00:03");
  EXPECT_EQ(formatTimestamp(json::value(1714564803)), "2024-05-01 12:00:03");
  EXPECT_EQ(formatTimestamp(json::value("2024-05-01T12:00:03.123Z")), "2024-05-01 12:00:03");
  EXPECT_EQ(formatTimestamp(json::value("2024-05-01 12:00:03")), "2024-05-01 12:00:03");
  EXPECT_EQ(formatTimestamp(json::value("yesterday")), "yesterday");
  EXPECT_EQ(formatTimestamp(json::value(nullptr)), "-");
  EXPECT_EQ(formatTimestamp(json::value(true)), "-");
}

TEST(FormatDuration, PicksAUnit) {
  EXPECT_EQ(formatDuration(json::value(0)), "0ms");
  EXPECT_EQ(formatDuration(json::value(12)), "12ms");
  EXPECT_EQ(formatDuration(json::value(999)), "999ms");
  EXPECT_EQ(formatDuration(json::value(1534)), "1.53s");
  EXPECT_EQ(formatDuration(json::value(61000)), "61.0s");
  EXPECT_EQ(formatDuration(json::value(2.4)), "2ms");
  EXPECT_EQ(formatDuration(json::value("12")), "-");
}

TEST(ScalarText, EachJsonKind) {
  EXPECT_EQ(scalarText(json::value("x")), "x");
  EXPECT_EQ(scalarText(json::value(42)), "42");
  EXPECT_EQ(scalarText(json::value(42u)), "42");
  EXPECT_EQ(scalarText(json::value(1.5)), "1.5");
  EXPECT_EQ(scalarText(json::value(true)), "yes");
  EXPECT_EQ(scalarText(json::value(false)), "no");
  EXPECT_EQ(scalarText(json::value(nullptr)), "-");
  EXPECT_EQ(scalarText(json::parse("[1]")), "-");
}

TEST(OneLine, EscapesBreaksAndCuts) {
  EXPECT_EQ(oneLine("a\nb\r\nc\n\n", 80), "a\\nb\\nc");
  EXPECT_EQ(oneLine("tab\there\x1b", 80), "tab?here?");
  EXPECT_EQ(oneLine("abcdefghij", 10), "abcdefghij");
  EXPECT_EQ(oneLine("abcdefghijk", 10), "abcdefg...");
  EXPECT_EQ(oneLine("\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", 4), "\xC3\xA9...");
  EXPECT_EQ(oneLine("", 5), "");
}

TEST(ShellQuote, QuotesOnlyWhenNeeded) {
  EXPECT_EQ(shellQuote("http://127.0.0.1:8080"), "http://127.0.0.1:8080");
  EXPECT_EQ(shellQuote("sk_abc-DEF"), "sk_abc-DEF");
  EXPECT_EQ(shellQuote("a b"), "'a b'");
  EXPECT_EQ(shellQuote("it's"), "'it'\\''s'");
  EXPECT_EQ(shellQuote("$(rm -rf)"), "'$(rm -rf)'");
  EXPECT_EQ(shellQuote(""), "''");
}

TEST(Field, MissingAndNonObjectGiveNull) {
  json::value object = json::parse(R"({"a":{"b":1}})");
  EXPECT_EQ(field(field(object, "a"), "b").as_int64(), 1);
  EXPECT_TRUE(field(object, "x").is_null());
  EXPECT_TRUE(field(json::value(3), "a").is_null());
}

}  // namespace
}  // namespace stratus::client
