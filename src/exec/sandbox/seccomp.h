// The system-call filter every sandboxed program runs under: a deny-list at least as strict
// as Docker's default profile, built once with libseccomp and exported as a BPF program,
// because a child of a multi-threaded server must not allocate after clone().
#pragma once

#include <linux/filter.h>

#include <vector>

#include "common/error.h"

namespace stratus::exec::sandbox {

struct SeccompProgram {
  std::vector<sock_filter> instructions;
  sock_fprog program() const {
    return sock_fprog{static_cast<unsigned short>(instructions.size()),
                      const_cast<sock_filter*>(instructions.data())};
  }
};

Result<SeccompProgram> buildSeccompProgram();

}  // namespace stratus::exec::sandbox
