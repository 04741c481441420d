// Delivery over SMTP with libcurl: to the operator's own relay or a provider's submission
// port. TLS is the default and is never silently dropped: with requireTls (or credentials)
// a server that does not offer STARTTLS fails the send instead of getting the mail, and the
// password, in plaintext.
#pragma once

#include <string>

#include "common/error.h"
#include "mail/mailer.h"

namespace stratus::mail {

struct SmtpOptions {
  // smtp://host[:port] (STARTTLS; port 25 by default, 587 for submission) or
  // smtps://host[:port] (implicit TLS, 465 by default). An optional path is the name sent
  // with EHLO. Credentials go in username/password, never in the URL.
  std::string url;
  std::string username, password;
  bool requireTls = true;  // STARTTLS must succeed; false = plain allowed (local test servers)
  long timeoutMs = 15000;  // the whole conversation, connect included
  // PEM file of extra CAs to trust for the server's certificate, for a relay with a private
  // CA (CURLOPT_CAINFO). It replaces libcurl's default CA bundle file; libcurl's default CA
  // directory, where it has one (/etc/ssl/certs on Debian), stays trusted. Empty: the
  // defaults alone. The certificate and its host name are always verified.
  std::string caFile;
};

// Refusal code for a bad url or timeout (ErrorKind::invalid_argument).
inline constexpr std::string_view kInvalidSmtpOptions = "invalid_smtp_options";

// Checks the options (scheme, host, no credentials or query in the URL, positive timeout,
// a readable CA file when one is named); connects only when sending.
Result<MailerPtr> makeSmtpMailer(SmtpOptions options);

}  // namespace stratus::mail
