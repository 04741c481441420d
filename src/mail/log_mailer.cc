#include "mail/log_mailer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <ctime>

#include "common/crypto.h"
#include "common/log.h"
#include "common/unique_fd.h"

namespace stratus::mail {
namespace {

// "20250102T030405.678Z": sorts in time order and is safe in any file system.
std::string fileTimestamp(std::chrono::system_clock::time_point now) {
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  const std::time_t seconds = static_cast<std::time_t>(millis / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[80];  // room for any int the compiler can imagine
  std::snprintf(text, sizeof text, "%04d%02d%02dT%02d%02d%02d.%03dZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<int>(millis % 1000));
  return text;
}

Status writeAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return sysError("write outbox file", errno);
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return {};
}

class LogMailer final : public Mailer {
 public:
  explicit LogMailer(std::filesystem::path outboxDir) : outboxDir_(std::move(outboxDir)) {}

  Status send(const Message& message) override;
  std::string_view kind() const override { return "log"; }

 private:
  // The whole message in a new file; returns its path.
  Result<std::filesystem::path> store(std::string_view mime);

  std::filesystem::path outboxDir_;
};

Result<std::filesystem::path> LogMailer::store(std::string_view mime) {
  const auto now = std::chrono::system_clock::now();
  // Random suffixes keep concurrent sends (the mailer is shared) from picking one name.
  const std::string name = fileTimestamp(now) + "-" + randomHex(4) + ".eml";
  // The leading dot hides the partial file from "*.eml" globs and mail clients.
  const std::filesystem::path temporary = outboxDir_ / ("." + name + ".tmp");
  const std::filesystem::path final = outboxDir_ / name;

  UniqueFd fd(
      ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (!fd.valid()) return sysError("create outbox file", errno);
  Status written = writeAll(fd.get(), mime);
  // No fsync: this is a development outbox; after a crash a lost mail is simply resent.
  if (written && ::close(fd.release()) != 0) written = sysError("close outbox file", errno);
  if (written && ::rename(temporary.c_str(), final.c_str()) != 0) {
    written = sysError("rename outbox file", errno);
  }
  if (!written) {
    ::unlink(temporary.c_str());
    return std::unexpected(written.error());
  }
  return final;
}

Status LogMailer::send(const Message& message) {
  auto sender = addressOf(message.from);
  if (!sender) return std::unexpected(sender.error());
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(
      std::chrono::system_clock::now().time_since_epoch());
  auto mime = formatMime(message, newMessageId(*sender), seconds.count());
  if (!mime) return std::unexpected(mime.error());
  auto file = store(*mime);
  if (!file) return propagate(std::move(file.error()), "log mailer");
  // The body is logged on purpose (see log_mailer.h): it is how a developer gets the link.
  log::info("mail written to the outbox (no mail transport configured)",
            {{"to", message.to},
             {"subject", message.subject},
             {"text", message.text},
             {"file", file->string()}});
  return {};
}

}  // namespace

Result<MailerPtr> makeLogMailer(std::filesystem::path outboxDir) {
  initCrypto();  // file names and Message-IDs are random
  if (outboxDir.empty()) return invalid("invalid_outbox", "the outbox folder is not set");
  // "a/outbox/" has no file name: its parent would be the outbox itself.
  outboxDir = outboxDir.lexically_normal();
  if (!outboxDir.has_filename()) outboxDir = outboxDir.parent_path();
  std::error_code error;
  if (outboxDir.has_parent_path()) {
    std::filesystem::create_directories(outboxDir.parent_path(), error);
    if (error) {
      return sysError("create outbox parent " + outboxDir.parent_path().string(), error.value());
    }
  }
  // Mails hold sign-in links: only the server's user may read them.
  if (::mkdir(outboxDir.c_str(), 0700) != 0 && errno != EEXIST) {
    return sysError("create outbox " + outboxDir.string(), errno);
  }
  struct stat info {};
  if (::stat(outboxDir.c_str(), &info) != 0) {
    return sysError("stat outbox " + outboxDir.string(), errno);
  }
  if (!S_ISDIR(info.st_mode)) {
    return fail(ErrorKind::internal, "invalid_outbox",
                "outbox " + outboxDir.string() + " is not a folder");
  }
  return std::make_unique<LogMailer>(std::move(outboxDir));
}

}  // namespace stratus::mail
