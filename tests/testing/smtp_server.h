// A real SMTP server for integration tests: Debian's python3-aiosmtpd, run as a child
// process that stores every mail it accepts in a Maildir. The mail tests then read what
// actually arrived, after a real SMTP conversation, instead of trusting a fake.
//
// Also a deliberately small MIME reader (testing::mime) for what mail/message.cc writes:
// unfolded headers, RFC 2047 B/Q encoded-words, multipart/* with quoted-printable or base64
// parts. Charsets are assumed to be UTF-8 (ours always are); anything fancier is left as is.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "testing/temp_dir.h"

extern char** environ;

namespace stratus::testing {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct ReceivedMail {
  HeaderList headers;             // unfolded, in file order
  std::string to, from, subject;  // encoded-words decoded
  std::string text, html;         // decoded bodies, "\n" line ends
  std::string raw;                // the message as stored

  // The first header of that name (case-insensitive), "" when absent.
  std::string header(std::string_view name) const;
};

namespace mime {

inline std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

inline int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

inline std::string decodeQuotedPrintable(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '=') {
      out += text[i];
    } else if (text.substr(i + 1).starts_with("\r\n")) {
      i += 2;  // soft line break
    } else if (text.substr(i + 1).starts_with("\n")) {
      i += 1;
    } else if (i + 2 < text.size() && hexValue(text[i + 1]) >= 0 && hexValue(text[i + 2]) >= 0) {
      out += static_cast<char>(hexValue(text[i + 1]) * 16 + hexValue(text[i + 2]));
      i += 2;
    } else {
      out += '=';  // malformed: keep it, as RFC 2045 suggests
    }
  }
  return out;
}

inline std::string decodeBase64(std::string_view text) {
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : text) {
    if (c == '=') break;
    const std::size_t value = kAlphabet.find(c);
    if (value == std::string_view::npos) continue;  // line breaks
    buffer = (buffer << 6) | static_cast<unsigned>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  return out;
}

// One "=?charset?B|Q?text?=" at the start of text: its decoded bytes and its length.
inline bool decodeWord(std::string_view text, std::string& decoded, std::size_t& length) {
  if (!text.starts_with("=?")) return false;
  const std::size_t charsetEnd = text.find('?', 2);
  if (charsetEnd == std::string_view::npos || charsetEnd + 2 >= text.size() ||
      text[charsetEnd + 2] != '?') {
    return false;
  }
  const std::string charset = lower(text.substr(2, charsetEnd - 2));
  const char encoding =
      static_cast<char>(std::toupper(static_cast<unsigned char>(text[charsetEnd + 1])));
  const std::size_t end = text.find("?=", charsetEnd + 3);
  if (end == std::string_view::npos) return false;
  if (charset != "utf-8" && charset != "us-ascii") return false;
  const std::string_view payload = text.substr(charsetEnd + 3, end - charsetEnd - 3);
  if (encoding == 'B') {
    decoded = decodeBase64(payload);
  } else if (encoding == 'Q') {
    std::string underscores(payload);
    std::replace(underscores.begin(), underscores.end(), '_', ' ');
    decoded = decodeQuotedPrintable(underscores);
  } else {
    return false;
  }
  length = end + 2;
  return true;
}

// RFC 2047 §6.2: white space between two adjacent encoded-words is not part of the text.
inline std::string decodeEncodedWords(std::string_view text) {
  std::string out, space;
  bool afterWord = false;
  for (std::size_t i = 0; i < text.size();) {
    std::string decoded;
    std::size_t length = 0;
    if (decodeWord(text.substr(i), decoded, length)) {
      if (!afterWord) out += space;
      space.clear();
      out += decoded;
      afterWord = true;
      i += length;
    } else if (text[i] == ' ' || text[i] == '\t') {
      space += text[i++];
    } else {
      out += space;
      space.clear();
      out += text[i++];
      afterWord = false;
    }
  }
  return out + space;
}

inline std::string withoutCarriageReturns(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    out += text[i];
  }
  return out;
}

// Headers and body of one entity (a whole message or one part), "\n" line ends.
inline std::pair<HeaderList, std::string> splitEntity(std::string_view entity) {
  HeaderList headers;
  std::size_t end = entity.starts_with("\n") ? 0 : entity.find("\n\n");
  const std::string_view head = entity.substr(0, end);
  const std::string_view body =
      end == std::string_view::npos ? std::string_view{} : entity.substr(end + (end ? 2 : 1));
  std::istringstream lines{std::string(head)};
  for (std::string line; std::getline(lines, line);) {
    if ((line.starts_with(" ") || line.starts_with("\t")) && !headers.empty()) {
      headers.back().second += line;  // unfolding removes only the line break
    } else if (const std::size_t colon = line.find(':'); colon != std::string::npos) {
      std::string value = line.substr(colon + 1);
      const std::size_t first = value.find_first_not_of(" \t");
      value.erase(0, first == std::string::npos ? value.size() : first);
      headers.emplace_back(line.substr(0, colon), std::move(value));
    }
  }
  return {std::move(headers), std::string(body)};
}

inline std::string headerOf(const HeaderList& headers, std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (lower(key) == lower(name)) return value;
  }
  return "";
}

inline std::string boundaryOf(std::string_view contentType) {
  const std::size_t at = lower(contentType).find("boundary=");
  if (at == std::string::npos) return "";
  std::string_view value = contentType.substr(at + 9);
  if (value.starts_with('"')) return std::string(value.substr(1, value.find('"', 1) - 1));
  return std::string(value.substr(0, value.find_first_of("; \t")));
}

// Fills mail.text / mail.html from the first text/plain and text/html parts found.
inline void readEntity(std::string_view entity, ReceivedMail& mail, int depth = 0) {
  auto [headers, body] = splitEntity(entity);
  const std::string contentType = headerOf(headers, "Content-Type");
  const std::string type = lower(contentType.substr(0, contentType.find(';')));
  if (type.starts_with("multipart/") && depth < 4) {
    const std::string delimiter = "--" + boundaryOf(contentType);
    // Delimiter lines split the body; the line break before one belongs to it.
    std::vector<std::string> parts;
    bool firstLine = false;
    std::istringstream lines(body);
    for (std::string line; std::getline(lines, line);) {
      const std::string trimmed = line.substr(0, line.find_last_not_of(" \t") + 1);
      if (trimmed == delimiter + "--") break;
      if (trimmed == delimiter) {
        parts.emplace_back();
        firstLine = true;
      } else if (!parts.empty()) {  // lines before the first delimiter are the preamble
        if (!firstLine) parts.back() += '\n';
        parts.back() += line;
        firstLine = false;
      }
    }
    for (const auto& part : parts) readEntity(part, mail, depth + 1);
    return;
  }
  const std::string encoding = lower(headerOf(headers, "Content-Transfer-Encoding"));
  std::string decoded = encoding == "quoted-printable" ? decodeQuotedPrintable(body)
                        : encoding == "base64"         ? decodeBase64(body)
                                                       : body;
  decoded = withoutCarriageReturns(decoded);
  if ((type.empty() || type == "text/plain") && mail.text.empty()) mail.text = decoded;
  if (type == "text/html" && mail.html.empty()) mail.html = decoded;
}

// A whole message as stored (CRLF or LF line ends).
inline ReceivedMail parseMail(std::string raw) {
  ReceivedMail mail;
  const std::string normal = withoutCarriageReturns(raw);
  mail.headers = splitEntity(normal).first;
  mail.to = decodeEncodedWords(mail.header("To"));
  mail.from = decodeEncodedWords(mail.header("From"));
  mail.subject = decodeEncodedWords(mail.header("Subject"));
  readEntity(normal, mail);
  mail.raw = std::move(raw);
  return mail;
}

}  // namespace mime

inline std::string ReceivedMail::header(std::string_view name) const {
  return mime::headerOf(headers, name);
}

struct SmtpServerOptions {
  // tests/fixtures/smtp/tls_auth_server.py instead of the plain server: STARTTLS with a
  // throwaway self-signed certificate for 127.0.0.1 (caFile()), then AUTH as user/password.
  // Its mails carry X-Test-TLS (the TLS version) and X-Test-Login (the authenticated user).
  bool starttlsAndAuth = false;
  std::string user = "mailer";
  std::string password = "relay password 1";
};

class SmtpServer {
 public:
  // Whether /usr/bin/python3 can import aiosmtpd; asked once per process.
  static bool available() {
    static const bool answer = [] {
      const char* argv[] = {kPython, "-c", "import aiosmtpd", nullptr};
      return ::access(kPython, X_OK) == 0 && runQuietly(argv);
    }();
    return answer;
  }

  static std::string skipReason() {
    return "no SMTP server for tests: /usr/bin/python3 cannot import aiosmtpd "
           "(apt-get install python3-aiosmtpd)";
  }

  // available() and skipReason() of the STARTTLS + AUTH variant, which also needs the
  // openssl command on PATH to make its certificate.
  static bool tlsAvailable() { return available() && !opensslPath().empty(); }
  static std::string tlsSkipReason() {
    return available() ? "no openssl on PATH to make a test certificate (apt-get install openssl)"
                       : skipReason();
  }

  // Starts the server and waits until it accepts connections; throws when it cannot.
  explicit SmtpServer(SmtpServerOptions options = {}) : options_(std::move(options)) {
    if (options_.starttlsAndAuth) {
      if (!tlsAvailable()) throw std::runtime_error(tlsSkipReason());
      makeCertificate();
      // The script picks its own port and writes it to a file once it serves: no port is
      // probed from here, so no other process can be mistaken for it.
      start();
      if (waitForPortFile(std::chrono::seconds(20))) return;
      stop();
      throw std::runtime_error("tests/fixtures/smtp/tls_auth_server.py did not start");
    }
    if (!available()) throw std::runtime_error(skipReason());
    // Another process may take the free port between our probe and the server's bind: the
    // server then exits at once, and a new port is tried.
    for (int attempt = 0; attempt < 3; ++attempt) {
      port_ = freePort();
      start();
      if (waitUntilListening(std::chrono::seconds(10))) return;
      stop();
    }
    throw std::runtime_error("aiosmtpd did not start listening");
  }
  ~SmtpServer() { stop(); }
  SmtpServer(const SmtpServer&) = delete;
  SmtpServer& operator=(const SmtpServer&) = delete;

  int port() const { return port_; }
  // The STARTTLS variant's certificate, self-signed: it is its own CA (SmtpOptions::caFile).
  std::string caFile() const { return (folder_.path() / "cert.pem").string(); }
  std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }
  // The Maildir every accepted mail is written to (one file per mail in new/), for
  // readers outside this process such as the browser test's script.
  std::filesystem::path maildir() const { return folder_.path() / "maildir"; }

  // Every mail accepted so far, in arrival order.
  std::vector<ReceivedMail> mails() const {
    std::vector<std::filesystem::path> files;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(maildir() / "new", error)) {
      if (entry.is_regular_file()) files.push_back(entry.path());
    }
    // In arrival order: Maildir names start with the second and an unpadded microsecond
    // count, so sorting names would misorder mails that arrive within one second.
    std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) {
      std::error_code ignored;
      auto ta = std::filesystem::last_write_time(a, ignored);
      auto tb = std::filesystem::last_write_time(b, ignored);
      return ta != tb ? ta < tb : a < b;
    });
    std::vector<ReceivedMail> out;
    for (const auto& file : files) {
      std::ifstream in(file, std::ios::binary);
      std::ostringstream content;
      content << in.rdbuf();
      out.push_back(mime::parseMail(content.str()));
    }
    return out;
  }

  // Polls until at least count mails arrived or the timeout passed; returns what is there.
  std::vector<ReceivedMail> waitForMails(std::size_t count,
                                         std::chrono::milliseconds timeout) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      auto found = mails();
      if (found.size() >= count || std::chrono::steady_clock::now() >= deadline) return found;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

 private:
  static constexpr const char* kPython = "/usr/bin/python3";

  // Runs argv[0] (a path) with its output thrown away; true when it exits with 0.
  static bool runQuietly(const char* const argv[]) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid = -1;
    const int spawned =
        posix_spawn(&pid, argv[0], &actions, nullptr, const_cast<char* const*>(argv), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (spawned != 0) return false;
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
  }

  // The openssl command found on PATH, "" when there is none; looked up once per process.
  static const std::string& opensslPath() {
    static const std::string found = [] {
      const char* path = std::getenv("PATH");
      std::istringstream folders(path ? path : "");
      for (std::string folder; std::getline(folders, folder, ':');) {
        if (folder.empty()) continue;  // the current folder: never trusted for a command
        const std::string candidate = folder + "/openssl";
        if (::access(candidate.c_str(), X_OK) == 0) return candidate;
      }
      return std::string();
    }();
    return found;
  }

  std::filesystem::path keyFile() const { return folder_.path() / "key.pem"; }
  std::filesystem::path portFile() const { return folder_.path() / "port"; }

  void makeCertificate() {
    const std::string cert = caFile(), key = keyFile().string();
    // A day is plenty for one test; the subjectAltName is what curl checks against the
    // 127.0.0.1 of url() (the CN alone is ignored by modern clients).
    const char* argv[] = {opensslPath().c_str(),
                          "req",
                          "-x509",
                          "-newkey",
                          "rsa:2048",
                          "-nodes",
                          "-days",
                          "1",
                          "-subj",
                          "/CN=127.0.0.1",
                          "-addext",
                          "subjectAltName=IP:127.0.0.1",
                          "-keyout",
                          key.c_str(),
                          "-out",
                          cert.c_str(),
                          nullptr};
    if (!runQuietly(argv)) throw std::runtime_error("openssl could not make a test certificate");
  }

  static sockaddr_in loopback(int port) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<uint16_t>(port));
    return address;
  }

  static int freePort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) throw std::runtime_error("socket failed");
    sockaddr_in address = loopback(0);
    socklen_t size = sizeof address;
    const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
                    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) == 0;
    ::close(fd);
    if (!ok) throw std::runtime_error("cannot find a free port");
    return ntohs(address.sin_port);
  }

  static bool accepts(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    const sockaddr_in address = loopback(port);
    const bool ok = ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
    ::close(fd);
    return ok;
  }

  void start() {
    // Everything the child needs is built before fork: after it, only async-signal-safe
    // calls are allowed (other test threads may hold the allocator's locks).
    const std::string listen = "127.0.0.1:" + std::to_string(port_);
    const std::string folder = maildir().string();
    const std::string script =
        std::string(STRATUS_SOURCE_DIR) + "/tests/fixtures/smtp/tls_auth_server.py";
    const std::string cert = caFile(), key = keyFile().string(), port = portFile().string();
    const char* plain[] = {kPython,        "-m",           "aiosmtpd", "-n",
                           "-l",           listen.c_str(), "-c",       "aiosmtpd.handlers.Mailbox",
                           folder.c_str(), nullptr};
    const char* secure[] = {kPython,        script.c_str(),        cert.c_str(),
                            key.c_str(),    options_.user.c_str(), options_.password.c_str(),
                            folder.c_str(), port.c_str(),          nullptr};
    const char* const* argv = options_.starttlsAndAuth ? secure : plain;
    const pid_t parent = ::getpid();
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      // A test binary that crashes must not leave servers behind. (The signal follows the
      // forking thread, not the process: construct servers on the test's own thread.)
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (::getppid() != parent) ::_exit(1);  // the parent died before prctl took effect
      const int null = ::open("/dev/null", O_RDWR);
      if (null >= 0) {
        ::dup2(null, 0);
        ::dup2(null, 1);
        ::dup2(null, 2);
      }
      ::execv(kPython, const_cast<char* const*>(argv));
      ::_exit(127);
    }
  }

  // Whether the server process has ended (then reaped; for the plain server, most likely
  // because another process took its port).
  bool exited() {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) != pid_) return false;
    pid_ = -1;
    return true;
  }

  bool waitUntilListening(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (exited()) return false;
      if (accepts(port_)) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

  // The STARTTLS variant writes its port (whole: it renames the file into place) once it
  // has answered a first connection.
  bool waitForPortFile(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (exited()) return false;
      std::ifstream in(portFile());
      if (in >> port_ && port_ > 0) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

  void stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
  }

  SmtpServerOptions options_;
  TempDir folder_;
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace stratus::testing
