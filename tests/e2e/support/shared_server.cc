#include "support/shared_server.h"

#include <cstdio>
#include <cstdlib>

#include "testing/docker_daemon.h"

namespace stratus::e2e {
namespace {

std::unique_ptr<ServerProcess>& holder() {
  static std::unique_ptr<ServerProcess> server;
  return server;
}

class SharedServerEnvironment : public ::testing::Environment {
 public:
  void TearDown() override {
    if (auto& server = holder()) {
      int status = server->stop();
      EXPECT_EQ(status, 0) << "server did not shut down cleanly:\n" << server->log();
      server.reset();
    }
  }
};

const auto* registered = ::testing::AddGlobalTestEnvironment(new SharedServerEnvironment);

}  // namespace

const std::string& dockerUnavailable() {
  // Before the shared server starts, so that it finds the daemon and the images.
  static const std::string reason = testing::DockerDaemon::ensureRuntimeImages(STRATUS_BINARY);
  return reason;
}

ServerProcess& sharedServer() {
  auto& server = holder();
  if (!server) {
    if (const auto& why = dockerUnavailable(); !why.empty())
      std::fprintf(stderr, "the docker executor's tests will skip: %s\n", why.c_str());
    // Every suite on this server signs up from the same address, more often than a person
    // would; throttling has its own tests (account_flow_test.cc) on a server with defaults.
    server = ServerProcess::start({"--rate-limits=false"});
    if (!server) {
      ADD_FAILURE() << "cannot start the stratus server";
      std::abort();
    }
  }
  return *server;
}

client::ClientResponse invokeFunction(client::HttpClient& http, const std::string& name,
                                      const std::string& event) {
  auto response =
      http.request("POST", "/api/v1/functions/" + name + "/invoke", event, "application/json");
  EXPECT_TRUE(response) << (response ? "" : response.error().describe());
  return response ? *response : client::ClientResponse{};
}

std::string headerOf(const client::ClientResponse& response, std::string_view name) {
  auto value = response.header(name);
  return value ? std::string(*value) : std::string();
}

client::ClientResponse deploy(client::HttpClient& http, const std::string& name,
                              const std::string& fileName, const std::string& source,
                              const std::string& handler, const client::FieldList& extraFields) {
  client::FieldList fields{{"name", name}, {"handler", handler}};
  fields.insert(fields.end(), extraFields.begin(), extraFields.end());
  auto response = http.postMultipart("/api/v1/functions", fields,
                                     {client::FilePart{"functionFile", fileName, source}});
  if (!response) {
    ADD_FAILURE() << "deploy failed: " << response.error().message;
    return {};
  }
  return *response;
}

}  // namespace stratus::e2e
