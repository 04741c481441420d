// The byte-level encodings an Internet message needs (RFC 2045, 2047, 5322), as pure
// functions from text to text so each corner is unit-tested with literal input.
// Everything here emits CRLF line ends: SMTP and the .eml files on disk both want them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace stratus::mail {

// Quoted-printable body (RFC 2045 §6.7). Any line break in the input (CRLF, LF or a lone
// CR) becomes CRLF; encoded lines are at most 76 characters, using soft breaks ("=" CRLF).
// A '.' or "From " at the start of a line is encoded as well, so no relay that dot-stuffs
// or mbox-quotes can alter the body.
std::string encodeQuotedPrintable(std::string_view text);

// Base64 (RFC 4648, with padding) folded into CRLF-terminated lines of 76 characters.
std::string encodeBase64Lines(std::string_view bytes);

// Every line break (CRLF, LF or a lone CR) as CRLF: the canonical form RFC 2045 §6.8 asks
// text to be in before it is base64-encoded.
std::string canonicalLineBreaks(std::string_view text);

// A header field value for "name: value". Printable ASCII that fits on one 78-character
// line is kept as is; anything else (non-ASCII, control characters, a long value, text that
// looks like an encoded-word) becomes RFC 2047 "=?UTF-8?B?...?=" words folded with CRLF SP.
// Each word holds whole UTF-8 characters, as §5 requires. The input must not contain CR or
// LF (the caller refuses those: header injection).
std::string encodeHeaderText(std::string_view name, std::string_view value);

// True when every byte is printable ASCII or a space (nothing to encode in a header).
bool isPlainHeaderText(std::string_view value);

// The RFC 5322 date of a Unix time, always in UTC: "Thu, 01 Jan 1970 00:00:00 +0000".
// Day and month names are fixed English, whatever the process locale.
std::string formatDate(int64_t unixSeconds);

}  // namespace stratus::mail
