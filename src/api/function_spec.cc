#include "api/function_spec.h"

#include <boost/json/parse.hpp>
#include <charconv>

namespace stratus::api {
namespace {

bool isAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
bool isIdentStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool isIdent(char c) { return isIdentStart(c) || (c >= '0' && c <= '9'); }

}  // namespace

Status validateName(std::string_view name) {
  // Lambda's rule: letters, digits, hyphens and underscores, 1-64 characters.
  bool ok = !name.empty() && name.size() <= 64 && isAlnum(name.front());
  for (char c : name) ok = ok && (isAlnum(c) || c == '-' || c == '_');
  if (!ok)
    return invalid("invalid_name",
                   "name must be 1-64 letters, digits, '-' or '_', starting with a letter or digit");
  return {};
}

Result<std::string> canonicalRuntime(std::string_view runtime) {
  if (runtime == "python3.11" || runtime == "python" || runtime == "python3")
    return std::string("python3.11");
  if (runtime == "nodejs20" || runtime == "nodejs20.x" || runtime == "node" || runtime == "nodejs")
    return std::string("nodejs20");
  // A custom runtime: the zip brings an executable `bootstrap` that speaks the Runtime API.
  if (runtime == "provided" || runtime == "provided.al2023" || runtime == "provided.al2")
    return std::string("provided");
  return invalid("invalid_runtime",
                 "runtime must be python3.11, nodejs20 or provided (or python, node)");
}

std::string_view sourceExtension(std::string_view runtime) {
  return runtime == "nodejs20" ? ".js" : ".py";
}

Status validateHandler(std::string_view handler) {
  // "module.function", where module may name a file in a folder ("lib/app.main"). Each
  // folder or module part is [A-Za-z0-9_-]+, so no handler can point outside the code.
  auto bad = [] {
    return invalid("invalid_handler",
                   "handler must look like module.function (e.g. cloud.calculator or "
                   "lib/app.handler)");
  };
  if (handler.empty() || handler.size() > 128) return bad();
  auto dot = handler.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == handler.size()) return bad();
  std::string_view module = handler.substr(0, dot), function = handler.substr(dot + 1);
  if (!isIdentStart(function.front())) return bad();
  for (char c : function)
    if (!isIdent(c)) return bad();
  std::size_t start = 0;
  while (start <= module.size()) {
    auto slash = module.find('/', start);
    std::string_view part = module.substr(start, slash == std::string_view::npos
                                                     ? std::string_view::npos
                                                     : slash - start);
    if (part.empty()) return bad();
    for (char c : part)
      if (!isAlnum(c) && c != '_' && c != '-') return bad();
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return {};
}

std::string entryFileFor(std::string_view handler, std::string_view runtime) {
  if (runtime == "provided") return "bootstrap";
  auto dot = handler.rfind('.');
  return std::string(handler.substr(0, dot)) + std::string(sourceExtension(runtime));
}

Result<int> parseBoundedInt(std::string_view text, int min, int max, std::string code,
                            std::string what) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max)
    return invalid(std::move(code), what + " must be a whole number from " + std::to_string(min) +
                                        " to " + std::to_string(max));
  return value;
}

Result<bool> parseBool(std::string_view text, std::string code) {
  if (text == "true" || text == "1" || text == "on" || text == "yes") return true;
  if (text == "false" || text == "0" || text == "off" || text == "no" || text.empty()) return false;
  return invalid(std::move(code), "expected true or false");
}

Status validateExecutor(std::string_view executor) {
  if (executor != "sandbox" && executor != "docker" && executor != "nanos")
    return invalid("invalid_executor", "executor must be sandbox, docker or nanos");
  return {};
}

Status validateMode(std::string_view mode) {
  if (mode != "script" && mode != "handler")
    return invalid("invalid_mode", "mode must be script or handler");
  return {};
}

Status validatePrewarm(int prewarm, std::optional<int> concurrency) {
  if (concurrency && prewarm > *concurrency)
    return invalid("invalid_prewarm", "prewarm (" + std::to_string(prewarm) +
                                          ") cannot be more than concurrency (" +
                                          std::to_string(*concurrency) +
                                          "): warm instances count against the reserved "
                                          "concurrency");
  return {};
}

Result<std::map<std::string, std::string>> parseEnv(std::string_view json) {
  auto bad = [](std::string why) { return invalid("invalid_env", "env: " + why); };
  if (json.empty()) return std::map<std::string, std::string>{};
  boost::system::error_code ec;
  auto value = boost::json::parse(json, ec);
  if (ec || !value.is_object()) return bad("must be a JSON object of strings");
  std::map<std::string, std::string> env;
  std::size_t total = 0;
  for (auto& [key, val] : value.as_object()) {
    std::string_view k = key;
    bool ok = !k.empty() && k.size() <= 128 && isIdentStart(k.front());
    for (char c : k) ok = ok && isIdent(c);
    if (!ok) return bad("variable names are letters, digits and '_' and cannot start with a digit");
    // The platform sets these for the runtime; letting a function override them would let it
    // lie about its own identity or break its bootstrap.
    if (k.starts_with("AWS_") || k.starts_with("LAMBDA_") || k.starts_with("STRATUS_") ||
        k == "_HANDLER" || k == "PATH" || k == "HOME" || k == "LD_PRELOAD" ||
        k == "LD_LIBRARY_PATH")
      return bad("variable " + std::string(k) + " is reserved");
    if (!val.is_string()) return bad("value of " + std::string(k) + " must be a string");
    total += k.size() + val.as_string().size();
    env.emplace(std::string(k), std::string(val.as_string()));
  }
  if (total > kMaxEnvBytes) return bad("variables exceed 4 KB in total");
  return env;
}

Result<FunctionSpec> validateFields(const FunctionFields& fields) {
  FunctionSpec spec;
  if (fields.name) {
    if (auto ok = validateName(*fields.name); !ok) return std::unexpected(ok.error());
    spec.name = fields.name;
  }
  if (fields.description) {
    if (fields.description->size() > 256)
      return invalid("invalid_description", "description must be at most 256 characters");
    spec.description = fields.description;
  }
  if (fields.runtime) {
    auto runtime = canonicalRuntime(*fields.runtime);
    if (!runtime) return std::unexpected(runtime.error());
    spec.runtime = *runtime;
  }
  if (fields.handler) {
    if (auto ok = validateHandler(*fields.handler); !ok) return std::unexpected(ok.error());
    spec.handler = fields.handler;
  }
  if (fields.timeout) {
    auto t = parseBoundedInt(*fields.timeout, kMinTimeoutS, kMaxTimeoutS, "invalid_timeout",
                             "timeout (seconds)");
    if (!t) return std::unexpected(t.error());
    spec.timeoutS = *t;
  }
  if (fields.memory) {
    auto m = parseBoundedInt(*fields.memory, kMinMemoryMb, kMaxMemoryMb, "invalid_memory",
                             "memory (MB)");
    if (!m) return std::unexpected(m.error());
    spec.memoryMb = *m;
  }
  if (fields.isPublic) {
    auto p = parseBool(*fields.isPublic, "invalid_public");
    if (!p) return std::unexpected(p.error());
    spec.isPublic = *p;
  }
  if (fields.env) {
    auto env = parseEnv(*fields.env);
    if (!env) return std::unexpected(env.error());
    spec.env = std::move(*env);
  }
  if (fields.mode) {
    if (auto ok = validateMode(*fields.mode); !ok) return std::unexpected(ok.error());
    spec.mode = fields.mode;
  }
  if (fields.executor) {
    if (auto ok = validateExecutor(*fields.executor); !ok) return std::unexpected(ok.error());
    spec.executor = fields.executor;
  }
  if (fields.concurrency) {
    if (fields.concurrency->empty()) {
      spec.concurrency = std::optional<int>();
    } else {
      auto c = parseBoundedInt(*fields.concurrency, kMinConcurrency, kMaxConcurrency,
                               "invalid_concurrency", "concurrency");
      if (!c) return std::unexpected(c.error());
      spec.concurrency = *c;
    }
  }
  if (fields.prewarm) {
    auto p = parseBoundedInt(*fields.prewarm, 0, kMaxPrewarm, "invalid_prewarm", "prewarm");
    if (!p) return std::unexpected(p.error());
    spec.prewarm = *p;
  }
  // Both in one request: refused here already. Against the stored values: FunctionService.
  if (spec.prewarm && spec.concurrency)
    if (auto ok = validatePrewarm(*spec.prewarm, *spec.concurrency); !ok)
      return std::unexpected(ok.error());
  return spec;
}

}  // namespace stratus::api
