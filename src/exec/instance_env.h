// The environment a runtime sees, as Lambda defines it (AWS_LAMBDA_FUNCTION_NAME,
// _HANDLER, LAMBDA_TASK_ROOT...), plus Stratus's own STRATUS_MODE. Pure: shared by every
// executor, unit-tested on literal specs.
#pragma once

#include <map>
#include <string>

#include "exec/instance.h"

namespace stratus::exec {

// The variables that depend on the function: its own variables first, then the
// platform's, which win (the API already refuses reserved names; this is the backstop).
std::map<std::string, std::string> functionEnvironment(const InstanceSpec& spec);

// The spec handed to a bootstrap that waits for one (runtimes/*/bootstrap, STRATUS_SPEC_FD):
// one JSON object {"env": {...}}.
std::string bootstrapSpecJson(const InstanceSpec& spec);

}  // namespace stratus::exec
