// The two ways a SigV4 request states when it was signed. The time is part of the string
// to sign, so these parsers accept one exact spelling each: a second spelling of the same
// instant would only be a way to disagree with the signer.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace stratus::awscompat {

// "20150830T123600Z": ISO 8601 basic format in UTC, as in X-Amz-Date and the string to sign.
std::optional<std::chrono::sys_seconds> parseAmzDate(std::string_view text);
std::string formatAmzDate(std::chrono::sys_seconds time);

// "Sun, 30 Aug 2015 12:36:00 GMT": the IMF-fixdate of RFC 9110 §5.6.7, for requests that
// carry a Date header instead of X-Amz-Date.
std::optional<std::chrono::sys_seconds> parseHttpDate(std::string_view text);

}  // namespace stratus::awscompat
