#include "client/local_file.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace stratus::client {

Result<std::string> readLocalFile(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    int err = errno;
    if (err == ENOENT || err == ENOTDIR) {
      return invalid("file_not_found", "no such file: " + path);
    }
    return invalid("file_unreadable", "cannot read " + path + ": " + std::strerror(err));
  }
  if (!S_ISREG(info.st_mode)) return invalid("not_a_file", path + " is not a regular file");
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return invalid("file_unreadable", "cannot read " + path + ": " + std::strerror(errno));
  }
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) return invalid("file_unreadable", "cannot read " + path);
  return std::move(content).str();
}

}  // namespace stratus::client
