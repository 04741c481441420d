#include "auth/server_secret.h"

#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <cerrno>

#include "common/unique_fd.h"

namespace stratus::auth {
namespace {

constexpr std::size_t kKeyBytes = 32;

Result<std::string> readKey(const std::filesystem::path& file) {
  UniqueFd fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (!fd.valid()) return sysError("open " + file.string(), errno);
  std::string key(kKeyBytes + 1, '\0');
  ssize_t got = ::read(fd.get(), key.data(), key.size());
  if (got != static_cast<ssize_t>(kKeyBytes))
    return fail(ErrorKind::internal, "bad_secret_key",
                file.string() + " must hold exactly 32 bytes; remove it to make a new one");
  key.resize(kKeyBytes);
  return key;
}

}  // namespace

Result<ServerSecret> ServerSecret::loadOrCreate(const std::filesystem::path& file) {
  std::error_code ec;
  if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path(), ec);
  if (ec) return sysError("create " + file.parent_path().string(), ec.value());
  if (std::filesystem::exists(file, ec)) return existingSecret(file);
  // The key is written whole under a private name, then linked into place: link() fails
  // if the name exists, so of two processes starting together one key wins, and neither
  // can read the other's half-written file.
  std::string key(kKeyBytes, '\0');
  randombytes_buf(key.data(), key.size());
  const std::filesystem::path temp = file.string() + ".~" + std::to_string(::getpid());
  {
    UniqueFd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (!fd.valid()) return sysError("create " + temp.string(), errno);
    if (::write(fd.get(), key.data(), key.size()) != static_cast<ssize_t>(key.size()) ||
        ::fsync(fd.get()) != 0) {
      int err = errno;
      ::unlink(temp.c_str());
      return sysError("write " + temp.string(), err);
    }
  }
  const int linked = ::link(temp.c_str(), file.c_str());
  const int linkError = errno;
  ::unlink(temp.c_str());
  if (linked == 0) return ServerSecret(std::move(key));
  if (linkError != EEXIST) return sysError("create " + file.string(), linkError);
  return existingSecret(file);
}

Result<ServerSecret> ServerSecret::existingSecret(const std::filesystem::path& file) {
  auto key = readKey(file);
  if (!key) return std::unexpected(key.error());
  return ServerSecret(std::move(*key));
}

Result<ServerSecret> ServerSecret::fromText(std::string_view encoded) {
  std::string key(kKeyBytes, '\0');
  std::size_t length = 0;
  for (int variant : {sodium_base64_VARIANT_URLSAFE_NO_PADDING, sodium_base64_VARIANT_URLSAFE,
                      sodium_base64_VARIANT_ORIGINAL}) {
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(key.data()), key.size(),
                          encoded.data(), encoded.size(), nullptr, &length, nullptr,
                          variant) == 0 &&
        length == kKeyBytes)
      return ServerSecret(std::move(key));
  }
  return invalid("invalid_secret_key", "STRATUS_SECRET_KEY must be base64 of exactly 32 bytes");
}

std::string ServerSecret::subkey(std::string_view purpose) const {
  std::string out(kKeyBytes, '\0');
  crypto_generichash(reinterpret_cast<unsigned char*>(out.data()), out.size(),
                     reinterpret_cast<const unsigned char*>(purpose.data()), purpose.size(),
                     reinterpret_cast<const unsigned char*>(key_.data()), key_.size());
  return out;
}

}  // namespace stratus::auth
