// The Engine API's multiplexed stream (logs and attach of a container without a TTY):
// frames of an 8-byte header — stream (0 stdin, 1 stdout, 2 stderr), three zero bytes, the
// payload length as a big-endian uint32 — then the payload.
#pragma once

#include <string_view>

#include "common/error.h"
#include "docker/types.h"

namespace stratus::docker {

inline constexpr std::size_t kFrameHeaderSize = 8;

// Splits `bytes` into stdout and stderr. A last frame cut short (the caller's size limit
// stopped the transfer mid-frame) keeps what arrived and sets `truncated`. A header that
// is not one (an unknown stream, non-zero padding: a TTY container's raw output, or a
// corrupt stream) is an error, code docker_bad_answer.
Result<LogOutput> demultiplexLogs(std::string_view bytes);

}  // namespace stratus::docker
