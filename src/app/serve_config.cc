#include "app/serve_config.h"

#include <charconv>
#include <functional>

namespace stratus::app {
namespace {

Result<long> parseNumber(const std::string& text, long min, long max, const std::string& flag) {
  long value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max)
    return invalid("invalid_config", "--" + flag + " must be a number from " +
                                         std::to_string(min) + " to " + std::to_string(max));
  return value;
}

}  // namespace

RawSettings withEnvironment(RawSettings settings, const std::map<std::string, std::string>& env) {
  auto fill = [&](const std::string& key, std::initializer_list<const char*> names) {
    if (!settings[key].empty()) return;
    for (const char* name : names)
      if (auto it = env.find(name); it != env.end() && !it->second.empty()) {
        settings[key] = it->second;
        return;
      }
  };
  fill("listen", {"STRATUS_LISTEN"});
  fill("data-dir", {"STRATUS_DATA_DIR"});
  fill("database", {"STRATUS_DATABASE", "DATABASE_URL"});
  fill("blobs", {"STRATUS_BLOBS"});
  fill("public-url", {"STRATUS_PUBLIC_URL", "NEXT_PUBLIC_BASE_URL"});
  return settings;
}

Result<ServeConfig> parseServeConfig(const RawSettings& settings) {
  ServeConfig config;
  auto get = [&](const std::string& key) -> std::string {
    auto it = settings.find(key);
    return it == settings.end() ? std::string() : it->second;
  };
  if (auto listen = get("listen"); !listen.empty()) {
    auto colon = listen.rfind(':');
    if (colon == std::string::npos) return invalid("invalid_config", "--listen must be HOST:PORT");
    config.host = listen.substr(0, colon);
    auto port = parseNumber(listen.substr(colon + 1), 0, 65535, "listen port");
    if (!port) return std::unexpected(port.error());
    config.port = static_cast<uint16_t>(*port);
  }
  if (auto dir = get("data-dir"); !dir.empty()) config.dataDir = dir;
  config.databaseFile = config.dataDir / "stratus.db";
  config.blobDir = config.dataDir / "blobs";
  if (auto db = get("database"); !db.empty()) {
    if (db.starts_with("sqlite://")) config.databaseFile = db.substr(9);
    else if (db.starts_with("postgres://") || db.starts_with("postgresql://"))
      return fail(ErrorKind::not_implemented, "unsupported_database",
                  "PostgreSQL is not supported by this build yet; use sqlite:///path");
    else return invalid("invalid_config", "--database must be sqlite:///path");
    if (config.databaseFile.empty()) return invalid("invalid_config", "--database has no path");
  }
  if (auto blobs = get("blobs"); !blobs.empty()) {
    if (blobs.starts_with("file://")) config.blobDir = blobs.substr(7);
    else if (blobs.starts_with("s3://"))
      return fail(ErrorKind::not_implemented, "unsupported_blobs",
                  "S3 is not supported by this build yet; use file:///path");
    else return invalid("invalid_config", "--blobs must be file:///path");
    if (config.blobDir.empty()) return invalid("invalid_config", "--blobs has no path");
  }
  struct Limit { const char* flag; long min, max; std::function<void(long)> set; };
  for (const Limit& limit : std::initializer_list<Limit>{
           {"max-upload-mb", 1, 1024, [&](long v) { config.maxUploadBytes = std::size_t(v) << 20; }},
           {"max-invoke-mb", 1, 64, [&](long v) { config.maxInvokeBytes = std::size_t(v) << 20; }},
           {"io-threads", 1, 64, [&](long v) { config.ioThreads = int(v); }},
           {"worker-threads", 1, 4096, [&](long v) { config.workerThreads = int(v); }}}) {
    if (auto text = get(limit.flag); !text.empty()) {
      auto value = parseNumber(text, limit.min, limit.max, limit.flag);
      if (!value) return std::unexpected(value.error());
      limit.set(*value);
    }
  }
  config.publicUrl = get("public-url");
  if (config.publicUrl.empty())
    config.publicUrl = "http://" + config.host + ":" + std::to_string(config.port);
  while (config.publicUrl.ends_with('/')) config.publicUrl.pop_back();
  config.secureCookies = config.publicUrl.starts_with("https://");
  if (auto level = get("log-level"); !level.empty()) {
    if (level != "debug" && level != "info" && level != "warn" && level != "error")
      return invalid("invalid_config", "--log-level must be debug, info, warn or error");
    config.logLevel = level;
  }
  return config;
}

}  // namespace stratus::app
