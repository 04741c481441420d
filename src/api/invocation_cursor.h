// The `before` cursor of GET /api/v1/functions/{name}/invocations: the last row's
// (startedAt, id), opaque to clients so its form can change. Pure.
#pragma once

#include <string>
#include <string_view>

#include "common/error.h"
#include "store/model.h"

namespace stratus::api {

std::string encodeInvocationCursor(const store::InvocationCursor& cursor);

// Anything encodeInvocationCursor did not make is 400 "invalid_cursor".
Result<store::InvocationCursor> decodeInvocationCursor(std::string_view text);

}  // namespace stratus::api
