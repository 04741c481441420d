#include "common/log.h"

#include <unistd.h>

#include <atomic>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <ctime>

namespace stratus::log {
namespace {

std::atomic<Level> minimumLevel{Level::info};

const char* levelName(Level level) {
  switch (level) {
    case Level::debug: return "debug";
    case Level::info: return "info";
    case Level::warn: return "warn";
    case Level::error: return "error";
  }
  return "info";
}

std::string timestamp() {
  auto now = std::chrono::system_clock::now();
  auto secs = std::chrono::system_clock::to_time_t(now);
  auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(millis));
  return buf;
}

}  // namespace

void setMinimumLevel(Level level) { minimumLevel = level; }

void write(Level level, std::string_view message, boost::json::object fields) {
  if (level < minimumLevel.load(std::memory_order_relaxed)) return;
  boost::json::object line;
  line["ts"] = timestamp();
  line["level"] = levelName(level);
  line["msg"] = message;
  for (auto& [key, value] : fields) line[key] = std::move(value);
  std::string text = boost::json::serialize(line);
  text.push_back('\n');
  // One write() per line keeps lines whole when several threads log at once.
  const char* data = text.data();
  size_t left = text.size();
  while (left > 0) {
    ssize_t n = ::write(STDERR_FILENO, data, left);
    if (n <= 0) return;
    data += n;
    left -= static_cast<size_t>(n);
  }
}

}  // namespace stratus::log
