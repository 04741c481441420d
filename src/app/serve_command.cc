#include "app/serve_command.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>

#include "api/blob_sweeper.h"
#include "api/lambda/event_queue.h"
#include "api/routes.h"
#include "app/account_setup.h"
#include "app/serve_config.h"
#include "app/storage_setup.h"
#include "app/web_dir.h"
#include "auth/server_secret.h"
#include "blob/code_cache.h"
#include "common/clock.h"
#include "common/crypto.h"
#include "common/log.h"
#include "exec/pool/instance_pool.h"
#include "docker/docker_client.h"
#include "exec/docker/docker_instances.h"
#include "exec/nanos/nanos_instances.h"
#include "nanos/install.h"
#include "exec/sandbox/sandbox_instances.h"
#include "http/security_headers.h"
#include "http/static_dir.h"
#include "http/server.h"
#include "mail/mail_queue.h"

extern char** environ;

namespace stratus::app {

std::map<std::string, std::string> processEnvironment() {
  std::map<std::string, std::string> env;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    std::string_view text(*entry);
    auto eq = text.find('=');
    if (eq != std::string_view::npos) env.emplace(text.substr(0, eq), text.substr(eq + 1));
  }
  return env;
}

namespace {

log::Level levelOf(const std::string& name) {
  if (name == "debug") return log::Level::debug;
  if (name == "warn") return log::Level::warn;
  if (name == "error") return log::Level::error;
  return log::Level::info;
}

int fatal(const Error& error) {
  log::error("cannot start", {{"code", error.code}, {"error", error.describe()}});
  std::cerr << "stratus serve: " << error.describe() << "\n";
  return 1;
}

Result<auth::ServerSecret> loadSecret(const ServeConfig& config) {
  if (!config.secretKey.empty()) return auth::ServerSecret::fromText(config.secretKey);
  return auth::ServerSecret::loadOrCreate(config.dataDir / "secret.key");
}

// The dashboard's files, read once; nullopt (and a log line) when none is built. A folder
// the operator named that cannot be served stops the server: they asked for it.
Result<std::optional<http::StaticSite>> loadDashboard(const ServeConfig& config) {
  auto choice = chooseWebDir(config.webDir, executableDir(), [](const std::filesystem::path& dir) {
    std::error_code ec;
    return std::filesystem::is_regular_file(dir / "index.html", ec);
  });
  if (!choice) {
    log::info(config.webDir == "off"
                  ? "dashboard off (--web-dir off): / answers a plain-text note"
                  : "dashboard not built: / answers a plain-text note (build web/, or set --web-dir)");
    return std::nullopt;
  }
  auto site = http::loadStaticDir(choice->dir);
  if (!site) {
    if (choice->given) return propagate(site.error(), "load the dashboard (--web-dir)");
    log::warn("dashboard not served", {{"web_dir", choice->dir.string()},
                                       {"error", site.error().describe()}});
    return std::nullopt;
  }
  log::info("serving the dashboard", {{"web_dir", choice->dir.string()},
                                      {"files", site->fileCount()},
                                      {"bytes", site->totalBytes()}});
  return std::optional<http::StaticSite>(std::move(*site));
}

int serve(const ServeConfig& config, const std::string& portFile) {
  log::setMinimumLevel(levelOf(config.logLevel));
  auto store = openMetadataStore(config.storage);
  if (!store) return fatal(store.error());
  auto blobs = openBlobStore(config.storage);
  if (!blobs) return fatal(blobs.error());
  blob::CodeCache cache(config.storage.codeCacheDir,
                        {.maxBytes = config.storage.codeCacheBytes,
                         .limits = {.maxUploadBytes = config.maxUploadBytes}});
  if (auto opened = cache.open(); !opened) {
    log::warn("code cache unavailable", {{"error", opened.error().describe()}});
  }
  auto secret = loadSecret(config);
  if (!secret) return fatal(secret.error());
  auto mailer = makeMailer(config.mail, config.dataDir);
  if (!mailer) return fatal(mailer.error());
  auto providers = makeProviders(config.providers);
  if (!providers) return fatal(providers.error());
  auto dashboard = loadDashboard(config);
  if (!dashboard) return fatal(dashboard.error());

  // Without root or cgroups the server still serves accounts and uploads; invocations then
  // answer 501 naming the reason, which the log line below also gives.
  std::map<std::string, exec::InstanceFactory*> factories;
  std::vector<std::string> executors;
  exec::sandbox::InstanceOptions sandboxOptions;
  sandboxOptions.readyPerRuntime = config.engine.readySandboxes;
  // Named after the data folder: a server cleans up what an earlier run of itself left
  // (cgroups, mount points) and never touches another server's on the same host.
  std::error_code ec;
  std::string node = "stratus-" + sha256Hex(std::filesystem::weakly_canonical(config.dataDir, ec).string())
                                      .substr(0, 12);
  sandboxOptions.sandbox.cgroupName = node;
  sandboxOptions.sandbox.stateDir = std::filesystem::path("/run/stratus-sandbox") / node;
  sandboxOptions.runtimeDir = std::filesystem::path("/run/stratus-sandbox-runtimes") / node;
  auto sandbox = exec::sandbox::makeSandboxInstances(sandboxOptions);
  if (sandbox) {
    factories["sandbox"] = sandbox->get();
    executors.push_back("sandbox");
  } else {
    log::warn("sandbox executor unavailable", {{"error", sandbox.error().describe()}});
  }
  // The docker executor, when a daemon answers (DOCKER_HOST or the default socket).
  Result<std::unique_ptr<exec::InstanceFactory>> docker = std::unique_ptr<exec::InstanceFactory>();
  if (auto client = docker::DockerClient::connectFromEnvironment(); !client) {
    docker = std::unexpected(client.error());
  } else {
    exec::docker::DockerInstanceOptions dockerOptions;
    dockerOptions.node = node;
    dockerOptions.stateDir = std::filesystem::path("/run/stratus-docker") / node;
    dockerOptions.runtimeDir = std::filesystem::path("/run/stratus-docker-runtimes") / node;
    dockerOptions.images = config.docker.images;
    docker = exec::docker::makeDockerInstances(std::move(*client), std::move(dockerOptions));
  }
  if (docker) {
    factories["docker"] = docker->get();
    executors.push_back("docker");
  } else {
    log::warn("docker executor unavailable", {{"error", docker.error().describe()}});
  }
  // The nanos executor, when a Nanos kernel, boot image, mkfs and qemu are all found.
  exec::nanos::NanosInstanceOptions nanosOptions;
  nanosOptions.install = nanos::locateNanos(nanos::hostProbe());
  nanosOptions.stateDir = std::filesystem::path("/run/stratus-nanos") / node;
  nanosOptions.runtimeDir = std::filesystem::path("/run/stratus-nanos-runtimes") / node;
  nanosOptions.imageDir = std::filesystem::path(config.dataDir) / "nanos-images";
  bool kvm = nanosOptions.install.kvm;
  auto nanosFactory = exec::nanos::makeNanosInstances(std::move(nanosOptions));
  if (nanosFactory) {
    factories["nanos"] = nanosFactory->get();
    executors.push_back("nanos");
  } else {
    log::info("nanos executor unavailable", {{"error", nanosFactory.error().describe()}});
  }
  exec::PoolOptions poolOptions;
  poolOptions.memoryBudgetMb = config.engine.memoryBudgetMb;
  poolOptions.idleExpiry = std::chrono::seconds(config.engine.idleExpiryS);
  poolOptions.queueCapacity = static_cast<std::size_t>(config.engine.queueLength);
  poolOptions.queueWait = std::chrono::milliseconds(config.engine.queueWaitMs);
  exec::InstancePool pool(factories, poolOptions);
  metrics::Registry registry;
  api::InvokeMetrics invokeMetrics(registry);
  api::InvokeMetrics::watchPool(registry, pool);

  // Listening first gives the real port when 0 was asked for, which the public URL (in
  // invoke URLs and mail links) needs. Nothing is served until run().
  http::Router router;
  http::ServerOptions options;
  options.host = config.host;
  options.port = config.port;
  options.ioThreads = config.ioThreads;
  options.workerThreads = config.workerThreads;
  options.bodyLimit = [upload = config.maxUploadBytes, invoke = config.maxInvokeBytes](
                          std::string_view method, std::string_view target) {
    // A multipart envelope adds a little to the file itself; the Lambda API sends the zip
    // in base64 inside JSON, a third more. The code's own size is checked after decoding.
    return api::isUploadRoute(method, target) ? upload / 3 * 4 + (64u << 10) : invoke;
  };
  // Held in an optional so it can be destroyed (which waits for handlers still running past
  // the shutdown grace) before the services below it, which those handlers use.
  std::optional<http::Server> server;
  server.emplace(options, [&router](http::Request& request) {
    auto response = router.dispatch(request);
    http::addSecurityHeaders(response);
    return response;
  });
  if (auto ok = server->listen(); !ok) return fatal(ok.error());
  const std::string publicUrl =
      config.publicUrlGiven ? config.publicUrl
                            : "http://" + config.host + ":" + std::to_string(server->port());

  blob::PackageLimits package;
  package.maxUploadBytes = config.maxUploadBytes;
  mail::MailQueue mailQueue(**mailer, mail::QueueOptions{});
  auth::AuthService auth(**store,
                         auth::AuthOptions{.keySealingKey = secret->subkey("api-key-secret")});
  auth::RateLimiter limiter([] { return nowMs(); });
  auth::EmailFlows email(
      **store, auth, [&mailQueue](mail::Message message) { return mailQueue.enqueue(std::move(message)); },
      auth::EmailFlowOptions{auth::MailContext{config.mail.from, publicUrl}});
  api::FunctionService functions(**store, **blobs, package);
  api::InvokeService invoker(**store, **blobs, cache, pool, executors, &invokeMetrics);
  api::BlobSweeper sweeper(**store, **blobs, std::chrono::seconds(config.storage.sweepGraceS),
                           [] { return nowMs(); });
  if (config.storage.sweepIntervalS > 0) {
    sweeper.start(std::chrono::seconds(config.storage.sweepIntervalS));
  }
  // Lambda's Event invocations: queued, run on their own threads, retried twice.
  api::lambda::EventQueue events([&invoker](const store::Function& function,
                                            const std::string& event, const std::string&,
                                            int) -> Status {
    auto outcome = invoker.invokeHandler(function, event);
    if (!outcome) return std::unexpected(outcome.error());
    if (!outcome->functionError.empty())
      return fail(ErrorKind::internal, "function_error",
                  "the function failed: " + outcome->record.error);
    return {};
  });
  registry.callbackGauge("stratus_event_queue_depth",
                         "Asynchronous (Event) invocations waiting to run or to be retried.")
      .set({}, [&events] { return double(events.pending()); });
  api::ApiOptions apiOptions;
  apiOptions.publicBaseUrl = publicUrl;
  apiOptions.secureCookies = config.secureCookies;
  apiOptions.trustProxy = config.trustProxy;
  apiOptions.requireVerifiedEmail = config.requireVerifiedEmail;
  apiOptions.rateLimits = config.rateLimits;
  apiOptions.package = package;
  api::ApiContext context{**store,    auth,     email,
                          limiter,    *providers, functions,
                          invoker,    api::ApiKeys{secret->subkey("csrf"), secret->subkey("oauth-flow")},
                          apiOptions, &registry, &events};
  context.dashboard = *dashboard ? &**dashboard : nullptr;
  api::registerAllRoutes(router, context);
  invoker.prewarmAll();

  std::string providerNames;
  for (const auto& [name, provider] : *providers) providerNames += (providerNames.empty() ? "" : ",") + name;
  log::info("listening", {{"address", config.host}, {"port", server->port()},
                          {"public_url", publicUrl},
                          {"database", describeDatabase(config.storage)},
                          {"blobs", describeBlobs(config.storage)},
                          {"sandbox", sandbox.has_value()},
                          {"docker", docker.has_value()},
                          {"nanos", nanosFactory ? (kvm ? "kvm" : "tcg") : "off"},
                          {"mailer", std::string((*mailer)->kind())},
                          {"sign_in_providers", providerNames},
                          {"require_verified_email", config.requireVerifiedEmail}});
  if (!portFile.empty()) std::ofstream(portFile) << server->port() << "\n";
  server->run();
  // Past the grace period: end the runs still going so their workers return and the
  // server's destructor, which waits for them, does not wait out a 15-minute timeout.
  pool.shutdown();
  events.stop();
  server.reset();
  sweeper.stop();
  // Mails already accepted (a verification link someone is waiting for) get a short
  // chance to leave before the process does.
  email.flush();
  mailQueue.flush(std::chrono::seconds(5));
  log::info("stopped");
  return 0;
}

}  // namespace

void addServeFlags(CLI::App& command, RawSettings& settings) {
  for (auto [flag, help] : std::initializer_list<std::pair<const char*, const char*>>{
           {"listen", "HOST:PORT to listen on (default 127.0.0.1:8080; STRATUS_LISTEN)"},
           {"data-dir", "Folder for the embedded database, blobs and code cache (default ./data)"},
           {"web-dir", "The dashboard's build folder, served at / (STRATUS_WEB_DIR; default: ../web next to the binary if built, else ../share/stratus/web); off serves the API only"},
           {"database", "sqlite:///path (default DATA_DIR/stratus.db) or postgres://user:pass@host:port/db (DATABASE_URL)"},
           {"database-pool", "PostgreSQL connections per node (default 16)"},
           {"blobs", "file:///path (default DATA_DIR/blobs) or s3://bucket/prefix[?endpoint=URL&path-style=true] (STRATUS_BLOBS; AWS_S3_BUCKET alone selects S3; credentials from AWS_*)"},
           {"code-cache-mb", "Bound on the node-local unpacked code cache in MB (default 2048)"},
           {"blob-sweep-grace", "Seconds an unreferenced blob is kept before the sweeper deletes it (default 3600)"},
           {"blob-sweep-interval", "Seconds between sweeps; 0 turns the sweeper off on this node (default 600)"},
           {"public-url", "Base URL shown in invoke URLs (STRATUS_PUBLIC_URL)"},
           {"max-upload-mb", "Largest code upload in MB (default 50)"},
           {"max-invoke-mb", "Largest invoke payload in MB (default 6)"},
           {"io-threads", "Event-loop threads (default 2)"},
           {"worker-threads", "Threads running handlers and invocations (default 64)"},
           {"ready-sandboxes", "Sandboxes per runtime made ahead of demand, interpreter started (default 2; 0 off)"},
           {"idle-expiry", "Seconds an idle warm instance is kept (default 300)"},
           {"memory-budget-mb", "Memory all instances together may be given, in MB (default: 3/4 of the host's)"},
           {"queue-length", "Invocations that may wait for capacity before 429 (default 64)"},
           {"queue-wait-ms", "The longest an invocation waits for capacity before 429 (default 1000)"},
           {"docker-image", "RUNTIME=IMAGE[,...]: the docker executor runs RUNTIME in this image instead of the one `stratus runtimes build` makes (STRATUS_DOCKER_IMAGES)"},
           {"require-verified-email", "true (default) or false: must accounts verify their email before deploying"},
           {"trust-proxy", "true or false (default): believe X-Forwarded-For/-Proto from a proxy"},
           {"rate-limits", "true (default) or false: throttle sign-in, sign-up and account mails"},
           {"secure-cookies", "true or false: mark cookies Secure (default: when the public URL is https)"},
           {"email-from", "Sender of account mails (EMAIL_FROM)"},
           {"smtp-url", "smtp://host:587 (STARTTLS) or smtps://host:465; SMTP_USER/SMTP_PASSWORD from the environment"},
           {"smtp-tls", "required (default) or optional: whether SMTP may run without TLS"},
           {"smtp-ca-file", "PEM file of the CAs that sign the SMTP server's certificate (SMTP_CA_FILE)"},
           {"log-level", "debug, info, warn or error"}}) {
    command.add_option(std::string("--") + flag, settings[flag], help);
  }
}

void registerServeCommand(CLI::App& app, int& exitCode) {
  auto* command = app.add_subcommand("serve", "Run the Stratus API server");
  auto settings = std::make_shared<RawSettings>();
  auto portFile = std::make_shared<std::string>();
  addServeFlags(*command, *settings);
  command->add_option("--port-file", *portFile, "Write the bound port here (for tests)");
  command->callback([settings, portFile, &exitCode] {
    initCrypto();
    auto config = configFromFlags(*settings, processEnvironment());
    if (!config) {
      std::cerr << "stratus serve: " << config.error().message << "\n";
      exitCode = 2;
      return;
    }
    exitCode = serve(*config, *portFile);
  });
}

}  // namespace stratus::app
