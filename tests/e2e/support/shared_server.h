// One server for the whole e2e binary (tests that stop their server start their own), plus
// shortcuts the tests share.
#pragma once

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "client/http_client.h"
#include "client/response.h"
#include "support/server_process.h"

namespace stratus::e2e {

ServerProcess& sharedServer();

// Empty when the shared server can run the docker executor: a Docker daemon answers
// (started if need be) and `stratus runtimes build` has made the runtime images, both
// before the shared server started. Else why not, for a test to skip with.
const std::string& dockerUnavailable();

// POST /api/v1/functions/{name}/invoke with `event` as the body; a transport failure is a
// test failure (and an empty response).
client::ClientResponse invokeFunction(client::HttpClient& http, const std::string& name,
                                      const std::string& event = "{}");
// A response header's value, or "" when it is absent.
std::string headerOf(const client::ClientResponse& response, std::string_view name);

// Deploys `source` as a single-file function through the v1 API; returns the response.
client::ClientResponse deploy(client::HttpClient& http, const std::string& name,
                              const std::string& fileName, const std::string& source,
                              const std::string& handler,
                              const client::FieldList& extraFields = {});

// Calls the clone's route and parses its JSON; skips the calling test when the server runs
// without a sandbox (not root, no cgroups), naming the reason the server gave.
#define STRATUS_SKIP_IF_NO_SANDBOX(response)                                             \
  do {                                                                                   \
    if ((response).status == 501)                                                        \
      GTEST_SKIP() << "skipped: the sandbox executor is unavailable here: " << (response).body; \
  } while (0)

}  // namespace stratus::e2e
