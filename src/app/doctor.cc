#include "app/doctor.h"

#include <sys/statvfs.h>
#include <unistd.h>

#include <sstream>

#include "app/account_setup.h"
#include "app/storage_setup.h"
#include "common/crypto.h"
#include "docker/docker_client.h"
#include "docker/runtime_images.h"
#include "nanos/install.h"
#include "exec/sandbox/sandbox_executor.h"
#include "store/postgres/postgres_store.h"
#include "store/sqlite/sqlite_store.h"

namespace stratus::app {
namespace {

// The error's own message, with the innermost context (a driver or transport message)
// when there is one: that is usually the part that names the cause.
std::string explain(const Error& error) {
  std::string text = error.message;
  if (!error.context.empty() && error.context.front() != error.message) {
    // Driver messages come on several indented lines; one line reads better here.
    std::string cause;
    for (char c : error.context.front()) {
      if (c == '\n' || c == '\t') c = ' ';
      if (c == ' ' && (cause.empty() || cause.back() == ' ')) continue;
      cause += c;
    }
    while (!cause.empty() && cause.back() == ' ') cause.pop_back();
    text += " (" + cause + ")";
  }
  return text;
}

Check checkDatabase(const StorageConfig& storage) {
  Check check{.name = "database"};
  const std::string where = describeDatabase(storage);
  auto report = storage.postgresUrl.empty()
                    ? store::sqlite::migrateSqlite(storage.databaseFile, /*dryRun=*/true)
                    : store::postgres::migratePostgres(storage.postgresUrl, /*dryRun=*/true);
  if (!report) {
    if (report.error().code == "database_not_found") {
      check.ok = true;
      check.detail = where + ": not created yet (`stratus serve` or `stratus migrate` creates it)";
      return check;
    }
    check.detail = where + ": " + explain(report.error());
    check.hint = storage.postgresUrl.empty()
                     ? "check that the file and its folder are readable and writable"
                     : "check the host, port, user, password and database name in DATABASE_URL, "
                       "and that PostgreSQL accepts connections from this machine";
    return check;
  }
  check.detail = where + ": schema " + std::to_string(report->before) + " of " +
                 std::to_string(report->latest);
  if (report->before > report->latest) {
    check.detail += " (written by a newer Stratus)";
    check.hint = "upgrade this node's stratus binary";
    return check;
  }
  check.ok = true;
  if (report->before < report->latest) {
    check.detail += ", " + std::to_string(report->latest - report->before) +
                    " migration(s) pending (`stratus migrate`, or applied when `serve` starts)";
  }
  return check;
}

// A real write, read and delete through the BlobStore, so credentials, bucket, endpoint
// and permissions are all exercised the way an upload would.
Check checkBlobs(const StorageConfig& storage) {
  Check check{.name = "blobs"};
  const std::string where = describeBlobs(storage);
  auto blobs = openBlobStore(storage);
  if (!blobs) {
    check.detail = where + ": " + explain(blobs.error());
    check.hint = "fix the --blobs URL or the AWS_* variables";
    return check;
  }
  const std::string key = "doctor/probe-" + randomHex(8);
  const std::string payload = "stratus doctor " + key;
  auto fail = [&](const Error& error) {
    check.detail = where + ": " + explain(error);
    check.hint = storage.useS3 ? "check the endpoint, bucket, region and the credentials' "
                                 "permission to put, get and delete objects"
                               : "check that the folder exists and is writable";
    return check;
  };
  if (auto put = (*blobs)->put(key, payload); !put) return fail(put.error());
  auto read = (*blobs)->get(key);
  (void)(*blobs)->remove(key);
  if (!read) return fail(read.error());
  if (*read != payload) return fail(Error{ErrorKind::internal, "probe_mismatch",
                                          "the probe object came back different", {}});
  check.ok = true;
  check.detail = where + ": put, get and delete work";
  return check;
}

Check checkCodeCache(const StorageConfig& storage) {
  Check check{.name = "code cache"};
  std::error_code ec;
  std::filesystem::create_directories(storage.codeCacheDir, ec);
  struct statvfs disk {};
  if (ec || ::access(storage.codeCacheDir.c_str(), W_OK) != 0 ||
      ::statvfs(storage.codeCacheDir.c_str(), &disk) != 0) {
    check.detail = storage.codeCacheDir.string() + " is not a writable folder";
    check.hint = "set --data-dir to a folder this user can write";
    return check;
  }
  const uint64_t freeMb = uint64_t(disk.f_bavail) * disk.f_frsize >> 20;
  const uint64_t boundMb = storage.codeCacheBytes >> 20;
  check.detail = storage.codeCacheDir.string() + ": bound " + std::to_string(boundMb) + " MB, " +
                 std::to_string(freeMb) + " MB free on its disk";
  check.ok = freeMb >= boundMb / 4;
  if (!check.ok) check.hint = "free disk space or lower --code-cache-mb";
  return check;
}

Check checkSandbox() {
  Check check{.name = "sandbox"};
  auto sandbox = exec::sandbox::makeSandboxExecutor(exec::sandbox::SandboxOptions{});
  check.ok = sandbox.has_value();
  check.detail = check.ok ? "namespaces, cgroups and seccomp available"
                          : explain(sandbox.error());
  if (!check.ok) check.hint = "run as root on Linux with cgroups mounted, or invocations answer 501";
  return check;
}

// Docker is optional: no daemon is not a failure (the executor is simply off), but a
// daemon without the images the executor needs is.
Check checkDocker(const ServeConfig& config) {
  Check check{.name = "docker"};
  auto client = docker::DockerClient::connectFromEnvironment();
  if (!client) {
    check.ok = true;
    check.detail = "off: " + explain(client.error());
    return check;
  }
  std::string missing;
  for (const char* runtime : {"python3.11", "nodejs20"}) {
    std::string image = docker::imageForRuntime(runtime, config.docker.images);
    if (image.empty() || !client->inspectImage(image))
      missing += (missing.empty() ? "" : ", ") + (image.empty() ? std::string(runtime) : image);
  }
  check.ok = missing.empty();
  check.detail = "Docker " + client->daemonVersion().version +
                 (check.ok ? ", runtime images present" : ", missing images: " + missing);
  if (!check.ok) check.hint = "run `stratus runtimes build` (or name images with --docker-image)";
  return check;
}

// Nanos is optional too: nothing of it installed means the executor is off. Some of it
// found, or a NANOS_* variable set, means the operator meant to use it, so what is missing
// is a failure.
Check checkNanos() {
  Check check{.name = "nanos"};
  auto install = nanos::locateNanos(nanos::hostProbe());
  std::vector<std::string> found;
  if (!install.kernel.empty())
    found.push_back("kernel " + install.kernel + (install.version.empty() ? "" : " (" + install.version + ")"));
  if (!install.boot.empty()) found.push_back("boot " + install.boot);
  if (!install.mkfs.empty()) found.push_back("mkfs " + install.mkfs);
  if (!install.qemu.empty())
    found.push_back("qemu " + install.qemu + (install.kvm ? " with KVM" : " with TCG (no /dev/kvm: emulated, slower)"));
  std::string foundText;
  for (const auto& piece : found) foundText += (foundText.empty() ? "" : ", ") + piece;
  if (install.usable()) {
    check.ok = true;
    check.detail = foundText;
    return check;
  }
  bool named = false;
  for (const char* variable : {"NANOS_KERNEL", "NANOS_BOOT", "NANOS_MKFS", "NANOS_QEMU"}) {
    const char* value = ::getenv(variable);
    named |= value && *value;
  }
  check.ok = !named && install.kernel.empty() && install.boot.empty() && install.mkfs.empty();
  check.detail = (check.ok ? "off: " : "") + nanos::missingSummary(install) +
                 (foundText.empty() ? "" : "; found: " + foundText);
  if (!check.ok) check.hint = "set NANOS_KERNEL, NANOS_BOOT and NANOS_MKFS (docs/operations.md, Nanos)";
  return check;
}

Check checkMail(const ServeConfig& config) {
  Check check{.name = "mail"};
  auto mailer = makeMailer(config.mail, config.dataDir);
  if (!mailer) {
    check.detail = explain(mailer.error());
    check.hint = "fix the SMTP_* or RESEND_* settings";
    return check;
  }
  check.ok = true;
  const std::string kind((*mailer)->kind());
  check.detail = kind == "log" ? "no transport: mails go to the log and " +
                                     (config.dataDir / "outbox").string()
                               : "sending through " + kind;
  return check;
}

}  // namespace

std::vector<Check> runDoctor(const ServeConfig& config) {
  return {checkDatabase(config.storage), checkBlobs(config.storage),
          checkCodeCache(config.storage), checkSandbox(), checkDocker(config), checkNanos(), checkMail(config)};
}

std::string formatChecks(const std::vector<Check>& checks) {
  std::ostringstream out;
  int failed = 0;
  for (const Check& check : checks) {
    out << (check.ok ? "  ok    " : "  FAIL  ") << check.name
        << std::string(check.name.size() < 12 ? 12 - check.name.size() : 1, ' ') << check.detail
        << "\n";
    if (!check.ok) {
      ++failed;
      if (!check.hint.empty()) out << "        " << std::string(12, ' ') << "-> " << check.hint << "\n";
    }
  }
  out << (failed == 0 ? "everything checked is working\n"
                      : std::to_string(failed) + " problem(s) found\n");
  return out.str();
}

}  // namespace stratus::app
