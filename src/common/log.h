// Structured logs: one JSON object per line on stderr ({"ts","level","msg",...fields}).
// Never pass secrets (passwords, session ids, API keys, tokens) as fields.
#pragma once

#include <boost/json/object.hpp>
#include <string_view>

namespace stratus::log {

enum class Level { debug, info, warn, error };

void setMinimumLevel(Level level);
void write(Level level, std::string_view message, boost::json::object fields = {});

inline void debug(std::string_view m, boost::json::object f = {}) { write(Level::debug, m, std::move(f)); }
inline void info(std::string_view m, boost::json::object f = {}) { write(Level::info, m, std::move(f)); }
inline void warn(std::string_view m, boost::json::object f = {}) { write(Level::warn, m, std::move(f)); }
inline void error(std::string_view m, boost::json::object f = {}) { write(Level::error, m, std::move(f)); }

}  // namespace stratus::log
