// Which Debian mirror this machine uses, read from its own apt configuration, so that
// `stratus runtimes build` fetches packages from where the machine is allowed to (no
// mirror name is built into Stratus). Both formats: deb822 (sources.list.d/*.sources,
// Debian 12's default) and one-line (sources.list, *.list).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace stratus::app {

// The mirror for `suite` in one file's text: the first URI of an enabled `deb` entry
// listing `suite` itself, else of one listing any suite that is not a security or
// backports suite (any Debian mirror carries every release). Only http, https and file
// URIs count: debootstrap cannot use the others.
std::optional<std::string> mirrorFromDeb822(std::string_view text, std::string_view suite);
std::optional<std::string> mirrorFromOneLine(std::string_view text, std::string_view suite);

// Reads /etc/apt/sources.list.d/*.sources, then /etc/apt/sources.list and
// sources.list.d/*.list (under `aptDir`, "/etc/apt" outside tests), and returns the first
// mirror found. Fails (code no_debian_mirror) saying what was read.
Result<std::string> findDebianMirror(std::string_view suite,
                                     const std::string& aptDir = "/etc/apt");

}  // namespace stratus::app
