#include "runtime/namespace_listener.h"

#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include "runtime/runtime_server.h"

namespace stratus::runtime {

Status bringLoopbackUp() {
  UniqueFd control(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!control.valid()) return sysError("socket for interface control", errno);
  ifreq request{};
  std::strncpy(request.ifr_name, "lo", IFNAMSIZ - 1);
  if (::ioctl(control.get(), SIOCGIFFLAGS, &request) != 0) return sysError("read lo flags", errno);
  if ((request.ifr_flags & IFF_UP) != 0) return {};
  request.ifr_flags = static_cast<short>(request.ifr_flags | IFF_UP | IFF_RUNNING);
  if (::ioctl(control.get(), SIOCSIFFLAGS, &request) != 0) return sysError("bring lo up", errno);
  return {};
}

Result<UniqueFd> listenInNetworkNamespace(int netns, uint16_t port) {
  // setns changes only the calling thread's namespace: a thread of its own, so the host's
  // threads never leave the host namespace, even briefly.
  Result<UniqueFd> result = internalError("namespace thread did not run");
  std::thread worker([&] {
    if (::setns(netns, CLONE_NEWNET) != 0) {
      result = sysError("join the instance's network namespace", errno);
      return;
    }
    if (auto up = bringLoopbackUp(); !up) {
      result = std::unexpected(std::move(up.error()));
      return;
    }
    result = listenOnLoopback(port);
  });
  worker.join();
  return result;
}

}  // namespace stratus::runtime
