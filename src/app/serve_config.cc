#include "app/serve_config.h"

#include <charconv>
#include <functional>
#include <tuple>

#include "docker/runtime_images.h"
#include "store/postgres/pg_connection.h"

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

Result<bool> parseBool(const std::string& text, bool fallback, const std::string& flag) {
  if (text.empty()) return fallback;
  if (text == "true" || text == "1" || text == "yes" || text == "on") return true;
  if (text == "false" || text == "0" || text == "no" || text == "off") return false;
  return invalid("invalid_config", "--" + flag + " must be true or false");
}

// What the S3 blob store reads, under the names AWS's own tools use.
constexpr const char* kAwsVariables[] = {
    "AWS_S3_BUCKET",     "AWS_REGION",         "AWS_DEFAULT_REGION",   "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL",
    "AWS_S3_FORCE_PATH_STYLE"};

bool isHttpUrl(const std::string& url) {
  return url.starts_with("http://") || url.starts_with("https://");
}

using Getter = std::function<std::string(const std::string&)>;

Result<StorageConfig> parseStorage(const Getter& get, const std::filesystem::path& dataDir) {
  StorageConfig storage;
  storage.databaseFile = dataDir / "stratus.db";
  storage.blobDir = dataDir / "blobs";
  storage.codeCacheDir = dataDir / "code";
  if (auto db = get("database"); !db.empty()) {
    if (db.starts_with("sqlite://")) {
      storage.databaseFile = db.substr(9);
      if (storage.databaseFile.empty()) return invalid("invalid_config", "--database has no path");
    } else if (db.starts_with("postgres://") || db.starts_with("postgresql://")) {
      storage.postgresUrl = db;
    } else {
      return invalid("invalid_config",
                     "--database must be sqlite:///path or postgres://user:pass@host:port/db");
    }
  }
  for (const char* name : kAwsVariables) {
    if (auto value = get(name); !value.empty()) storage.awsEnv[name] = value;
  }
  if (auto blobs = get("blobs"); !blobs.empty()) {
    if (blobs.starts_with("file://")) {
      storage.blobDir = blobs.substr(7);
      if (storage.blobDir.empty()) return invalid("invalid_config", "--blobs has no path");
    } else if (blobs.starts_with("s3://")) {
      storage.useS3 = true;
      storage.s3Url = blobs;
    } else {
      return invalid("invalid_config", "--blobs must be file:///path or s3://bucket/prefix");
    }
  } else if (storage.awsEnv.contains("AWS_S3_BUCKET")) {
    storage.useS3 = true;  // the clone's configuration: the bucket alone selects S3
  }
  struct Number {
    const char* flag;
    long min, max;
    std::function<void(long)> set;
  };
  for (const Number& number : std::initializer_list<Number>{
           {"database-pool", 1, 1000, [&](long v) { storage.databasePool = int(v); }},
           {"code-cache-mb", 16, 1 << 24, [&](long v) { storage.codeCacheBytes = uint64_t(v) << 20; }},
           {"blob-sweep-grace", 60, 30L * 24 * 3600, [&](long v) { storage.sweepGraceS = v; }},
           {"blob-sweep-interval", 0, 24L * 3600, [&](long v) { storage.sweepIntervalS = v; }}}) {
    if (auto text = get(number.flag); !text.empty()) {
      auto value = parseNumber(text, number.min, number.max, number.flag);
      if (!value) return std::unexpected(value.error());
      number.set(*value);
    }
  }
  return storage;
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
  fill("web-dir", {"STRATUS_WEB_DIR"});
  fill("database", {"STRATUS_DATABASE", "DATABASE_URL"});
  fill("blobs", {"STRATUS_BLOBS"});
  fill("docker-image", {"STRATUS_DOCKER_IMAGES"});
  fill("public-url", {"STRATUS_PUBLIC_URL", "NEXT_PUBLIC_BASE_URL"});
  fill("require-verified-email", {"STRATUS_REQUIRE_VERIFIED_EMAIL"});
  fill("trust-proxy", {"STRATUS_TRUST_PROXY"});
  fill("rate-limits", {"STRATUS_RATE_LIMITS"});
  fill("secure-cookies", {"STRATUS_SECURE_COOKIES"});
  fill("email-from", {"EMAIL_FROM"});
  fill("smtp-url", {"SMTP_URL"});
  fill("smtp-tls", {"SMTP_TLS"});
  fill("smtp-ca-file", {"SMTP_CA_FILE"});
  fill("github-authorize-url", {"GITHUB_AUTHORIZE_URL"});
  fill("github-token-url", {"GITHUB_TOKEN_URL"});
  fill("github-user-url", {"GITHUB_USER_URL"});
  fill("github-emails-url", {"GITHUB_EMAILS_URL"});
  fill("google-issuer", {"GOOGLE_ISSUER"});
  fill("resend-endpoint", {"RESEND_API_URL"});
  // Environment only (no flags): secrets and the client ids that go with them.
  fill("smtp-user", {"SMTP_USER"});
  fill("smtp-password", {"SMTP_PASSWORD"});
  fill("resend-api-key", {"RESEND_API_KEY"});
  fill("github-client-id", {"GITHUB_CLIENT_ID", "GITHUB_ID"});
  fill("github-client-secret", {"GITHUB_CLIENT_SECRET", "GITHUB_SECRET"});
  fill("google-client-id", {"GOOGLE_CLIENT_ID"});
  fill("google-client-secret", {"GOOGLE_CLIENT_SECRET"});
  fill("secret-key", {"STRATUS_SECRET_KEY"});
  // The S3 client's settings keep their AWS names (see StorageConfig::awsEnv).
  for (const char* name : kAwsVariables) fill(name, {name});
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
  config.webDir = get("web-dir");
  auto storage = parseStorage(get, config.dataDir);
  if (!storage) return std::unexpected(storage.error());
  config.storage = std::move(*storage);
  struct Limit { const char* flag; long min, max; std::function<void(long)> set; };
  for (const Limit& limit : std::initializer_list<Limit>{
           {"max-upload-mb", 1, 1024, [&](long v) { config.maxUploadBytes = std::size_t(v) << 20; }},
           {"max-invoke-mb", 1, 64, [&](long v) { config.maxInvokeBytes = std::size_t(v) << 20; }},
           {"io-threads", 1, 64, [&](long v) { config.ioThreads = int(v); }},
           {"worker-threads", 1, 4096, [&](long v) { config.workerThreads = int(v); }},
           {"ready-sandboxes", 0, 64, [&](long v) { config.engine.readySandboxes = int(v); }},
           {"idle-expiry", 1, 24L * 3600, [&](long v) { config.engine.idleExpiryS = int(v); }},
           {"memory-budget-mb", 128, 1L << 30, [&](long v) { config.engine.memoryBudgetMb = v; }},
           {"queue-length", 0, 100000, [&](long v) { config.engine.queueLength = int(v); }},
           {"queue-wait-ms", 0, 60000, [&](long v) { config.engine.queueWaitMs = int(v); }}}) {
    if (auto text = get(limit.flag); !text.empty()) {
      auto value = parseNumber(text, limit.min, limit.max, limit.flag);
      if (!value) return std::unexpected(value.error());
      limit.set(*value);
    }
  }
  auto images = docker::parseRuntimeImages(get("docker-image"));
  if (!images) return std::unexpected(images.error());
  config.docker.images = std::move(*images);
  config.publicUrl = get("public-url");
  if (config.publicUrl.empty())
    config.publicUrl = "http://" + config.host + ":" + std::to_string(config.port);
  while (config.publicUrl.ends_with('/')) config.publicUrl.pop_back();
  config.publicUrlGiven = !get("public-url").empty();
  config.secureCookies = config.publicUrl.starts_with("https://");
  for (auto [flag, field, fallback] : std::initializer_list<std::tuple<const char*, bool*, bool>>{
           {"require-verified-email", &config.requireVerifiedEmail, true},
           {"trust-proxy", &config.trustProxy, false},
           {"rate-limits", &config.rateLimits, true},
           {"secure-cookies", &config.secureCookies, config.secureCookies}}) {
    auto value = parseBool(get(flag), fallback, flag);
    if (!value) return std::unexpected(value.error());
    *field = *value;
  }
  config.secretKey = get("secret-key");

  auto& mail = config.mail;
  if (auto from = get("email-from"); !from.empty()) mail.from = from;
  mail.smtpUrl = get("smtp-url");
  if (!mail.smtpUrl.empty() && !mail.smtpUrl.starts_with("smtp://") &&
      !mail.smtpUrl.starts_with("smtps://"))
    return invalid("invalid_config", "--smtp-url must be smtp://host:port or smtps://host:port");
  mail.smtpCaFile = get("smtp-ca-file");
  mail.smtpUser = get("smtp-user");
  mail.smtpPassword = get("smtp-password");
  if (auto tls = get("smtp-tls"); !tls.empty()) {
    if (tls != "required" && tls != "optional")
      return invalid("invalid_config", "--smtp-tls must be required or optional");
    mail.smtpRequireTls = tls == "required";
  }
  mail.resendApiKey = get("resend-api-key");
  mail.resendEndpoint = get("resend-endpoint");

  auto& providers = config.providers;
  providers.githubClientId = get("github-client-id");
  providers.githubClientSecret = get("github-client-secret");
  providers.githubAuthorizeUrl = get("github-authorize-url");
  providers.githubTokenUrl = get("github-token-url");
  providers.githubUserUrl = get("github-user-url");
  providers.githubEmailsUrl = get("github-emails-url");
  providers.googleClientId = get("google-client-id");
  providers.googleClientSecret = get("google-client-secret");
  providers.googleIssuer = get("google-issuer");
  for (const auto* url : {&providers.githubAuthorizeUrl, &providers.githubTokenUrl,
                          &providers.githubUserUrl, &providers.googleIssuer, &mail.resendEndpoint})
    if (!url->empty() && !isHttpUrl(*url))
      return invalid("invalid_config", "provider and mail endpoints must be http(s) URLs: " + *url);
  if (!providers.githubEmailsUrl.empty() && providers.githubEmailsUrl != "none" &&
      !isHttpUrl(providers.githubEmailsUrl))
    return invalid("invalid_config", "GITHUB_EMAILS_URL must be an http(s) URL or none");
  if (providers.githubClientId.empty() != providers.githubClientSecret.empty())
    return invalid("invalid_config", "set both GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET, or neither");
  if (providers.googleClientId.empty() != providers.googleClientSecret.empty())
    return invalid("invalid_config", "set both GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET, or neither");
  if (auto level = get("log-level"); !level.empty()) {
    if (level != "debug" && level != "info" && level != "warn" && level != "error")
      return invalid("invalid_config", "--log-level must be debug, info, warn or error");
    config.logLevel = level;
  }
  return config;
}

Status refuseSecretsInFlags(const RawSettings& flags) {
  auto database = flags.find("database");
  if (database != flags.end() && store::postgres::redactUrl(database->second) != database->second) {
    return invalid("secret_in_flag",
                   "--database must not contain a password (it would show in the process "
                   "list): set DATABASE_URL instead, or use PGPASSWORD or ~/.pgpass");
  }
  return {};
}

Result<ServeConfig> configFromFlags(const RawSettings& flags,
                                    const std::map<std::string, std::string>& env) {
  if (auto refused = refuseSecretsInFlags(flags); !refused) {
    return std::unexpected(std::move(refused.error()));
  }
  return parseServeConfig(withEnvironment(flags, env));
}

}  // namespace stratus::app
