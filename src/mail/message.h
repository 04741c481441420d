// One outgoing mail, and its Internet Message Format (RFC 5322 + MIME) rendering.
//
// Addresses and the subject come partly from users (the address typed into sign-up), so
// they are checked before they go into a header: a CR or LF would let a caller add headers
// or recipients of their own (header injection), and angle brackets, spaces or a second '@'
// would make the SMTP envelope and the To header disagree.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/error.h"

namespace stratus::mail {

struct Message {
  std::string from;  // "a@example.com" or "Display Name <a@example.com>"
  std::string to;    // a bare address: "b@example.com"
  std::string subject;
  std::string text;  // the plain-text body; always sent
  std::string html;  // optional; when set, the mail is multipart/alternative
};

// Refusal codes (ErrorKind::invalid_argument).
inline constexpr std::string_view kInvalidAddress = "invalid_mail_address";
inline constexpr std::string_view kInvalidHeader = "invalid_mail_header";

// Checks what formatMime checks, without rendering: every mailer refuses the same messages,
// including those (Resend) that never build MIME themselves.
Status validateMessage(const Message& message);

// The bare address of "Name <a@b>", "<a@b>" or "a@b" (for SMTP MAIL FROM), validated.
Result<std::string> addressOf(std::string_view from);

// The complete message, CRLF line ends, ready for SMTP DATA or an .eml file. Pure: the
// Message-ID ("local@domain", without angle brackets) and the date come from the caller.
// Bodies are UTF-8 (bytes that are not become U+FFFD, since the parts declare
// charset=UTF-8), quoted-printable or, when mostly non-ASCII, base64; a non-ASCII subject or
// display name becomes RFC 2047 encoded-words.
Result<std::string> formatMime(const Message& message, std::string_view messageId,
                               int64_t dateUnixSeconds);

// A fresh Message-ID for a mail from this address: 128 random bits "@" the sender's domain
// (RFC 5322 §3.6.4 asks for a domain the sender controls). Not pure: uses libsodium, so
// initCrypto() must have run.
std::string newMessageId(std::string_view fromAddress);

}  // namespace stratus::mail
