#include "docker/json_decode.h"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <limits>

namespace stratus::docker {
namespace {

namespace json = boost::json;

std::unexpected<Error> badAnswer(std::string what) {
  return fail(ErrorKind::internal, "docker_bad_answer",
              "the Docker daemon sent an answer Stratus cannot read: " + std::move(what));
}

Result<json::value> parse(std::string_view body, std::string_view what) {
  boost::system::error_code ec;
  json::value value = json::parse(body, ec);
  if (ec) return badAnswer(std::string(what) + " is not JSON (" + ec.message() + ")");
  return value;
}

// The parsed value, checked to be an object (callers read it with get_object()).
Result<json::value> parseObject(std::string_view body, std::string_view what) {
  auto value = parse(body, what);
  if (!value) return std::unexpected(value.error());
  if (!value->is_object()) return badAnswer(std::string(what) + " is not a JSON object");
  return value;
}

const json::value* field(const json::object& object, std::string_view name) {
  auto it = object.find(name);
  return it == object.end() ? nullptr : &it->value();
}

const json::object* objectField(const json::object& object, std::string_view name) {
  const json::value* value = field(object, name);
  return value && value->is_object() ? &value->get_object() : nullptr;
}

std::string stringField(const json::object& object, std::string_view name) {
  const json::value* value = field(object, name);
  return value && value->is_string() ? std::string(value->get_string()) : std::string();
}

int64_t intField(const json::object& object, std::string_view name) {
  const json::value* value = field(object, name);
  if (!value) return 0;
  if (value->is_int64()) return value->get_int64();
  if (value->is_uint64()) {
    const uint64_t big = value->get_uint64();
    return big > uint64_t(std::numeric_limits<int64_t>::max()) ? std::numeric_limits<int64_t>::max()
                                                               : int64_t(big);
  }
  if (value->is_double()) {
    const double d = value->get_double();
    if (d >= -9.2e18 && d <= 9.2e18) return int64_t(d);
  }
  return 0;
}

bool boolField(const json::object& object, std::string_view name) {
  const json::value* value = field(object, name);
  return value && value->is_bool() && value->get_bool();
}

std::vector<std::string> stringsField(const json::object& object, std::string_view name) {
  std::vector<std::string> out;
  const json::value* value = field(object, name);
  if (!value || !value->is_array()) return out;
  for (const auto& item : value->get_array()) {
    if (item.is_string()) out.emplace_back(item.get_string());
  }
  return out;
}

// Labels and event attributes: string values only (null when there are none).
std::map<std::string, std::string> stringMap(const json::object* object) {
  std::map<std::string, std::string> out;
  if (!object) return out;
  for (const auto& [key, value] : *object) {
    if (value.is_string()) out.emplace(std::string(key), std::string(value.get_string()));
  }
  return out;
}

Result<std::string> requiredId(const json::object& object, std::string_view name,
                               std::string_view what) {
  std::string id = stringField(object, name);
  if (id.empty()) return badAnswer(std::string(what) + " has no " + std::string(name));
  return id;
}

ImageSummary imageSummary(const json::object& object) {
  ImageSummary image;
  image.id = stringField(object, "Id");
  image.repoTags = stringsField(object, "RepoTags");
  image.labels = stringMap(objectField(object, "Labels"));
  image.size = intField(object, "Size");
  image.created = intField(object, "Created");
  return image;
}

ContainerSummary containerSummary(const json::object& object) {
  ContainerSummary container;
  container.id = stringField(object, "Id");
  container.names = stringsField(object, "Names");
  container.image = stringField(object, "Image");
  container.state = stringField(object, "State");
  container.labels = stringMap(objectField(object, "Labels"));
  container.created = intField(object, "Created");
  return container;
}

template <class T, class Decode>
Result<std::vector<T>> decodeArray(std::string_view body, std::string_view what, Decode decode) {
  auto value = parse(body, what);
  if (!value) return std::unexpected(value.error());
  if (!value->is_array()) return badAnswer(std::string(what) + " is not a JSON array");
  std::vector<T> out;
  for (const auto& item : value->get_array()) {
    if (!item.is_object()) continue;
    T decoded = decode(item.get_object());
    if (!decoded.id.empty()) out.push_back(std::move(decoded));
  }
  return out;
}

std::string clean(std::string_view text, std::size_t limit) {
  std::string out;
  for (unsigned char c : text.substr(0, limit))
    out.push_back(c < 0x20 || c == 0x7f ? ' ' : char(c));
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

}  // namespace

Result<VersionInfo> decodeVersion(std::string_view body) {
  auto parsed = parseObject(body, "/version");
  if (!parsed) return std::unexpected(parsed.error());
  const json::object& top = parsed->get_object();
  VersionInfo info;
  info.version = stringField(top, "Version");
  info.apiVersion = stringField(top, "ApiVersion");
  info.minApiVersion = stringField(top, "MinAPIVersion");
  info.os = stringField(top, "Os");
  info.arch = stringField(top, "Arch");
  info.kernelVersion = stringField(top, "KernelVersion");
  if (info.apiVersion.empty()) return badAnswer("/version has no ApiVersion");
  return info;
}

Result<CreatedContainer> decodeCreatedContainer(std::string_view body) {
  auto parsed = parseObject(body, "the created container");
  if (!parsed) return std::unexpected(parsed.error());
  const json::object& top = parsed->get_object();
  auto id = requiredId(top, "Id", "the created container");
  if (!id) return std::unexpected(id.error());
  return CreatedContainer{std::move(*id), stringsField(top, "Warnings")};
}

Result<ContainerInfo> decodeContainerInfo(std::string_view body) {
  auto parsed = parseObject(body, "the container");
  if (!parsed) return std::unexpected(parsed.error());
  const json::object& top = parsed->get_object();
  auto id = requiredId(top, "Id", "the container");
  if (!id) return std::unexpected(id.error());
  ContainerInfo info;
  info.id = std::move(*id);
  info.name = stringField(top, "Name");
  if (info.name.starts_with('/')) info.name.erase(0, 1);
  info.image = stringField(top, "Image");
  if (const json::object* config = objectField(top, "Config")) {
    info.labels = stringMap(objectField(*config, "Labels"));
  }
  if (const json::object* state = objectField(top, "State")) {
    info.status = stringField(*state, "Status");
    info.running = boolField(*state, "Running");
    info.oomKilled = boolField(*state, "OOMKilled");
    info.pid = intField(*state, "Pid");
    info.exitCode = int(intField(*state, "ExitCode"));
    info.error = stringField(*state, "Error");
  }
  return info;
}

Result<std::vector<ContainerSummary>> decodeContainerList(std::string_view body) {
  return decodeArray<ContainerSummary>(body, "the container list", containerSummary);
}

Result<WaitResult> decodeWaitResult(std::string_view body) {
  auto parsed = parseObject(body, "the wait result");
  if (!parsed) return std::unexpected(parsed.error());
  const json::object& top = parsed->get_object();
  if (!field(top, "StatusCode")) return badAnswer("the wait result has no StatusCode");
  WaitResult result;
  result.statusCode = int(intField(top, "StatusCode"));
  if (const json::object* error = objectField(top, "Error")) {
    result.error = stringField(*error, "Message");
  }
  return result;
}

Result<std::vector<ImageSummary>> decodeImageList(std::string_view body) {
  return decodeArray<ImageSummary>(body, "the image list", imageSummary);
}

Result<ImageInfo> decodeImageInfo(std::string_view body) {
  auto parsed = parseObject(body, "the image");
  if (!parsed) return std::unexpected(parsed.error());
  const json::object& top = parsed->get_object();
  auto id = requiredId(top, "Id", "the image");
  if (!id) return std::unexpected(id.error());
  ImageInfo info;
  info.id = std::move(*id);
  info.repoTags = stringsField(top, "RepoTags");
  info.size = intField(top, "Size");
  info.created = stringField(top, "Created");
  if (const json::object* config = objectField(top, "Config")) {
    info.labels = stringMap(objectField(*config, "Labels"));
  }
  return info;
}

Result<Event> decodeEvent(std::string_view line) {
  auto parsed = parseObject(line, "an event");
  if (!parsed) return std::unexpected(parsed.error());
  const json::object& top = parsed->get_object();
  Event event;
  event.type = stringField(top, "Type");
  event.action = stringField(top, "Action");
  if (const json::object* actor = objectField(top, "Actor")) {
    event.actorId = stringField(*actor, "ID");
    event.attributes = stringMap(objectField(*actor, "Attributes"));
  }
  // Daemons before API 1.22 sent only these older names; harmless to fall back on them.
  if (event.action.empty()) event.action = stringField(top, "status");
  if (event.actorId.empty()) event.actorId = stringField(top, "id");
  event.timeNano = intField(top, "timeNano");
  if (const int64_t seconds = intField(top, "time");
      event.timeNano == 0 && seconds > 0 && seconds < 9'000'000'000) {
    event.timeNano = seconds * 1'000'000'000;
  }
  if (event.action.empty()) return badAnswer("an event has no Action");
  return event;
}

Result<std::string> decodeImportResult(std::string_view body) {
  std::string imageId;
  std::size_t start = 0;
  while (start < body.size()) {
    std::size_t end = body.find('\n', start);
    if (end == std::string_view::npos) end = body.size();
    std::string_view line = body.substr(start, end - start);
    start = end + 1;
    if (line.find_first_not_of(" \r\t") == std::string_view::npos) continue;
    auto parsed = parseObject(line, "the import progress");
    if (!parsed) return std::unexpected(parsed.error());
    const json::object& top = parsed->get_object();
    std::string error = stringField(top, "error");
    if (const json::object* detail = objectField(top, "errorDetail"); detail && error.empty()) {
      error = stringField(*detail, "message");
    }
    if (!error.empty()) {
      return fail(ErrorKind::internal, "docker_import_failed",
                  "the Docker daemon refused the image: " + clean(error, 300));
    }
    if (std::string status = stringField(top, "status"); status.starts_with("sha256:")) {
      imageId = std::move(status);
    }
  }
  if (imageId.empty()) return badAnswer("the image import named no image");
  return imageId;
}

std::string daemonMessage(std::string_view body) {
  boost::system::error_code ec;
  json::value value = json::parse(body, ec);
  if (!ec && value.is_object()) {
    if (std::string message = stringField(value.get_object(), "message"); !message.empty()) {
      return clean(message, 300);
    }
  }
  std::string_view line = body.substr(0, body.find('\n'));
  std::string text = clean(line, 300);
  return text.empty() ? "no reason given" : text;
}

}  // namespace stratus::docker
