#include "mail/smtp_mailer.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "common/crypto.h"
#include "mail/curl_support.h"

namespace stratus::mail {
namespace {

// A relay that accepts the connection but never greets should not hold a delivery thread
// for the whole timeout before curl gives up on it.
constexpr long kMaxConnectTimeoutMs = 10'000;

// "host:port" of a valid SMTP URL, for error messages. Messages never quote the URL itself:
// an operator who put a password in it anyway should not find it in the logs.
Result<std::string> checkUrl(const std::string& text) {
  auto bad = [](std::string why) {
    return invalid(std::string(kInvalidSmtpOptions), "mail SMTP URL: " + std::move(why));
  };
  detail::UrlPtr url(curl_url());
  if (!url) return internalError("curl_url failed");
  if (curl_url_set(url.get(), CURLUPART_URL, text.c_str(), 0) != CURLUE_OK) {
    return bad("not a URL of the form smtp://host:port or smtps://host:port");
  }
  const std::string scheme = detail::urlPart(url.get(), CURLUPART_SCHEME);
  if (scheme != "smtp" && scheme != "smtps") {
    return bad("the scheme must be smtp (STARTTLS) or smtps (implicit TLS)");
  }
  auto has = [&](CURLUPart part) { return !detail::urlPart(url.get(), part).empty(); };
  if (has(CURLUPART_USER) || has(CURLUPART_PASSWORD)) {
    return bad("credentials belong in the username and password settings, not in the URL");
  }
  if (has(CURLUPART_QUERY) || has(CURLUPART_FRAGMENT)) {
    return bad("a query or fragment has no meaning for SMTP");
  }
  const std::string host = detail::urlPart(url.get(), CURLUPART_HOST);
  if (host.empty()) return bad("the host is missing");
  return host + ":" + detail::urlPart(url.get(), CURLUPART_PORT, CURLU_DEFAULT_PORT);
}

size_t readUpload(char* buffer, size_t size, size_t count, void* user) {
  auto* rest = static_cast<std::string_view*>(user);
  const size_t n = std::min(size * count, rest->size());
  std::memcpy(buffer, rest->data(), n);
  rest->remove_prefix(n);
  return n;
}

int64_t nowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class SmtpMailer final : public Mailer {
 public:
  SmtpMailer(SmtpOptions options, std::string where)
      : options_(std::move(options)), where_(std::move(where)) {}

  Status send(const Message& message) override;
  std::string_view kind() const override { return "smtp"; }

 private:
  SmtpOptions options_;
  std::string where_;  // "host:port"
};

Status SmtpMailer::send(const Message& message) {
  auto sender = addressOf(message.from);  // also refuses what formatMime would
  if (!sender) return std::unexpected(sender.error());
  auto mime = formatMime(message, newMessageId(*sender), nowSeconds());
  if (!mime) return std::unexpected(mime.error());

  detail::EasyPtr handle = detail::newEasyHandle();
  CURL* h = handle.get();
  char errorBuffer[CURL_ERROR_SIZE] = {};
  std::string_view upload = *mime;
  // The envelope is what relays act on; it carries the same addresses as the headers.
  const std::string mailFrom = "<" + *sender + ">";
  detail::SlistPtr recipients;
  detail::append(recipients, "<" + message.to + ">");

  curl_easy_setopt(h, CURLOPT_URL, options_.url.c_str());
  // A configured URL can only ever speak SMTP, whatever it says.
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);  // other threads: no SIGALRM for DNS timeouts
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errorBuffer);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, options_.timeoutMs);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                   std::min(options_.timeoutMs, kMaxConnectTimeoutMs));
  // Credentials, like the mail itself, must never cross the network in plaintext; without
  // them an unencrypted local relay is allowed when the operator turned requireTls off.
  const bool hasCredentials = !options_.username.empty() || !options_.password.empty();
  curl_easy_setopt(
      h, CURLOPT_USE_SSL,
      static_cast<long>(options_.requireTls || hasCredentials ? CURLUSESSL_ALL : CURLUSESSL_TRY));
  // Only whom to trust: peer and host name verification stay at libcurl's default, on.
  if (!options_.caFile.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, options_.caFile.c_str());
  if (hasCredentials) {
    curl_easy_setopt(h, CURLOPT_USERNAME, options_.username.c_str());
    curl_easy_setopt(h, CURLOPT_PASSWORD, options_.password.c_str());
  }
  curl_easy_setopt(h, CURLOPT_MAIL_FROM, mailFrom.c_str());
  curl_easy_setopt(h, CURLOPT_MAIL_RCPT, recipients.get());
  curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(h, CURLOPT_READFUNCTION, readUpload);
  curl_easy_setopt(h, CURLOPT_READDATA, &upload);
  curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(mime->size()));

  const CURLcode code = curl_easy_perform(h);
  if (code != CURLE_OK) {
    return std::unexpected(
        detail::transportError("SMTP delivery via " + where_ + " failed", code, errorBuffer));
  }
  return {};
}

}  // namespace

Result<MailerPtr> makeSmtpMailer(SmtpOptions options) {
  detail::initCurlOnce();
  initCrypto();  // Message-IDs are random
  auto where = checkUrl(options.url);
  if (!where) return std::unexpected(where.error());
  if (options.timeoutMs <= 0) {
    return invalid(std::string(kInvalidSmtpOptions), "the SMTP timeout must be positive");
  }
  // A CA file that cannot be read fails every send: say so at start-up instead.
  if (!options.caFile.empty()) {
    std::error_code ignored;
    if (!std::filesystem::is_regular_file(options.caFile, ignored) ||
        !std::ifstream(options.caFile).good()) {
      return invalid(std::string(kInvalidSmtpOptions),
                     "the SMTP CA file cannot be read: " + options.caFile);
    }
  }
  return std::make_unique<SmtpMailer>(std::move(options), std::move(*where));
}

}  // namespace stratus::mail
