// The listening socket of an instance's Runtime API, made inside the instance's own network
// namespace: the runtime in the instance reaches it at 127.0.0.1:PORT (the address AWS's
// runtime clients expect in AWS_LAMBDA_RUNTIME_API), no other instance and nothing on the
// host network can, and the host serves it from its own event loop because a socket stays
// in the namespace it was made in whoever holds the descriptor.
#pragma once

#include <cstdint>

#include "common/error.h"
#include "common/unique_fd.h"

namespace stratus::runtime {

// The port runtimes are told, as Lambda's own sandboxes use.
inline constexpr uint16_t kRuntimeApiPort = 9001;

// Joins the namespace `netns` (an open /proc/PID/ns/net) on a short-lived thread, brings
// its loopback interface up (a new namespace starts with it down) and listens on
// 127.0.0.1:`port` there. Needs CAP_SYS_ADMIN and CAP_NET_ADMIN over that namespace.
Result<UniqueFd> listenInNetworkNamespace(int netns, uint16_t port = kRuntimeApiPort);

// Sets IFF_UP on "lo" in the calling thread's network namespace.
Status bringLoopbackUp();

}  // namespace stratus::runtime
