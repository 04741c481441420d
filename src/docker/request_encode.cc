#include "docker/request_encode.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <cctype>

namespace stratus::docker {
namespace {

namespace json = boost::json;

bool isUnreserved(unsigned char c) {
  return std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

json::array stringArray(const std::vector<std::string>& values) {
  json::array array;
  for (const auto& value : values) array.emplace_back(value);
  return array;
}

// Docker splits a bind "host:container:ro" on ":", so neither side may contain one; a
// relative host path would be taken as a named volume instead.
Status checkBind(const ReadOnlyBind& bind) {
  for (const std::string* path : {&bind.hostPath, &bind.containerPath}) {
    if (path->empty() || path->front() != '/' || path->find(':') != std::string::npos ||
        path->find(',') != std::string::npos) {
      return invalid("invalid_container_spec",
                     "a bind needs absolute paths without ':' or ',': \"" + *path + "\"");
    }
  }
  return {};
}

}  // namespace

std::string percentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if (isUnreserved(c)) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::string queryString(const QueryParameters& parameters) {
  std::string out;
  for (const auto& [name, value] : parameters) {
    out += out.empty() ? '?' : '&';
    out += percentEncode(name);
    out += '=';
    out += percentEncode(value);
  }
  return out;
}

std::string encodeFilters(const Filters& filters) {
  json::object object;
  for (const auto& [name, values] : filters) {
    if (!values.empty()) object[name] = stringArray(values);
  }
  return object.empty() ? std::string() : json::serialize(object);
}

Result<std::string> containerCreateBody(const ContainerSpec& spec) {
  if (auto checked = checkObjectName(spec.image, NameKind::image); !checked) {
    return std::unexpected(checked.error());
  }
  json::object body;
  body["Image"] = spec.image;
  if (!spec.cmd.empty()) body["Cmd"] = stringArray(spec.cmd);
  if (!spec.entrypoint.empty()) body["Entrypoint"] = stringArray(spec.entrypoint);
  json::array env;
  for (const auto& [name, value] : spec.env) {
    if (name.empty() || name.find('=') != std::string::npos ||
        name.find('\0') != std::string::npos || value.find('\0') != std::string::npos) {
      return invalid("invalid_container_spec", "bad environment variable name \"" + name + "\"");
    }
    env.emplace_back(name + "=" + value);
  }
  if (!env.empty()) body["Env"] = std::move(env);
  if (!spec.user.empty()) body["User"] = spec.user;
  if (!spec.workingDir.empty()) body["WorkingDir"] = spec.workingDir;
  json::object labels;
  for (const auto& [key, value] : spec.labels) labels[key] = value;
  body["Labels"] = std::move(labels);
  // No TTY: output stays multiplexed, so stdout and stderr can be told apart in the logs.
  body["Tty"] = false;
  body["OpenStdin"] = false;
  body["AttachStdin"] = false;

  json::object host;
  if (!spec.networkMode.empty()) host["NetworkMode"] = spec.networkMode;
  host["ReadonlyRootfs"] = spec.readonlyRootfs;
  if (!spec.tmpfs.empty()) {
    json::object tmpfs;
    for (const auto& [target, options] : spec.tmpfs) {
      if (target.empty() || target.front() != '/') {
        return invalid("invalid_container_spec",
                       "a tmpfs needs an absolute target: \"" + target + "\"");
      }
      tmpfs[target] = options;
    }
    host["Tmpfs"] = std::move(tmpfs);
  }
  if (!spec.binds.empty()) {
    json::array binds;
    for (const auto& bind : spec.binds) {
      if (auto checked = checkBind(bind); !checked) return std::unexpected(checked.error());
      binds.emplace_back(bind.hostPath + ":" + bind.containerPath + ":ro");
    }
    host["Binds"] = std::move(binds);
  }
  if (!spec.capDrop.empty()) host["CapDrop"] = stringArray(spec.capDrop);
  if (!spec.securityOpt.empty()) host["SecurityOpt"] = stringArray(spec.securityOpt);
  if (spec.memoryBytes) host["Memory"] = *spec.memoryBytes;
  if (spec.memorySwapBytes) host["MemorySwap"] = *spec.memorySwapBytes;
  if (spec.nanoCpus) host["NanoCpus"] = *spec.nanoCpus;
  if (spec.pidsLimit) host["PidsLimit"] = *spec.pidsLimit;
  if (spec.init) host["Init"] = true;
  body["HostConfig"] = std::move(host);
  return json::serialize(body);
}

std::vector<std::string> labelChanges(const Labels& labels) {
  // Dockerfile string quoting: a backslash escapes the next character.
  auto quote = [](const std::string& text) {
    std::string out = "\"";
    for (char c : text) {
      if (c == '"' || c == '\\') out.push_back('\\');
      out.push_back(c == '\n' ? ' ' : c);
    }
    return out + "\"";
  };
  std::vector<std::string> changes;
  for (const auto& [key, value] : labels)
    changes.push_back("LABEL " + quote(key) + "=" + quote(value));
  return changes;
}

Status checkObjectName(std::string_view name, NameKind kind) {
  // Image references add a registry host (":" port), path ("/") and digest ("@");
  // container ids and names are [A-Za-z0-9_.-] only.
  const bool image = kind == NameKind::image;
  bool ok = !name.empty() && name.size() <= 512 && name.front() != '-' && name.front() != '.' &&
            name.front() != '/' && name.find("..") == std::string_view::npos;
  for (unsigned char c : name) {
    const bool common = std::isalnum(c) || c == '_' || c == '.' || c == '-';
    if (!common && !(image && (c == '/' || c == ':' || c == '@'))) ok = false;
  }
  if (!ok) {
    return invalid("invalid_docker_name", std::string("not a valid ") +
                                              (image ? "image" : "container") + " name: \"" +
                                              std::string(name.substr(0, 80)) + "\"");
  }
  return {};
}

}  // namespace stratus::docker
