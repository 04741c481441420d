// The clone's way of running a function, as the baseline of the clone route: a new
// container per call, `docker run --rm` of a Python image with the code mounted read-only.
//
// Nothing can be pulled here, so the image is made from the host's own interpreter: the
// /usr/bin/python3 binary, its standard library with lib-dynload, and every shared library
// ldd lists for them, copied into a folder that `docker import` turns into an image. It is
// built once and found again by its tag, which names the interpreter's version and a hash
// of its binary. When docker is missing or its daemon does not answer, the baseline is
// reported as skipped with that reason, never estimated.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "common/error.h"

namespace stratus::bench {

struct DockerStatus {
  bool usable = false;
  std::string reason;         // why not, when !usable
  std::string serverVersion;  // when usable
};
DockerStatus checkDocker();

// The tag of the host-Python image, building and importing it first if it is not there.
Result<std::string> ensurePythonImage();

struct DockerTiming {
  std::string command;  // one call, spelled out for the report
  int calls = 0;
  double medianMs = 0, minMs = 0, maxMs = 0, meanMs = 0;
};

// `docker run --rm -v codeDir:/code:ro IMAGE /usr/bin/python3 /code/<script> args...`
// `calls` times in a row (after one unmeasured call), each checked to exit 0 and to print
// `expectOutput`; the wall time of each, from starting the docker client to its exit.
Result<DockerTiming> timeDockerRuns(const std::string& image,
                                    const std::filesystem::path& codeDir,
                                    const std::string& script,
                                    const std::vector<std::string>& args,
                                    const std::string& expectOutput, int calls);

}  // namespace stratus::bench
