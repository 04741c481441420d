// The mails the account flows send, as pure functions of their inputs: plain text for
// every client and a small HTML version. Links carry the secret token, so they go only
// into the mail, never into a log line.
#pragma once

#include <string>
#include <string_view>

#include "mail/message.h"

namespace stratus::auth {

struct MailContext {
  std::string from;       // EMAIL_FROM
  std::string publicUrl;  // "https://stratus.example.com", no trailing slash
};

mail::Message verificationMail(const MailContext& context, std::string_view to,
                               std::string_view token);
// Someone signed up with an address that already has an account. The owner learns of it
// and gets the ways in; the person who tried learns nothing the response did not say.
mail::Message alreadyRegisteredMail(const MailContext& context, std::string_view to);
mail::Message passwordResetMail(const MailContext& context, std::string_view to,
                                std::string_view token);

// &, <, >, " and ' as entities.
std::string escapeHtml(std::string_view text);

}  // namespace stratus::auth
