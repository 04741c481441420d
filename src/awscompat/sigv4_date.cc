#include "awscompat/sigv4_date.h"

#include <algorithm>
#include <array>
#include <cstdio>

namespace stratus::awscompat {
namespace {

using namespace std::chrono;

constexpr std::array<std::string_view, 7> kWeekdays = {"Sun", "Mon", "Tue", "Wed",
                                                       "Thu", "Fri", "Sat"};
constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// The digits at [at, at + length) as a number, or -1.
int digits(std::string_view text, std::size_t at, std::size_t length) {
  int value = 0;
  for (std::size_t i = at; i < at + length; ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

std::optional<sys_seconds> timeOf(int year, int month, int day, int hour, int minute, int second) {
  if (year < 0 || month < 1 || day < 1) return std::nullopt;
  year_month_day date{std::chrono::year(year), std::chrono::month(static_cast<unsigned>(month)),
                      std::chrono::day(static_cast<unsigned>(day))};
  // No leap second: 23:59:60 has no sys_seconds of its own and no signer writes it.
  if (!date.ok() || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59)
    return std::nullopt;
  return sys_days(date) + hours(hour) + minutes(minute) + seconds(second);
}

}  // namespace

std::optional<sys_seconds> parseAmzDate(std::string_view text) {
  if (text.size() != 16 || text[8] != 'T' || text[15] != 'Z') return std::nullopt;
  return timeOf(digits(text, 0, 4), digits(text, 4, 2), digits(text, 6, 2), digits(text, 9, 2),
                digits(text, 11, 2), digits(text, 13, 2));
}

std::string formatAmzDate(sys_seconds time) {
  const sys_days day = floor<days>(time);
  const year_month_day date(day);
  const hh_mm_ss clock(time - day);
  char out[64];  // roomy: the compiler cannot see that the fields are bounded
  std::snprintf(out, sizeof out, "%04d%02u%02uT%02d%02d%02dZ", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()),
                static_cast<int>(clock.seconds().count()));
  return out;
}

std::optional<sys_seconds> parseHttpDate(std::string_view text) {
  // "Sun, 30 Aug 2015 12:36:00 GMT"
  if (text.size() != 29 || text.substr(3, 2) != ", " || text[7] != ' ' || text[11] != ' ' ||
      text[16] != ' ' || text[19] != ':' || text[22] != ':' || text.substr(25) != " GMT")
    return std::nullopt;
  int month = 0;
  for (std::size_t i = 0; i < kMonths.size(); ++i) {
    if (text.substr(8, 3) == kMonths[i]) month = static_cast<int>(i) + 1;
  }
  // The day name must be one, but need not be the right one: AWS's own 2011 test suite signs
  // "Mon, 09 Sep 2011", a Friday. The header is signed as written, so a second spelling of
  // the same instant cannot pass for the first.
  if (std::find(kWeekdays.begin(), kWeekdays.end(), text.substr(0, 3)) == kWeekdays.end())
    return std::nullopt;
  return timeOf(digits(text, 12, 4), month, digits(text, 5, 2), digits(text, 17, 2),
                digits(text, 20, 2), digits(text, 23, 2));
}

}  // namespace stratus::awscompat
