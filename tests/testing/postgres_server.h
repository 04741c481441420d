// A throwaway PostgreSQL cluster for tests: initdb into a scratch folder, started with
// pg_ctl on a free port of 127.0.0.1, stopped and deleted when the object goes. Durability
// is switched off (fsync, synchronous_commit) unless asked for: nothing here outlives the
// test, but a benchmark comparing with SQLite (which does fsync) wants it on.
//
// Needs Debian's postgresql package (the server binaries are not on PATH: they are found
// under /usr/lib/postgresql/<version>/bin, or in STRATUS_PG_BINDIR). initdb refuses to run
// as root, so as root the cluster belongs to the `postgres` user. available() says
// whether all that is there; skipReason() says what is missing.
#pragma once

#include <libpq-fe.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "testing/temp_dir.h"

namespace stratus::testing {

class PostgresServer {
 public:
  static std::optional<std::filesystem::path> binDir() {
    if (const char* dir = std::getenv("STRATUS_PG_BINDIR"); dir != nullptr && *dir != '\0') {
      return std::filesystem::path(dir);
    }
    std::vector<std::filesystem::path> found;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/usr/lib/postgresql", ec)) {
      if (std::filesystem::exists(entry.path() / "bin" / "initdb")) {
        found.push_back(entry.path() / "bin");
      }
    }
    if (found.empty()) return std::nullopt;
    std::sort(found.begin(), found.end());
    return found.back();
  }

  static bool available() { return skipReason().empty(); }

  static std::string skipReason() {
    if (!binDir()) {
      return "no PostgreSQL server binaries (install Debian's postgresql package, or set "
             "STRATUS_PG_BINDIR)";
    }
    if (::geteuid() == 0 && ::getpwnam("postgres") == nullptr) {
      return "running as root and there is no postgres user to own the test cluster";
    }
    return {};
  }

  // A running cluster, or nullptr with the reason on stderr (and in lastError()).
  static std::unique_ptr<PostgresServer> start(bool durable = false) {
    std::unique_ptr<PostgresServer> server(new PostgresServer());
    server->durable_ = durable;
    if (!server->initialise() || !server->startServer()) {
      std::fprintf(stderr, "postgres fixture: %s\n%s\n", server->error_.c_str(),
                   server->logTail().c_str());
      return nullptr;
    }
    return server;
  }

  ~PostgresServer() {
    if (running_) pgCtl({"stop", "-m", "immediate"});
  }

  int port() const { return port_; }
  std::string url(const std::string& database = "postgres") const {
    return "postgres://postgres@127.0.0.1:" + std::to_string(port_) + "/" + database;
  }

  // A new empty database; returns its URL (empty on failure, reason on stderr).
  std::string createDatabase() {
    static std::atomic<int> counter{0};
    const std::string name = "t" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
    if (!exec(url(), "CREATE DATABASE " + name)) return {};
    return url(name);
  }

  // Runs SQL as the superuser on `databaseUrl`; false (reason on stderr) on failure.
  static bool exec(const std::string& databaseUrl, const std::string& sql) {
    PGconn* connection = PQconnectdb(databaseUrl.c_str());
    bool ok = PQstatus(connection) == CONNECTION_OK;
    if (ok) {
      PGresult* result = PQexec(connection, sql.c_str());
      ok = PQresultStatus(result) == PGRES_COMMAND_OK || PQresultStatus(result) == PGRES_TUPLES_OK;
      if (!ok) std::fprintf(stderr, "postgres fixture: %s: %s", sql.c_str(), PQerrorMessage(connection));
      PQclear(result);
    } else {
      std::fprintf(stderr, "postgres fixture: connect: %s", PQerrorMessage(connection));
    }
    PQfinish(connection);
    return ok;
  }

  // For fault tests: a fast shutdown (clients are disconnected), then the same cluster on
  // the same port again.
  bool stop() {
    running_ = !pgCtl({"stop", "-m", "fast", "-w"});
    return !running_;
  }
  bool restart() { return startServer(); }

  const std::string& lastError() const { return error_; }
  std::string logTail() const {
    std::ifstream in(dir_.path() / "server.log");
    std::stringstream text;
    text << in.rdbuf();
    std::string all = text.str();
    return all.size() > 2000 ? all.substr(all.size() - 2000) : all;
  }

 private:
  PostgresServer() = default;

  bool initialise() {
    if (auto reason = skipReason(); !reason.empty()) return failWith(reason);
    bin_ = *binDir();
    if (::geteuid() == 0) {
      const passwd* owner = ::getpwnam("postgres");
      if (::chown(dir_.path().c_str(), owner->pw_uid, owner->pw_gid) != 0) {
        return failWith("cannot give the scratch folder to the postgres user");
      }
    }
    port_ = freePort();
    return run({(bin_ / "initdb").string(), "-D", data().string(), "-A", "trust", "-U", "postgres",
                "-E", "UTF8", "--locale=C", "--no-sync"}) ||
           failWith("initdb failed");
  }

  bool startServer() {
    std::string options = "-p " + std::to_string(port_) + " -k " + dir_.path().string() +
                          " -c listen_addresses=127.0.0.1 -c max_connections=200";
    if (!durable_) options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
    running_ = pgCtl({"start", "-w", "-t", "30", "-l", (dir_.path() / "server.log").string(),
                      "-o", options});
    return running_ || failWith("pg_ctl start failed");
  }

  bool pgCtl(std::vector<std::string> args) {
    args.insert(args.begin(), {(bin_ / "pg_ctl").string(), "-D", data().string()});
    return run(args);
  }

  // Runs argv (as the postgres user when we are root), output to the scratch folder.
  bool run(std::vector<std::string> argv) {
    if (::geteuid() == 0) argv.insert(argv.begin(), {"runuser", "-u", "postgres", "--"});
    const std::string log = (dir_.path() / "commands.log").string();
    pid_t pid = ::fork();
    if (pid < 0) return false;
    if (pid == 0) {
      int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      if (fd >= 0) {
        ::dup2(fd, 1);
        ::dup2(fd, 2);
      }
      ::chdir("/");
      std::vector<char*> raw;
      for (auto& arg : argv) raw.push_back(arg.data());
      raw.push_back(nullptr);
      ::execvp(raw[0], raw.data());
      ::_exit(127);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
  }

  static int freePort() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    ::close(fd);
    return ntohs(address.sin_port);
  }

  bool failWith(std::string reason) {
    error_ = std::move(reason);
    return false;
  }
  std::filesystem::path data() const { return dir_.path() / "data"; }

  TempDir dir_;
  std::filesystem::path bin_;
  int port_ = 0;
  bool running_ = false;
  bool durable_ = false;
  std::string error_;
};

}  // namespace stratus::testing
