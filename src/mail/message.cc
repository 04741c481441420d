#include "mail/message.h"

#include <algorithm>

#include "common/crypto.h"
#include "common/utf8.h"
#include "mail/mime_encoding.h"

namespace stratus::mail {
namespace {

// '=' in quoted-printable is always followed by two hex digits or a line break, and base64
// has no '_': "=_" cannot occur in any body we encode.
constexpr std::string_view kBoundary = "=_stratus_alternative";
// RFC 5321 §4.5.3.1: a path is at most 256 octets with its angle brackets, a local part 64.
constexpr std::size_t kMaxAddress = 254;
constexpr std::size_t kMaxLocalPart = 64;
// Long enough for any real name; keeps the From line well under the 998-octet limit.
constexpr std::size_t kMaxDisplayName = 256;

struct Mailbox {
  std::string displayName;  // unquoted, may be empty
  std::string address;
};

bool hasLineBreak(std::string_view text) {
  return text.find_first_of("\r\n") != std::string_view::npos;
}

std::string_view trimBlanks(std::string_view text) {
  const std::size_t first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

// Deliberately narrower than RFC 5322's addr-spec: no quoted local parts, comments or
// non-ASCII (that would need SMTPUTF8). What is left is what sign-up accepts anyway, and
// it can go into a header and an SMTP command verbatim.
bool isSimpleAddress(std::string_view address) {
  if (address.empty() || address.size() > kMaxAddress) return false;
  for (char c : address) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= ' ' || byte >= 127) return false;
    if (std::string_view("<>()[]\\,;:\"").find(c) != std::string_view::npos) return false;
  }
  const std::size_t at = address.find('@');
  if (at == std::string_view::npos || address.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  const std::string_view local = address.substr(0, at);
  const std::string_view domain = address.substr(at + 1);
  return !local.empty() && local.size() <= kMaxLocalPart && !domain.empty() &&
         domain.front() != '.' && domain.back() != '.' &&
         domain.find("..") == std::string_view::npos;
}

Status checkAddress(std::string_view address, std::string_view role) {
  if (hasLineBreak(address)) {
    return invalid(std::string(kInvalidHeader),
                   "the " + std::string(role) + " address contains a line break");
  }
  if (!isSimpleAddress(address)) {
    // The address itself stays out of the message: it is user input and may be anything.
    return invalid(std::string(kInvalidAddress),
                   "the " + std::string(role) +
                       " address is not a valid mail address (exactly one '@'; no spaces, "
                       "angle brackets or control characters)");
  }
  return {};
}

// A display name in quotes: backslash escapes one character; a bare quote ends it early.
Result<std::string> unquote(std::string_view quoted) {
  std::string out;
  for (std::size_t i = 1; i + 1 < quoted.size(); ++i) {
    if (quoted[i] == '\\' && i + 2 < quoted.size()) {
      out += quoted[++i];
    } else if (quoted[i] == '"' || quoted[i] == '\\') {
      return invalid(std::string(kInvalidAddress), "the sender's display name is badly quoted");
    } else {
      out += quoted[i];
    }
  }
  return out;
}

Result<Mailbox> parseMailbox(std::string_view text) {
  if (hasLineBreak(text)) {
    return invalid(std::string(kInvalidHeader), "the sender address contains a line break");
  }
  const std::string_view trimmed = trimBlanks(text);
  if (!trimmed.ends_with('>')) {
    if (auto ok = checkAddress(trimmed, "sender"); !ok) return std::unexpected(ok.error());
    return Mailbox{"", std::string(trimmed)};
  }
  const std::size_t open = trimmed.rfind('<');
  if (open == std::string_view::npos) {
    return invalid(std::string(kInvalidAddress), "the sender address has a '>' but no '<'");
  }
  Mailbox mailbox;
  mailbox.address = std::string(trimmed.substr(open + 1, trimmed.size() - open - 2));
  if (auto ok = checkAddress(mailbox.address, "sender"); !ok) return std::unexpected(ok.error());

  const std::string_view name = trimBlanks(trimmed.substr(0, open));
  if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
    auto unquoted = unquote(name);
    if (!unquoted) return std::unexpected(unquoted.error());
    mailbox.displayName = std::move(*unquoted);
  } else {
    if (name.find_first_of("\"<>") != std::string_view::npos) {
      return invalid(std::string(kInvalidAddress),
                     "the sender's display name needs quotes around '\"', '<' or '>'");
    }
    mailbox.displayName = std::string(name);
  }
  for (char c : mailbox.displayName) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < ' ' || byte == 127) {
      return invalid(std::string(kInvalidHeader),
                     "the sender's display name contains a control character");
    }
  }
  if (mailbox.displayName.size() > kMaxDisplayName) {
    return invalid(std::string(kInvalidHeader), "the sender's display name is too long");
  }
  return mailbox;
}

// RFC 5322 atext: what a display name may hold without quotes (besides single spaces).
bool isAtomText(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos;
}

bool isPlainPhrase(std::string_view name) {
  if (name.front() == ' ' || name.back() == ' ' || name.find("  ") != std::string_view::npos) {
    return false;
  }
  for (char c : name) {
    if (c != ' ' && !isAtomText(c)) return false;
  }
  return name.find("=?") == std::string_view::npos;
}

std::string formatMailbox(const Mailbox& mailbox) {
  if (mailbox.displayName.empty()) return mailbox.address;
  const std::string name = toValidUtf8(mailbox.displayName);
  std::string phrase;
  if (isPlainPhrase(name)) {
    phrase = name;
  } else if (isPlainHeaderText(name)) {
    phrase = "\"";
    for (char c : name) {
      if (c == '"' || c == '\\') phrase += '\\';
      phrase += c;
    }
    phrase += '"';
  } else {
    phrase = encodeHeaderText("From", name);
  }
  return phrase + " <" + mailbox.address + ">";
}

// Headers, blank line and body of one text part. Quoted-printable keeps mostly-ASCII text
// readable in the raw message (and in the outbox); text that is mostly non-ASCII, Japanese
// say, would nearly triple in size that way, so it goes as base64 instead.
void appendTextPart(std::string& out, std::string_view type, std::string_view body) {
  const std::string text = toValidUtf8(body);  // the part declares charset=UTF-8
  const auto nonAscii = std::count_if(
      text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0x80) != 0; });
  const bool base64 = static_cast<std::size_t>(nonAscii) * 3 > text.size();
  out += "Content-Type: ";
  out += type;
  out += "; charset=UTF-8\r\nContent-Transfer-Encoding: ";
  out += base64 ? "base64" : "quoted-printable";
  out += "\r\n\r\n";
  out += base64 ? encodeBase64Lines(canonicalLineBreaks(text)) : encodeQuotedPrintable(text);
}

}  // namespace

Status validateMessage(const Message& message) {
  if (auto from = parseMailbox(message.from); !from) return std::unexpected(from.error());
  if (auto ok = checkAddress(message.to, "recipient"); !ok) return ok;
  if (hasLineBreak(message.subject)) {
    return invalid(std::string(kInvalidHeader), "the subject contains a line break");
  }
  return {};
}

Result<std::string> addressOf(std::string_view from) {
  auto mailbox = parseMailbox(from);
  if (!mailbox) return std::unexpected(mailbox.error());
  return std::move(mailbox->address);
}

Result<std::string> formatMime(const Message& message, std::string_view messageId,
                               int64_t dateUnixSeconds) {
  if (auto ok = validateMessage(message); !ok) return std::unexpected(ok.error());
  auto from = parseMailbox(message.from);
  if (!from) return std::unexpected(from.error());
  if (!isSimpleAddress(messageId)) {
    return invalid(std::string(kInvalidHeader), "the message id must look like local@domain");
  }

  std::string out;
  out.reserve(1024 + message.text.size() * 5 / 4 + message.html.size() * 5 / 4);
  out += "Date: " + formatDate(dateUnixSeconds) + "\r\n";
  out += "From: " + formatMailbox(*from) + "\r\n";
  out += "To: " + message.to + "\r\n";
  out += "Subject: " + encodeHeaderText("Subject", toValidUtf8(message.subject)) + "\r\n";
  out += "Message-ID: <" + std::string(messageId) + ">\r\n";
  out += "MIME-Version: 1.0\r\n";

  if (message.html.empty()) {
    appendTextPart(out, "text/plain", message.text);
    if (!out.ends_with("\r\n")) out += "\r\n";  // SMTP DATA wants whole lines
    return out;
  }

  const std::string delimiter = "--" + std::string(kBoundary);
  out += "Content-Type: multipart/alternative; boundary=\"" + std::string(kBoundary) + "\"\r\n";
  out += "\r\n";
  // Readers show the last part they understand, so the richer HTML part comes second. The
  // CRLF before each delimiter belongs to it (RFC 2046 §5.1.1), so each part decodes to
  // exactly its body, trailing newline or not.
  out += delimiter + "\r\n";
  appendTextPart(out, "text/plain", message.text);
  out += "\r\n" + delimiter + "\r\n";
  appendTextPart(out, "text/html", message.html);
  out += "\r\n" + delimiter + "--\r\n";
  return out;
}

std::string newMessageId(std::string_view fromAddress) {
  const std::size_t at = fromAddress.rfind('@');
  // "localhost" only for a sender we would refuse anyway; the id must still be well formed.
  const std::string_view domain = at == std::string_view::npos || at + 1 == fromAddress.size()
                                      ? "localhost"
                                      : fromAddress.substr(at + 1);
  return randomHex(16) + "@" + std::string(domain);
}

}  // namespace stratus::mail
