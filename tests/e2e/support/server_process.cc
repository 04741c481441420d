#include "support/server_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "client/response.h"

extern char** environ;

namespace stratus::e2e {
namespace fs = std::filesystem;

namespace {

std::string readFile(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

int waitExit(pid_t pid, std::chrono::seconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
  return -1;
}

}  // namespace

std::string sourcePath(const std::string& relative) {
  return std::string(STRATUS_SOURCE_DIR) + "/" + relative;
}

std::string readSource(const std::string& relative) {
  std::ifstream in(sourcePath(relative));
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::unique_ptr<ServerProcess> ServerProcess::start(std::vector<std::string> extraArgs,
                                                    std::vector<std::string> extraEnv) {
  auto server = std::unique_ptr<ServerProcess>(new ServerProcess());
  char pattern[] = "/tmp/stratus-e2e-XXXXXX";
  if (!::mkdtemp(pattern)) return nullptr;
  server->dataDir_ = pattern;
  fs::permissions(server->dataDir_, fs::perms(0755));
  fs::path portFile = server->dataDir_ / "port";
  // The log starts empty; a restart appends to it.
  std::ofstream(server->dataDir_ / "server.log", std::ios::trunc);
  std::vector<std::string> args{STRATUS_BINARY, "serve", "--listen", "127.0.0.1:0",
                                "--data-dir", server->dataDir_.string(), "--port-file",
                                portFile.string()};
  server->storage_ = freshStorage(extraArgs);
  args.insert(args.end(), server->storage_.args.begin(), server->storage_.args.end());
  args.insert(args.end(), extraArgs.begin(), extraArgs.end());
  extraEnv.insert(extraEnv.begin(), server->storage_.env.begin(), server->storage_.env.end());
  server->args_ = std::move(args);
  server->env_ = std::move(extraEnv);
  if (!server->spawn()) return nullptr;
  return server;
}

bool ServerProcess::spawn() {
  fs::path portFile = dataDir_ / "port";
  fs::remove(portFile);
  std::vector<char*> argv;
  for (auto& a : args_) argv.push_back(a.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  std::string logPath = (dataDir_ / "server.log").string();
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, logPath.c_str(),
                                   O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  std::vector<std::string> envStrings;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    std::string text(*entry);
    std::string name = text.substr(0, text.find('='));
    bool replaced = false;
    for (const auto& extra : env_) replaced |= extra.substr(0, extra.find('=')) == name;
    if (!replaced) envStrings.push_back(std::move(text));
  }
  envStrings.insert(envStrings.end(), env_.begin(), env_.end());
  std::vector<char*> envp;
  for (auto& e : envStrings) envp.push_back(e.data());
  envp.push_back(nullptr);
  int rc = ::posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    std::cerr << "cannot start " << argv[0] << "\n";
    pid_ = -1;
    return false;
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    std::string port = readFile(portFile);
    if (!port.empty() && port.back() == '\n') {
      port.pop_back();
      url_ = "http://127.0.0.1:" + port;
      return true;
    }
    if (::waitpid(pid_, nullptr, WNOHANG) == pid_) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  std::cerr << "server did not start:\n" << log() << "\n";
  pid_ = -1;
  return false;
}

void ServerProcess::kill() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

bool ServerProcess::restart() {
  if (pid_ > 0) return false;
  return spawn();
}

int ServerProcess::stop() {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  int status = waitExit(pid_, std::chrono::seconds(30));
  pid_ = -1;
  return status;
}

std::string ServerProcess::log() const { return readFile(dataDir_ / "server.log"); }

ServerProcess::~ServerProcess() {
  stop();
  std::error_code ec;
  fs::remove_all(dataDir_, ec);
}

std::string tokenFromText(const std::string& text, const std::string& path) {
  const std::string marker = path + "?token=";
  auto at = text.find(marker);
  if (at == std::string::npos) return {};
  std::string token;
  for (std::size_t i = at + marker.size(); i < text.size(); ++i) {
    char c = text[i];
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') break;
    token += c;
  }
  return token;
}

namespace {

// Undoes quoted-printable (soft line breaks, =XX escapes) well enough to find a link; the
// outbox holds the MIME text the mailer would have sent.
std::string unquotePrintable(const std::string& raw) {
  std::string out;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '=') {
      out += raw[i];
      continue;
    }
    if (raw.compare(i + 1, 2, "\r\n") == 0) { i += 2; continue; }
    if (i + 1 < raw.size() && raw[i + 1] == '\n') { i += 1; continue; }
    if (i + 2 < raw.size() && std::isxdigit(static_cast<unsigned char>(raw[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(raw[i + 2]))) {
      out += static_cast<char>(std::stoi(raw.substr(i + 1, 2), nullptr, 16));
      i += 2;
      continue;
    }
    out += raw[i];
  }
  return out;
}

}  // namespace

std::string tokenFromOutbox(const ServerProcess& server, const std::string& to,
                            const std::string& path) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  const fs::path outbox = server.dataDir() / "outbox";
  while (std::chrono::steady_clock::now() < deadline) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(outbox, ec)) {
      if (entry.path().extension() != ".eml") continue;
      std::string text = unquotePrintable(readFile(entry.path()));
      if (text.find("To: " + to) == std::string::npos) continue;
      if (auto token = tokenFromText(text, path); !token.empty()) return token;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return {};
}

Account createAccount(const ServerProcess& server) {
  static std::atomic<int> counter{0};
  client::HttpClient http(server.url());
  http.setCookieJar(true);
  std::string email = "user" + std::to_string(::getpid()) + "-" + std::to_string(counter++) +
                      "@example.com";
  const boost::json::object credentials{{"email", email}, {"password", "correct horse battery"}};
  auto signup = http.postJson("/api/v1/auth/signup", credentials);
  if (!signup || !signup->ok())
    throw std::runtime_error("signup failed: " + (signup ? signup->body : signup.error().message));
  if (signup->status == 202) {
    std::string token = tokenFromOutbox(server, email, "/verify");
    if (token.empty()) throw std::runtime_error("no verification mail for " + email);
    auto verified = http.postJson("/api/v1/auth/verify", {{"token", token}});
    if (!verified || verified->status != 200) throw std::runtime_error("verification failed");
  }
  auto user = client::expectJson(http.postJson("/api/v1/auth/signin", credentials));
  if (!user) throw std::runtime_error("signin failed: " + user.error().message);
  auto key = client::expectJson(http.postJson("/api/v1/api-keys", {{"name", "e2e"}}));
  if (!key) throw std::runtime_error("api key failed: " + key.error().message);
  return Account{std::string(user->at("user").at("id").as_string()),
                 std::string(key->at("key").as_string()), email};
}

CommandResult runCli(const std::vector<std::string>& args, const std::vector<std::string>& env) {
  char outPath[] = "/tmp/stratus-cli-out-XXXXXX";
  char errPath[] = "/tmp/stratus-cli-err-XXXXXX";
  int outFd = ::mkstemp(outPath), errFd = ::mkstemp(errPath);
  std::vector<std::string> all{STRATUS_BINARY};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> envStrings;
  // `env` overrides: a variable named there is not also inherited (getenv takes the first).
  auto overridden = [&env](std::string_view entry) {
    std::string_view name = entry.substr(0, entry.find('='));
    for (const auto& e : env)
      if (std::string_view(e).substr(0, e.find('=')) == name) return true;
    return false;
  };
  for (char** e = environ; *e; ++e) {
    std::string_view entry(*e);
    if (!entry.starts_with("STRATUS_") && !overridden(entry)) envStrings.emplace_back(entry);
  }
  envStrings.insert(envStrings.end(), env.begin(), env.end());
  std::vector<char*> envp;
  for (auto& e : envStrings) envp.push_back(e.data());
  envp.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, outFd, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, errFd, STDERR_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  pid_t pid = -1;
  CommandResult result;
  if (::posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data()) == 0)
    result.exitCode = waitExit(pid, std::chrono::seconds(120));
  posix_spawn_file_actions_destroy(&actions);
  ::close(outFd);
  ::close(errFd);
  result.out = readFile(outPath);
  result.err = readFile(errPath);
  ::unlink(outPath);
  ::unlink(errPath);
  return result;
}

}  // namespace stratus::e2e
