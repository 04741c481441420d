// The values the Docker client takes and returns: plain structs, decoded from (or encoded
// to) the Engine API's JSON by docker/json_decode.h and docker/request_encode.h. Only the
// fields Stratus uses are here; everything else the daemon sends is ignored.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace stratus::docker {

using Labels = std::map<std::string, std::string>;

// GET /version.
struct VersionInfo {
  std::string version;        // the engine's release, "20.10.24+dfsg1"
  std::string apiVersion;     // the newest API it speaks, "1.41"
  std::string minApiVersion;  // the oldest, "1.12"
  std::string os, arch, kernelVersion;
};

// A host folder shown inside the container. Always read-only: nothing Stratus mounts into
// a function's container is the function's to change.
struct ReadOnlyBind {
  std::string hostPath;
  std::string containerPath;
};

// POST /containers/create. Optional numbers left unset keep the daemon's default.
struct ContainerSpec {
  std::string name;  // empty: the daemon picks one
  std::string image;
  std::vector<std::string> cmd;
  std::vector<std::string> entrypoint;  // empty: the image's
  std::map<std::string, std::string> env;
  std::string user;        // "65534:65534"; empty: the image's
  std::string workingDir;  // empty: the image's
  Labels labels;
  // HostConfig
  std::string networkMode;  // "none", "bridge", ...; empty: the daemon's default
  bool readonlyRootfs = false;
  std::map<std::string, std::string> tmpfs;  // mount point -> options ("rw,size=64m")
  std::vector<ReadOnlyBind> binds;
  std::vector<std::string> capDrop;      // "ALL"
  std::vector<std::string> securityOpt;  // "no-new-privileges"
  std::optional<int64_t> memoryBytes;
  std::optional<int64_t> memorySwapBytes;  // memory + swap; equal to memoryBytes: no swap
  std::optional<int64_t> nanoCpus;         // 1e9 = one CPU
  std::optional<int64_t> pidsLimit;
  bool init = false;  // docker-init as PID 1: reaps zombies and forwards signals
};

struct CreatedContainer {
  std::string id;
  std::vector<std::string> warnings;
};

// GET /containers/{id}/json, the parts that say what the container is doing.
struct ContainerInfo {
  std::string id;
  std::string name;   // without the leading "/"
  std::string image;  // the image id it runs
  Labels labels;
  std::string status;  // created | running | paused | restarting | removing | exited | dead
  bool running = false;
  bool oomKilled = false;
  int64_t pid = 0;  // on the host; 0 when not running
  int exitCode = 0;
  std::string error;  // why it failed to start, if it did
};

// One entry of GET /containers/json.
struct ContainerSummary {
  std::string id;
  std::vector<std::string> names;
  std::string image;
  std::string state;  // as ContainerInfo::status
  Labels labels;
  int64_t created = 0;  // unix seconds
};

// POST /containers/{id}/wait.
struct WaitResult {
  int statusCode = 0;
  std::string error;  // the daemon's, when it could not wait
};

// GET /containers/{id}/logs, demultiplexed (docker/log_frames.h).
struct LogOutput {
  std::string out;
  std::string err;
  bool truncated = false;  // the limit cut it short
};

// One entry of GET /images/json.
struct ImageSummary {
  std::string id;
  std::vector<std::string> repoTags;
  Labels labels;
  int64_t size = 0;
  int64_t created = 0;  // unix seconds
};

// GET /images/{name}/json.
struct ImageInfo {
  std::string id;
  std::vector<std::string> repoTags;
  Labels labels;  // Config.Labels
  int64_t size = 0;
  std::string created;  // RFC 3339
};

// POST /images/create?fromSrc=-.
struct ImageImport {
  std::string repository;  // "stratus/python3.11"
  std::string tag = "latest";
  Labels labels;  // applied as Dockerfile `LABEL k=v` changes
};

// One decoded line of GET /events.
struct Event {
  std::string type;    // container | image | network | volume | daemon | ...
  std::string action;  // create | start | die | oom | kill | destroy | ...
  std::string actorId;
  std::map<std::string, std::string> attributes;  // labels, name, image, exitCode, ...
  int64_t timeNano = 0;
};

// Filters of the list and event endpoints, in the API's own form: name -> accepted values
// ("label" -> {"org.stratus.instance=1"}, "type" -> {"container"}).
using Filters = std::map<std::string, std::vector<std::string>>;

struct EventQuery {
  Filters filters;
  // Replays the daemon's buffered events from this time on (unix seconds) before the
  // live ones, so an event that happened just before subscribing is not missed.
  std::optional<int64_t> since;
};

}  // namespace stratus::docker
