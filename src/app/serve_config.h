// `stratus serve` configuration: parsed and validated once into a value (STYLE §7). Flags
// win over environment variables, which win over the embedded defaults.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

#include "common/error.h"

namespace stratus::app {

struct ServeConfig {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;
  std::filesystem::path dataDir = "data";
  std::filesystem::path databaseFile;  // from --database sqlite:///path; default dataDir/stratus.db
  std::filesystem::path blobDir;       // from --blobs file:///path; default dataDir/blobs
  std::string publicUrl;               // default http://host:port
  std::size_t maxUploadBytes = 50u << 20;
  std::size_t maxInvokeBytes = 6u << 20;
  int ioThreads = 2;
  int workerThreads = 64;
  bool secureCookies = false;
  std::string logLevel = "info";
};

// Raw settings as strings, keyed by flag name ("listen", "data-dir", ...); empty = unset.
using RawSettings = std::map<std::string, std::string>;

// Fills unset settings from the environment: STRATUS_LISTEN, STRATUS_DATA_DIR,
// DATABASE_URL, STRATUS_BLOBS, STRATUS_PUBLIC_URL (or the clone's NEXT_PUBLIC_BASE_URL).
RawSettings withEnvironment(RawSettings settings, const std::map<std::string, std::string>& env);
Result<ServeConfig> parseServeConfig(const RawSettings& settings);

}  // namespace stratus::app
