#include "metrics/text_format.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "metrics/names.h"

namespace stratus::metrics {
namespace {

TEST(TextFormat, LabelValuesEscapeBackslashQuoteAndNewline) {
  EXPECT_EQ(escapeLabelValue("plain"), "plain");
  EXPECT_EQ(escapeLabelValue(R"(C:\dir)"), R"(C:\\dir)");
  EXPECT_EQ(escapeLabelValue(R"(say "hi")"), R"(say \"hi\")");
  EXPECT_EQ(escapeLabelValue("two\nlines"), R"(two\nlines)");
  EXPECT_EQ(escapeLabelValue("\\\"\n"), R"(\\\"\n)");
  // Other control characters and UTF-8 pass through: the format only escapes these three.
  EXPECT_EQ(escapeLabelValue("tab\there é"), "tab\there é");
}

TEST(TextFormat, HelpEscapesBackslashAndNewlineButNotQuotes) {
  EXPECT_EQ(escapeHelp(R"(a "quoted" \ word)" "\nnext"), R"(a "quoted" \\ word\nnext)");
}

TEST(TextFormat, NumbersReadBackAsTheSameDouble) {
  EXPECT_EQ(formatNumber(0.0), "0");
  EXPECT_EQ(formatNumber(1.0), "1");
  EXPECT_EQ(formatNumber(-2.5), "-2.5");
  EXPECT_EQ(formatNumber(0.005), "0.005");
  EXPECT_EQ(formatNumber(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(formatNumber(1e6), "1e+06");
  EXPECT_EQ(formatNumber(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(formatNumber(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(formatNumber(std::nan("")), "NaN");
  EXPECT_EQ(formatNumber(18446744073709551615ULL), "18446744073709551615");
}

TEST(TextFormat, LabelSets) {
  EXPECT_EQ(formatLabels({}, {}), "");
  EXPECT_EQ(formatLabels({"a", "b"}, {"x", "y\"z"}), R"({a="x",b="y\"z"})");
  EXPECT_EQ(formatLabels({}, {}, "le", "+Inf"), R"({le="+Inf"})");
  EXPECT_EQ(formatLabels({"a"}, {"x"}, "le", "0.5"), R"({a="x",le="0.5"})");
}

TEST(Names, MetricAndLabelNames) {
  EXPECT_TRUE(isValidMetricName("stratus_invocations_total"));
  EXPECT_TRUE(isValidMetricName("ns:rule_name"));
  EXPECT_TRUE(isValidMetricName("_x"));
  EXPECT_FALSE(isValidMetricName(""));
  EXPECT_FALSE(isValidMetricName("9lives"));
  EXPECT_FALSE(isValidMetricName("has-dash"));
  EXPECT_FALSE(isValidMetricName("has space"));

  EXPECT_TRUE(isValidLabelName("runtime"));
  EXPECT_TRUE(isValidLabelName("_private"));
  EXPECT_FALSE(isValidLabelName("__reserved"));
  EXPECT_FALSE(isValidLabelName("a:b"));
  EXPECT_FALSE(isValidLabelName("1st"));
  EXPECT_FALSE(isValidLabelName(""));
}

}  // namespace
}  // namespace stratus::metrics
