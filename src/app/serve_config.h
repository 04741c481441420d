// `stratus serve` configuration: parsed and validated once into a value (STYLE §7). Flags
// win over environment variables, which win over the embedded defaults.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

#include "common/error.h"

namespace stratus::app {

// Mail delivery: SMTP when smtpUrl is set, else Resend when resendApiKey is, else the log
// mailer (DATA_DIR/outbox).
struct MailConfig {
  std::string from = "Stratus <no-reply@localhost>";  // EMAIL_FROM
  std::string smtpUrl;                                 // smtp://host:587 or smtps://host:465
  std::string smtpUser, smtpPassword;                  // environment only
  bool smtpRequireTls = true;                          // --smtp-tls required|optional
  std::string smtpCaFile;                              // CAs of a relay with a private CA
  std::string resendApiKey;                            // environment only
  std::string resendEndpoint;                          // empty: Resend's own
};

// Sign-in providers; each is on when its client id and secret are both set.
struct ProviderConfig {
  std::string githubClientId, githubClientSecret;
  std::string githubAuthorizeUrl, githubTokenUrl, githubUserUrl;  // empty: GitHub's own
  std::string githubEmailsUrl;  // empty: GitHub's own; "none": use the profile's email
  std::string googleClientId, googleClientSecret;
  std::string googleIssuer;  // empty: Google; any OpenID Connect issuer URL otherwise
};

// Where metadata and code live (DESIGN §6), and the node-local copies of code.
struct StorageConfig {
  // PostgreSQL when postgresUrl is set (--database postgres://... or DATABASE_URL), else
  // SQLite at databaseFile (--database sqlite:///path; default DATA_DIR/stratus.db).
  std::string postgresUrl;
  std::filesystem::path databaseFile;
  int databasePool = 16;  // PostgreSQL connections per node
  // S3 when useS3 (--blobs s3://bucket/prefix, or AWS_S3_BUCKET as in the clone), with
  // the AWS_* settings in awsEnv; else the folder blobDir (default DATA_DIR/blobs).
  bool useS3 = false;
  std::string s3Url;
  std::map<std::string, std::string> awsEnv;
  std::filesystem::path blobDir;
  std::filesystem::path codeCacheDir;  // DATA_DIR/code
  uint64_t codeCacheBytes = 2ull << 30;
  // The sweeper deletes blobs no version refers to once they are older than the grace
  // period (an upload in flight has its blob before its version row).
  int64_t sweepGraceS = 3600;
  int64_t sweepIntervalS = 600;  // 0: no sweeper on this node
};

// The execution engine's limits (exec/pool, exec/sandbox/sandbox_instances.h).
struct EngineConfig {
  int readySandboxes = 2;      // per runtime; 0 turns the ready pool off
  int idleExpiryS = 300;       // an idle instance is stopped after this long
  int64_t memoryBudgetMb = 0;  // 0: three quarters of the host's memory
  int queueLength = 64;        // requests waiting for capacity before 429
  int queueWaitMs = 1000;      // the longest one waits
};

// The docker executor's images (docker/runtime_images.h): each function runtime runs in
// the operator's image when one is named (--docker-image RUNTIME=IMAGE,...), else in the
// one `stratus runtimes build` makes. The daemon is found through DOCKER_HOST.
struct DockerConfig {
  std::map<std::string, std::string> images;  // function runtime -> image reference
};

struct ServeConfig {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;
  std::filesystem::path dataDir = "data";
  // The dashboard's build folder (--web-dir, STRATUS_WEB_DIR); empty: found next to the
  // binary (app/web_dir.h).
  std::filesystem::path webDir;
  StorageConfig storage;
  EngineConfig engine;
  DockerConfig docker;
  std::string publicUrl;               // default http://host:port
  std::size_t maxUploadBytes = 50u << 20;
  std::size_t maxInvokeBytes = 6u << 20;
  int ioThreads = 2;
  int workerThreads = 64;
  bool secureCookies = false;
  bool publicUrlGiven = false;  // else derived from the bound address once listening
  bool trustProxy = false;
  bool requireVerifiedEmail = true;
  bool rateLimits = true;
  std::string secretKey;  // STRATUS_SECRET_KEY; empty: DATA_DIR/secret.key
  MailConfig mail;
  ProviderConfig providers;
  std::string logLevel = "info";
};

// Raw settings as strings, keyed by flag name ("listen", "data-dir", ...); empty = unset.
using RawSettings = std::map<std::string, std::string>;

// Fills unset settings from the environment: STRATUS_LISTEN, STRATUS_DATA_DIR, STRATUS_WEB_DIR,
// DATABASE_URL, STRATUS_BLOBS, STRATUS_DOCKER_IMAGES, the AWS_* names of the S3 client, STRATUS_PUBLIC_URL (or the clone's NEXT_PUBLIC_BASE_URL),
// the clone's EMAIL_FROM, RESEND_API_KEY, GITHUB_* and GOOGLE_* names, SMTP_*. Secrets
// (passwords, client secrets, keys) are read only from the environment, never from flags,
// so they do not show in the process list.
RawSettings withEnvironment(RawSettings settings, const std::map<std::string, std::string>& env);
Result<ServeConfig> parseServeConfig(const RawSettings& settings);

// Refuses flags (as given on the command line, before the environment is merged in) that
// carry a secret: a --database URL with a password would show in the process list to
// every user of the machine. DATABASE_URL, PGPASSWORD or ~/.pgpass carry it instead.
Status refuseSecretsInFlags(const RawSettings& flags);

// The three steps every command taking the server's flags runs: refuse secrets in flags,
// merge the environment, parse.
Result<ServeConfig> configFromFlags(const RawSettings& flags,
                                    const std::map<std::string, std::string>& env);

}  // namespace stratus::app
