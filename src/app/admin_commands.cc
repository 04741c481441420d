#include "app/admin_commands.h"

#include <iostream>
#include <memory>

#include "app/doctor.h"
#include "app/serve_command.h"
#include "app/storage_setup.h"
#include "common/crypto.h"
#include "common/log.h"
#include "store/postgres/postgres_store.h"
#include "store/sqlite/sqlite_store.h"

namespace stratus::app {
namespace {

Result<ServeConfig> configFrom(const RawSettings& settings, const char* command) {
  auto config = configFromFlags(settings, processEnvironment());
  if (!config) std::cerr << "stratus " << command << ": " << config.error().message << "\n";
  return config;
}

int migrate(const StorageConfig& storage, bool dryRun) {
  const std::string where = describeDatabase(storage);
  auto report = storage.postgresUrl.empty()
                    ? store::sqlite::migrateSqlite(storage.databaseFile, dryRun)
                    : store::postgres::migratePostgres(storage.postgresUrl, dryRun);
  if (!report) {
    std::cerr << "stratus migrate: " << where << ": " << report.error().describe() << "\n";
    return 1;
  }
  std::cout << where << ": schema " << report->before;
  if (report->before > report->latest) {
    std::cout << " is newer than this binary knows (" << report->latest << ")\n";
    return 1;
  }
  if (report->before == report->latest) {
    std::cout << ", up to date\n";
  } else if (dryRun) {
    std::cout << ", " << report->latest - report->before << " migration(s) pending (to schema "
              << report->latest << ")\n";
  } else {
    std::cout << " -> " << report->before + report->applied << " (" << report->applied
              << " applied)\n";
  }
  return 0;
}

}  // namespace

void registerAdminCommands(CLI::App& app, int& exitCode) {
  auto settings = std::make_shared<RawSettings>();
  auto dryRun = std::make_shared<bool>(false);
  auto* migrateCommand =
      app.add_subcommand("migrate", "Apply pending database migrations (the server also does on start)");
  addServeFlags(*migrateCommand, *settings);
  migrateCommand->add_flag("--dry-run", *dryRun, "Only report the schema version and what is pending");
  migrateCommand->callback([settings, dryRun, &exitCode] {
    auto config = configFrom(*settings, "migrate");
    exitCode = config ? migrate(config->storage, *dryRun) : 2;
  });

  auto doctorSettings = std::make_shared<RawSettings>();
  auto* doctorCommand = app.add_subcommand(
      "doctor", "Check the database, blob store, code cache, sandbox and mail this node would use");
  addServeFlags(*doctorCommand, *doctorSettings);
  doctorCommand->callback([doctorSettings, &exitCode] {
    initCrypto();
    // The checks' findings are the output; the log lines of what they start would only
    // interleave with them.
    log::setMinimumLevel(log::Level::error);
    auto config = configFrom(*doctorSettings, "doctor");
    if (!config) {
      exitCode = 2;
      return;
    }
    auto checks = runDoctor(*config);
    std::cout << formatChecks(checks);
    exitCode = 0;
    for (const auto& check : checks) {
      if (!check.ok) exitCode = 1;
    }
  });
}

}  // namespace stratus::app
