// Decoding the daemon's answers into docker/types.h values. The daemon is trusted to be
// the daemon, not to be well-formed: a wrong type or a missing field never crashes, a
// missing essential field (an id) is an error (code docker_bad_answer), and anything
// unexpected elsewhere is left at its default.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "docker/types.h"

namespace stratus::docker {

Result<VersionInfo> decodeVersion(std::string_view body);
Result<CreatedContainer> decodeCreatedContainer(std::string_view body);
Result<ContainerInfo> decodeContainerInfo(std::string_view body);
Result<std::vector<ContainerSummary>> decodeContainerList(std::string_view body);
Result<WaitResult> decodeWaitResult(std::string_view body);
Result<std::vector<ImageSummary>> decodeImageList(std::string_view body);
Result<ImageInfo> decodeImageInfo(std::string_view body);
// One line of the event stream.
Result<Event> decodeEvent(std::string_view line);

// The answer of an image import: a 200 carrying one JSON progress object per line, of
// which the last names the new image ({"status":"sha256:..."}) — or, since the status
// line went out before the tar was read, reports the failure ({"error": ...}). Returns
// the image id, or the daemon's error (code docker_import_failed).
Result<std::string> decodeImportResult(std::string_view body);

// What an error answer says: its JSON "message", else the body's first line; at most
// 300 characters, control characters replaced, so it can go into a log line and an Error.
std::string daemonMessage(std::string_view body);

}  // namespace stratus::docker
