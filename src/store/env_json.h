// Function environment variables as a JSON object of strings, the form the env column
// holds (a TEXT column here, jsonb in PostgreSQL).
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "common/error.h"

namespace stratus::store {

std::string encodeEnv(const std::map<std::string, std::string>& env);
// internal if the text is not an object of strings: only this store writes the column.
Result<std::map<std::string, std::string>> decodeEnv(std::string_view json);

}  // namespace stratus::store
