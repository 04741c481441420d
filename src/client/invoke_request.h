// What `stratus invoke` sends, without the I/O. The function's mode decides the body of
// POST /api/v1/functions/{name}/invoke: a script-mode function gets {"args": [...]} (its
// argv, as the clone's programs expect), a handler-mode function gets the event itself,
// any JSON value. Errors here are the user's input, so the CLI reports them as usage errors.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace stratus::client {

// --event's value: JSON text, or "@path" to read it from a file (like curl's -d @file). The
// text is returned as given, not re-serialised, so numbers beyond what a double holds
// reach the handler unchanged. invalid_event when it is not JSON; file_not_found,
// not_a_file, file_unreadable for the file.
Result<std::string> readEvent(const std::string& argument);

struct InvokeRequest {
  bool handlerMode = false;  // the answer is the handler's (invoke_result.h), not a script's
  std::string body;          // JSON
};

// mode is the function's ("script" | "handler"; anything else, or nothing from an older
// server, is script). An event for a script (invalid_event) or arguments for a handler
// (invalid_args) is refused rather than silently dropped. A handler invoked without
// --event gets {}, as Lambda's handlers do.
Result<InvokeRequest> invokeRequest(std::string_view mode, std::string_view name,
                                    const std::vector<std::string>& args,
                                    const std::optional<std::string>& event);

}  // namespace stratus::client
