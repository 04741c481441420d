// The daemon's failures as Stratus errors: kinds, codes, and messages an operator can act on.
#include "docker/api_errors.h"

#include <gtest/gtest.h>

#include <cerrno>

namespace stratus::docker {
namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(ApiErrors, MissingImageHintsTheBuild) {
  Error error = apiError(404, R"({"message":"No such image: stratus/python3.11:latest"})",
                         Subject::container, "create a container");
  EXPECT_EQ(error.kind, ErrorKind::not_found);
  EXPECT_EQ(error.code, "docker_image_missing");
  EXPECT_TRUE(contains(error.message, "No such image: stratus/python3.11:latest"));
  EXPECT_TRUE(contains(error.message, "stratus runtimes build"));

  EXPECT_EQ(apiError(404, R"({"message":"no such image"})", Subject::image, "inspect").code,
            "docker_image_missing");
}

TEST(ApiErrors, OtherStatuses) {
  Error gone = apiError(404, R"({"message":"No such container: abc"})", Subject::container, "kill");
  EXPECT_EQ(gone.code, "docker_container_missing");
  EXPECT_TRUE(contains(gone.message, "No such container: abc"));
  EXPECT_EQ(apiError(404, "", Subject::other, "x").code, "docker_not_found");

  Error conflict = apiError(409, R"({"message":"Container abc is not running"})",
                            Subject::container, "kill a container");
  EXPECT_EQ(conflict.kind, ErrorKind::conflict);
  EXPECT_EQ(conflict.message,
            "the Docker daemon could not kill a container: Container abc is not running");

  EXPECT_EQ(apiError(400, R"({"message":"invalid mount config"})", Subject::container, "x").kind,
            ErrorKind::invalid_argument);
  EXPECT_EQ(apiError(403, "{}", Subject::other, "x").code, "docker_forbidden");

  Error internal = apiError(500, R"({"message":"OCI runtime create failed"})", Subject::container,
                            "start a container");
  EXPECT_EQ(internal.kind, ErrorKind::internal);
  EXPECT_EQ(internal.code, "docker_error");
  EXPECT_TRUE(contains(internal.message, "OCI runtime create failed"));
  EXPECT_TRUE(contains(internal.message, "HTTP 500"));
}

TEST(ApiErrors, UnreachableNamesTheSocketAndWhatToDo) {
  auto endpoint = parseDockerHost("");
  ASSERT_TRUE(endpoint);
  Error missing = unreachableError(*endpoint, "Couldn't connect to server", ENOENT);
  EXPECT_EQ(missing.kind, ErrorKind::unavailable);
  EXPECT_EQ(missing.code, "docker_unavailable");
  EXPECT_TRUE(missing.message.starts_with(
      "the Docker daemon is not reachable at unix:///var/run/docker.sock: "));
  EXPECT_TRUE(contains(missing.message, "start dockerd"));
  EXPECT_TRUE(contains(unreachableError(*endpoint, "", ECONNREFUSED).message, "refused"));
  EXPECT_TRUE(contains(unreachableError(*endpoint, "", EACCES).message, "docker"));
  EXPECT_TRUE(contains(unreachableError(*endpoint, "curl says", 0).message, "curl says"));

  auto tcp = parseDockerHost("tcp://10.1.1.1:2375");
  EXPECT_TRUE(contains(timeoutError(*tcp, "answer a ping", 5000).message,
                       "tcp://10.1.1.1:2375 did not answer a ping within 5000 ms"));
}

}  // namespace
}  // namespace stratus::docker
