#include "blob/s3/s3_options.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include "blob/blob_store.h"
#include "blob/s3/s3_request.h"

namespace stratus::blob {
namespace {

std::unexpected<Error> badConfig(std::string message) {
  return invalid("invalid_config", std::move(message));
}

// An empty variable counts as unset, as in AWS's tools.
std::string envValue(const std::map<std::string, std::string>& env, const char* name) {
  auto found = env.find(name);
  return found == env.end() ? std::string() : found->second;
}

std::optional<bool> parseFlag(std::string_view text) {
  if (text == "true" || text == "1") return true;
  if (text == "false" || text == "0") return false;
  return std::nullopt;
}

bool isRegionName(std::string_view region) {
  return !region.empty() && region.size() <= 64 &&
         std::all_of(region.begin(), region.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
         });
}

// The values go into HTTP headers (and the signature): a line break or control character
// would let a value add headers of its own.
bool isHeaderSafe(std::string_view value) {
  return std::all_of(value.begin(), value.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte > ' ' && byte < 127;
  });
}

struct ParsedUrl {
  std::string bucket, prefix;
  std::map<std::string, std::string> query;
};

Result<ParsedUrl> parseBlobsUrl(std::string_view url) {
  if (!url.starts_with("s3://")) return badConfig("the S3 blobs URL must start with s3://");
  url.remove_prefix(5);
  ParsedUrl parsed;
  const std::size_t question = url.find('?');
  std::string_view query =
      question == std::string_view::npos ? std::string_view() : url.substr(question + 1);
  std::string_view location = url.substr(0, question);
  const std::size_t slash = location.find('/');
  parsed.bucket = std::string(location.substr(0, slash));
  std::string_view prefix =
      slash == std::string_view::npos ? std::string_view() : location.substr(slash + 1);
  while (prefix.ends_with('/')) prefix.remove_suffix(1);
  parsed.prefix = std::string(prefix);
  while (!query.empty()) {
    const std::string_view pair = query.substr(0, query.find('&'));
    query.remove_prefix(std::min(query.size(), pair.size() + 1));
    if (pair.empty()) continue;
    const std::size_t equals = pair.find('=');
    const std::string name(pair.substr(0, equals));
    auto value = s3::percentDecode(equals == std::string_view::npos ? std::string_view()
                                                                    : pair.substr(equals + 1));
    if (!value) return badConfig("the S3 blobs URL has a malformed %-escape in \"" + name + "\"");
    if (name != "endpoint" && name != "path-style" && name != "region") {
      return badConfig("the S3 blobs URL has an unknown parameter \"" + name +
                       "\" (known: endpoint, path-style, region)");
    }
    parsed.query[name] = std::move(*value);
  }
  return parsed;
}

}  // namespace

Status validateBucketName(std::string_view bucket) {
  const std::string quoted = "the S3 bucket name \"" + std::string(bucket) + "\"";
  if (bucket.size() < 3 || bucket.size() > 63) {
    return badConfig(quoted + " must be 3 to 63 characters long");
  }
  for (char c : bucket) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-')) {
      return badConfig(quoted + " may only contain lower-case letters, digits, '.' and '-'");
    }
  }
  auto alnum = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
  if (!alnum(bucket.front()) || !alnum(bucket.back())) {
    return badConfig(quoted + " must begin and end with a letter or digit");
  }
  if (bucket.find("..") != std::string_view::npos) {
    return badConfig(quoted + " must not contain \"..\"");
  }
  return {};
}

Status validateS3Options(const S3Options& options) {
  if (auto bucket = validateBucketName(options.bucket); !bucket) return bucket;
  if (!options.prefix.empty()) {
    // The prefix is part of every key, so it obeys the key rules (no empty segments, no
    // "..", no leading or trailing slash).
    if (auto valid = validateKey(options.prefix); !valid) {
      return badConfig("the S3 key prefix \"" + options.prefix +
                       "\" is invalid: " + valid.error().message);
    }
  }
  if (!isRegionName(options.region)) {
    return badConfig("the S3 region \"" + options.region + "\" is not a region name");
  }
  if (!options.endpoint.empty()) {
    if (auto endpoint = s3::parseEndpoint(options.endpoint); !endpoint) {
      return std::unexpected(std::move(endpoint.error()));
    }
  }
  if (options.accessKeyId.empty()) return badConfig("AWS_ACCESS_KEY_ID is not set");
  if (options.secretAccessKey.empty()) return badConfig("AWS_SECRET_ACCESS_KEY is not set");
  if (!isHeaderSafe(options.accessKeyId)) {
    return badConfig("AWS_ACCESS_KEY_ID contains spaces or control characters");
  }
  // Never quote the secret or the token: messages end up in logs and API answers.
  if (!isHeaderSafe(options.secretAccessKey)) {
    return badConfig("AWS_SECRET_ACCESS_KEY contains spaces or control characters");
  }
  if (!isHeaderSafe(options.sessionToken)) {
    return badConfig("AWS_SESSION_TOKEN contains spaces or control characters");
  }
  if (options.partSize < kS3MinimumPartSize) {
    return badConfig("the S3 part size must be at least 5 MiB (S3 refuses smaller parts)");
  }
  if (options.multipartThreshold < options.partSize) {
    return badConfig("the S3 multipart threshold must be at least the part size");
  }
  if (options.maxAttempts < 1 || options.maxAttempts > 20) {
    return badConfig("the S3 attempts per request must be between 1 and 20");
  }
  if (options.backoffBase.count() < 0) return badConfig("the S3 retry back-off must be >= 0");
  if (options.connectTimeoutMs <= 0 || options.requestTimeoutMs <= 0) {
    return badConfig("the S3 timeouts must be positive");
  }
  return {};
}

Result<S3Options> s3OptionsFrom(std::string_view blobsUrl,
                                const std::map<std::string, std::string>& env) {
  S3Options options;
  ParsedUrl url;
  if (!blobsUrl.empty()) {
    auto parsed = parseBlobsUrl(blobsUrl);
    if (!parsed) return std::unexpected(std::move(parsed.error()));
    url = std::move(*parsed);
  } else {
    url.bucket = envValue(env, "AWS_S3_BUCKET");
    if (url.bucket.empty()) {
      return badConfig("no S3 bucket: give --blobs s3://bucket[/prefix] or set AWS_S3_BUCKET");
    }
  }
  if (url.bucket.empty()) return badConfig("the S3 blobs URL names no bucket (s3://bucket/...)");
  options.bucket = url.bucket;
  options.prefix = url.prefix;

  if (auto region = url.query.find("region"); region != url.query.end()) {
    options.region = region->second;
  } else if (auto fromEnv = envValue(env, "AWS_REGION"); !fromEnv.empty()) {
    options.region = fromEnv;
  } else if (auto fallback = envValue(env, "AWS_DEFAULT_REGION"); !fallback.empty()) {
    options.region = fallback;
  }

  if (auto endpoint = url.query.find("endpoint"); endpoint != url.query.end()) {
    options.endpoint = endpoint->second;
  } else if (auto s3Only = envValue(env, "AWS_ENDPOINT_URL_S3"); !s3Only.empty()) {
    options.endpoint = s3Only;
  } else {
    options.endpoint = envValue(env, "AWS_ENDPOINT_URL");
  }
  while (options.endpoint.ends_with('/')) options.endpoint.pop_back();

  if (auto pathStyle = url.query.find("path-style"); pathStyle != url.query.end()) {
    auto flag = parseFlag(pathStyle->second);
    if (!flag) return badConfig("path-style in the S3 blobs URL must be true or false");
    options.pathStyle = *flag;
  } else if (auto forced = envValue(env, "AWS_S3_FORCE_PATH_STYLE"); !forced.empty()) {
    auto flag = parseFlag(forced);
    if (!flag) return badConfig("AWS_S3_FORCE_PATH_STYLE must be true, false, 1 or 0");
    options.pathStyle = *flag;
  }

  options.accessKeyId = envValue(env, "AWS_ACCESS_KEY_ID");
  options.secretAccessKey = envValue(env, "AWS_SECRET_ACCESS_KEY");
  options.sessionToken = envValue(env, "AWS_SESSION_TOKEN");
  if (auto valid = validateS3Options(options); !valid) return std::unexpected(valid.error());
  return options;
}

}  // namespace stratus::blob
