#include "docker/log_frames.h"

#include <algorithm>
#include <cstdint>

namespace stratus::docker {

Result<LogOutput> demultiplexLogs(std::string_view bytes) {
  LogOutput output;
  std::size_t offset = 0;
  while (offset < bytes.size()) {
    if (bytes.size() - offset < kFrameHeaderSize) {
      output.truncated = true;  // the header itself was cut off
      break;
    }
    const auto* header = reinterpret_cast<const unsigned char*>(bytes.data() + offset);
    const unsigned stream = header[0];
    if (stream > 2 || header[1] != 0 || header[2] != 0 || header[3] != 0) {
      return fail(ErrorKind::internal, "docker_bad_answer",
                  "the container's log stream is not multiplexed (frame header at byte " +
                      std::to_string(offset) + " is invalid)");
    }
    const std::size_t length = (std::size_t(header[4]) << 24) | (std::size_t(header[5]) << 16) |
                               (std::size_t(header[6]) << 8) | std::size_t(header[7]);
    offset += kFrameHeaderSize;
    const std::size_t available = std::min(length, bytes.size() - offset);
    std::string_view payload = bytes.substr(offset, available);
    if (stream == 1) output.out.append(payload);
    if (stream == 2) output.err.append(payload);
    // Stream 0 (stdin) only ever echoes input; logs never carry it, so it is dropped.
    offset += available;
    if (available < length) output.truncated = true;
  }
  return output;
}

}  // namespace stratus::docker
