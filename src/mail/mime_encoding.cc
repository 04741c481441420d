#include "mail/mime_encoding.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <optional>

namespace stratus::mail {
namespace {

constexpr char kHex[] = "0123456789ABCDEF";
constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// RFC 2045 allows 76 characters per encoded line; keeping the content to 75 leaves room for
// the "=" of a soft break on every line, so one limit serves both kinds of line.
constexpr std::size_t kQuotedPrintableContent = 75;
// RFC 5322 §2.1.1: lines SHOULD stay within 78 characters (and MUST within 998).
constexpr std::size_t kHeaderLine = 78;
// RFC 2047 §2: an encoded-word is at most 75 characters. "=?UTF-8?B?" + "?=" take 12, leaving
// 63, i.e. 60 characters of base64 = 45 bytes of text.
constexpr std::string_view kWordPrefix = "=?UTF-8?B?";
constexpr std::string_view kWordSuffix = "?=";
constexpr std::size_t kMaxWordBytes = 45;

void appendBase64(std::string_view bytes, std::string& out) {
  std::size_t i = 0;
  auto at = [&](std::size_t k) { return static_cast<unsigned char>(bytes[k]); };
  for (; i + 3 <= bytes.size(); i += 3) {
    const unsigned group = (at(i) << 16) | (at(i + 1) << 8) | at(i + 2);
    out += kBase64[(group >> 18) & 63];
    out += kBase64[(group >> 12) & 63];
    out += kBase64[(group >> 6) & 63];
    out += kBase64[group & 63];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest == 0) return;
  const unsigned group = (at(i) << 16) | (rest == 2 ? at(i + 1) << 8 : 0);
  out += kBase64[(group >> 18) & 63];
  out += kBase64[(group >> 12) & 63];
  out += rest == 2 ? kBase64[(group >> 6) & 63] : '=';
  out += '=';
}

// One line of text, without its line break.
void encodeQuotedPrintableLine(std::string_view line, std::string& out) {
  std::size_t column = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const auto c = static_cast<unsigned char>(line[i]);
    const bool whiteSpace = c == ' ' || c == '\t';
    // White space at the end of a line is stripped by some relays (RFC 2045 rule 3).
    bool literal =
        ((c >= 33 && c <= 126 && c != '=') || whiteSpace) && !(whiteSpace && i + 1 == line.size());
    if (column + (literal ? 1 : 3) > kQuotedPrintableContent) {
      out += "=\r\n";
      column = 0;
    }
    // A lone "." line ends the SMTP DATA of a relay that forgets to dot-stuff, and "From "
    // gets a ">" in mbox stores; encoding the first character sidesteps both.
    if (column == 0 && (c == '.' || (c == 'F' && line.substr(i).starts_with("From ")))) {
      literal = false;
    }
    if (literal) {
      out += static_cast<char>(c);
      column += 1;
    } else {
      out += '=';
      out += kHex[c >> 4];
      out += kHex[c & 15];
      column += 3;
    }
  }
}

// Unstructured text folded at spaces (RFC 5322 §2.2.3: a fold is a CRLF put before white
// space, so unfolding gives back the same text). nullopt when a word is too long for that.
std::optional<std::string> foldAtSpaces(std::size_t firstColumn, std::string_view value) {
  std::string out;
  std::size_t column = firstColumn;
  std::size_t start = 0;
  while (start < value.size()) {
    // The next piece: the white space that starts it, then a run of non-space characters.
    std::size_t end = value.find_first_not_of(' ', start);
    end = end == std::string_view::npos ? value.size() : value.find(' ', end);
    if (end == std::string_view::npos) end = value.size();
    const std::string_view piece = value.substr(start, end - start);
    if (column + piece.size() > kHeaderLine && column > firstColumn && piece.front() == ' ') {
      out += "\r\n";
      column = 0;
    }
    if (column + piece.size() > kHeaderLine) return std::nullopt;
    out += piece;
    column += piece.size();
    start = end;
  }
  return out;
}

bool isUtf8Continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// Room for text, in bytes, in one encoded-word starting at this column.
std::size_t wordRoomAt(std::size_t column) {
  const std::size_t overhead = column + kWordPrefix.size() + kWordSuffix.size();
  if (overhead >= kHeaderLine) return 0;
  return std::min(kMaxWordBytes, (kHeaderLine - overhead) / 4 * 3);
}

std::string encodeWords(std::size_t firstColumn, std::string_view value) {
  // Long enough for any UTF-8 character, so every word makes progress.
  constexpr std::size_t kLongestCharacter = 4;
  std::string out;
  std::size_t column = firstColumn;
  std::size_t start = 0;
  bool wroteWord = false;
  while (start < value.size()) {
    if (wroteWord || wordRoomAt(column) < kLongestCharacter) {
      out += "\r\n ";
      column = 1;
    }
    const std::size_t take = std::min(wordRoomAt(column), value.size() - start);
    // Never split a character between two words (RFC 2047 §5).
    std::size_t cut = start + take;
    while (cut > start && cut < value.size() && isUtf8Continuation(value[cut])) --cut;
    if (cut == start) cut = start + take;  // a run of stray continuation bytes: broken input
    const std::size_t before = out.size();
    out += kWordPrefix;
    appendBase64(value.substr(start, cut - start), out);
    out += kWordSuffix;
    column += out.size() - before;
    start = cut;
    wroteWord = true;
  }
  return out;
}

}  // namespace

std::string encodeQuotedPrintable(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find_first_of("\r\n", start);
    if (end == std::string_view::npos) {
      encodeQuotedPrintableLine(text.substr(start), out);
      return out;
    }
    encodeQuotedPrintableLine(text.substr(start, end - start), out);
    out += "\r\n";
    const bool crlf = text[end] == '\r' && end + 1 < text.size() && text[end + 1] == '\n';
    start = end + (crlf ? 2 : 1);
  }
}

std::string encodeBase64Lines(std::string_view bytes) {
  // 57 bytes of input make exactly 76 characters of base64.
  constexpr std::size_t kBytesPerLine = 57;
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); i += kBytesPerLine) {
    appendBase64(bytes.substr(i, kBytesPerLine), out);
    out += "\r\n";
  }
  return out;
}

std::string canonicalLineBreaks(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 16);
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
      out += "\r\n";
    } else if (text[i] == '\n') {
      out += "\r\n";
    } else {
      out += text[i];
    }
  }
  return out;
}

bool isPlainHeaderText(std::string_view value) {
  for (char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 32 || byte > 126) return false;
  }
  return true;
}

std::string encodeHeaderText(std::string_view name, std::string_view value) {
  const std::size_t firstColumn = name.size() + 2;  // "Name: "
  // Plain text that merely contains "=?" would be decoded by readers as if it were an
  // encoded-word; encoding it keeps what they show equal to what was sent.
  if (isPlainHeaderText(value) && value.find("=?") == std::string_view::npos) {
    if (auto folded = foldAtSpaces(firstColumn, value)) return *folded;
  }
  return encodeWords(firstColumn, value);
}

std::string formatDate(int64_t unixSeconds) {
  using namespace std::chrono;
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const sys_seconds time{seconds{unixSeconds}};
  const sys_days day = floor<days>(time);
  const year_month_day date{day};
  const hh_mm_ss clock{time - day};
  char text[64];
  std::snprintf(text, sizeof text, "%s, %02u %s %04d %02d:%02d:%02d +0000",
                kDays[weekday{day}.c_encoding()], static_cast<unsigned>(date.day()),
                kMonths[static_cast<unsigned>(date.month()) - 1], static_cast<int>(date.year()),
                static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()),
                static_cast<int>(clock.seconds().count()));
  return text;
}

}  // namespace stratus::mail
