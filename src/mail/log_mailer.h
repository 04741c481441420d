// The mailer for development, used when no transport is configured: nothing leaves the
// machine. Each mail is written whole to the outbox folder as an .eml file (any mail client
// opens it) and summarised in the log with its text body, so a developer can follow a
// verification or reset link straight from the server's output.
//
// That log line holds live single-use tokens: fine on a laptop, which is why production
// configures SMTP or Resend (and the server warns at start-up when it falls back to this).
#pragma once

#include <filesystem>

#include "common/error.h"
#include "mail/mailer.h"

namespace stratus::mail {

// Creates outboxDir (mode 0700, parents as needed) if it does not exist. Files are
// <UTC time>-<random>.eml, mode 0600, and appear atomically (written under a hidden
// temporary name, then renamed), so a reader never sees half a message.
Result<MailerPtr> makeLogMailer(std::filesystem::path outboxDir);

}  // namespace stratus::mail
