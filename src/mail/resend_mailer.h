// Delivery through the Resend HTTP API (https://resend.com/docs/api-reference/emails):
// for hosts whose provider blocks outgoing SMTP. One JSON POST per mail.
#pragma once

#include <string>
#include <string_view>

#include "common/error.h"
#include "mail/mailer.h"

namespace stratus::mail {

struct ResendOptions {
  std::string apiKey;
  // Plain http:// is only used for a loopback host (tests); elsewhere it would put the API
  // key on the wire in clear, so sends fail instead.
  std::string endpoint = "https://api.resend.com/emails";
  long timeoutMs = 15000;
};

// The API refused the message itself (HTTP 4xx other than 408/429): resending won't help.
// ErrorKind::invalid_argument.
inline constexpr std::string_view kMailRejected = "mail_rejected";

// Never fails: a bad key or endpoint shows up as an error of every send (and in the log).
MailerPtr makeResendMailer(ResendOptions options);

// The JSON body of POST /emails: {"from","to":[to],"subject","text","html"}; "html" is left
// out when empty, since the API treats a present field as the body to show.
std::string resendRequestBody(const Message& message);

// What an answer of the API means for delivery: 2xx ok; 408, 429 and 5xx unavailable
// ("mail_unavailable", worth retrying); other 4xx "mail_rejected" with the API's message.
Status resendResponseStatus(long httpStatus, std::string_view responseBody);

}  // namespace stratus::mail
