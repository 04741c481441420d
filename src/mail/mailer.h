// The one interface every mail transport implements (STYLE §3): SMTP, the Resend HTTP API,
// or the log mailer for development. Which one runs is chosen once, from configuration, at
// start-up; the rest of the server only sees a Mailer (usually behind a MailQueue).
#pragma once

#include <memory>
#include <string_view>

#include "common/error.h"
#include "mail/message.h"

namespace stratus::mail {

class Mailer {
 public:
  virtual ~Mailer() = default;
  // Delivers one message or returns why not (ErrorKind::unavailable for transport failures,
  // invalid_argument for a message we refuse). Blocking; thread-safe.
  virtual Status send(const Message& message) = 0;
  virtual std::string_view kind() const = 0;  // "smtp" | "resend" | "log"
};

using MailerPtr = std::unique_ptr<Mailer>;

// The code of every transport failure (ErrorKind::unavailable): worth retrying later.
inline constexpr std::string_view kMailUnavailable = "mail_unavailable";

}  // namespace stratus::mail
