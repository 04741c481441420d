#include "awscompat/sigv4_date.h"

#include <gtest/gtest.h>

namespace stratus::awscompat {
namespace {

using namespace std::chrono;

constexpr sys_seconds kSuiteTime = sys_days(2015y / August / 30) + 12h + 36min;

TEST(AmzDate, ParsesAndFormatsTheSuiteTime) {
  EXPECT_EQ(parseAmzDate("20150830T123600Z"), kSuiteTime);
  EXPECT_EQ(formatAmzDate(kSuiteTime), "20150830T123600Z");
  EXPECT_EQ(formatAmzDate(sys_days(2024y / February / 29) + 23h + 59min + 59s), "20240229T235959Z");
  EXPECT_EQ(parseAmzDate("19700101T000000Z"), sys_seconds{});
}

TEST(AmzDate, OneSpellingOnly) {
  for (std::string_view text :
       {"", "20150830T123600", "20150830t123600Z", "20150830T123600z", "2015-08-30T12:36:00Z",
        "20150830T123600Z ", " 20150830T123600Z", "20150830T1236Z", "20150830T243600Z",
        "20150830T126000Z", "20150830T123660Z", "20150230T123600Z", "20151330T123600Z",
        "20150800T123600Z", "2015083OT123600Z", "+0150830T123600Z", "20150830T-23600Z"}) {
    EXPECT_FALSE(parseAmzDate(text)) << text;
  }
}

TEST(HttpDate, ParsesImfFixdate) {
  EXPECT_EQ(parseHttpDate("Sun, 30 Aug 2015 12:36:00 GMT"), kSuiteTime);
  // A Friday, but AWS's 2011 suite calls it Monday: the day name is not checked.
  EXPECT_EQ(parseHttpDate("Mon, 09 Sep 2011 23:36:00 GMT"),
            sys_days(2011y / September / 9) + 23h + 36min);
}

TEST(HttpDate, RefusesOtherForms) {
  for (std::string_view text :
       {"Xyz, 30 Aug 2015 12:36:00 GMT", "sun, 30 Aug 2015 12:36:00 GMT",
        "Sun, 30 aug 2015 12:36:00 GMT", "Sun, 30 Aug 2015 12:36:00 UTC",
        "Sunday, 30-Aug-15 12:36:00 GMT", "Sun Aug 30 12:36:00 2015",
        "Sun, 30 Aug 2015 12:36:00 GMT ", "Sun, 31 Sep 2015 12:36:00 GMT",
        "Sun, 30 Aug 2015 24:00:00 GMT", "Sun,  30 Aug 2015 12:36:00 GMT", ""}) {
    EXPECT_FALSE(parseHttpDate(text)) << text;
  }
}

}  // namespace
}  // namespace stratus::awscompat
