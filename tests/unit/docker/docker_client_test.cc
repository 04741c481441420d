// The client against a daemon that says what the test wants: negotiation, the paths and
// bodies it sends, and what it does with answers the real daemon would not give.
#include "docker/docker_client.h"

#include <gtest/gtest.h>

#include "fake_daemon.h"

namespace stratus::docker {
namespace {

using testing::FakeDaemon;
using testing::FakeRequest;
using testing::reply;
using testing::versionReply;

Result<DockerClient> connectTo(const FakeDaemon& daemon) {
  return DockerClient::connect(*parseDockerHost(daemon.host()));
}

TEST(DockerClientFake, NegotiatesDownToItsOwnVersion) {
  FakeDaemon daemon([](const FakeRequest& request) {
    if (request.target == "/version") return versionReply("1.50", "1.24");
    return reply(200, "[]");
  });
  auto client = connectTo(daemon);
  ASSERT_TRUE(client) << client.error().describe();
  EXPECT_EQ(client->apiVersion(), kNewestApiVersion);
  EXPECT_EQ(client->daemonVersion().apiVersion, "1.50");
  ASSERT_TRUE(client->listContainers({{"label", {"a=b"}}}));
  const auto requests = daemon.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[1].target,
            "/v1.41/containers/json?all=1&filters=%7B%22label%22%3A%5B%22a%3Db%22%5D%7D");
}

TEST(DockerClientFake, UsesAnOlderDaemonsVersion) {
  FakeDaemon daemon([](const FakeRequest& request) {
    if (request.target == "/version") return versionReply("1.40", "1.12");
    return reply(200, "OK", "text/plain");
  });
  auto client = connectTo(daemon);
  ASSERT_TRUE(client);
  ASSERT_TRUE(client->ping());
  EXPECT_EQ(daemon.requests().back().target, "/v1.40/_ping");
}

TEST(DockerClientFake, RefusesDaemonsItCannotSpeakWith) {
  FakeDaemon old([](const FakeRequest&) { return versionReply("1.30", "1.12"); });
  EXPECT_EQ(connectTo(old).error().code, "docker_api_unsupported");
  FakeDaemon html([](const FakeRequest&) { return reply(200, "<html>hi</html>", "text/html"); });
  EXPECT_EQ(connectTo(html).error().code, "docker_bad_answer");
  FakeDaemon refusing(
      [](const FakeRequest&) { return reply(500, "daemon on fire", "text/plain"); });
  auto refused = connectTo(refusing);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, "docker_error");
  EXPECT_NE(refused.error().message.find("daemon on fire"), std::string::npos);
}

TEST(DockerClientFake, AnAnswerCutShortIsTheDaemonGoingAway) {
  FakeDaemon daemon([](const FakeRequest& request) -> std::string {
    if (request.target == "/version") return versionReply("1.41", "1.12");
    return "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"Id\":";
  });
  auto client = connectTo(daemon);
  ASSERT_TRUE(client);
  auto info = client->inspectContainer("abc");
  ASSERT_FALSE(info);
  EXPECT_EQ(info.error().kind, ErrorKind::unavailable);
  EXPECT_EQ(info.error().code, "docker_unavailable");
  EXPECT_NE(info.error().message.find("broke off"), std::string::npos) << info.error().message;
}

TEST(DockerClientFake, HostileAnswersAreErrorsNotCrashes) {
  std::string next;
  FakeDaemon daemon([&](const FakeRequest& request) {
    if (request.target == "/version") return versionReply("1.41", "1.12");
    return next;
  });
  auto client = connectTo(daemon);
  ASSERT_TRUE(client);
  next = reply(200, std::string(5000, '['));
  EXPECT_EQ(client->inspectContainer("abc").error().code, "docker_bad_answer");
  next = reply(200, R"({"Id":{"nested":true}})");
  EXPECT_EQ(client->inspectContainer("abc").error().code, "docker_bad_answer");
  next = reply(200, R"([{"Id":"a","Labels":"not an object","Names":[1,2,null]}])");
  auto list = client->listContainers();
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_TRUE((*list)[0].labels.empty());
  EXPECT_TRUE((*list)[0].names.empty());
  next = reply(200, "no frames here", "application/vnd.docker.raw-stream");
  EXPECT_EQ(client->containerLogs("abc").error().code, "docker_bad_answer");
  next = reply(404, R"({"message":"No such container: abc"})");
  EXPECT_EQ(client->killContainer("abc").error().code, "docker_container_missing");
}

TEST(DockerClientFake, SendsTheCreateBodyAndTheImportStream) {
  FakeDaemon daemon([](const FakeRequest& request) {
    if (request.target == "/version") return versionReply("1.41", "1.12");
    if (request.target.starts_with("/v1.41/containers/create")) {
      return reply(201, R"({"Id":"c0ffee","Warnings":[]})");
    }
    return reply(200, "{\"status\":\"Importing\"}\r\n{\"status\":\"sha256:feed\"}\r\n");
  });
  auto client = connectTo(daemon);
  ASSERT_TRUE(client);
  ContainerSpec spec;
  spec.name = "stratus-f1";
  spec.image = "stratus/python3.11";
  spec.networkMode = "none";
  auto created = client->createContainer(spec);
  ASSERT_TRUE(created) << created.error().describe();
  EXPECT_EQ(created->id, "c0ffee");

  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const std::string tar(200000, 't');
  std::thread writer([&] {
    for (std::size_t at = 0; at < tar.size(); at += 4096) {
      if (::write(fds[1], tar.data() + at, std::min<std::size_t>(4096, tar.size() - at)) < 0) break;
    }
    ::close(fds[1]);
  });
  auto imported = client->importImage({"stratus/x", "v1", {{"k", "v w"}}}, fds[0]);
  writer.join();
  ::close(fds[0]);
  ASSERT_TRUE(imported) << imported.error().describe();
  EXPECT_EQ(*imported, "sha256:feed");

  const auto requests = daemon.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[1].method, "POST");
  EXPECT_EQ(requests[1].target, "/v1.41/containers/create?name=stratus-f1");
  EXPECT_NE(requests[1].body.find(R"("NetworkMode":"none")"), std::string::npos);
  EXPECT_EQ(requests[2].target,
            "/v1.41/images/"
            "create?fromSrc=-&repo=stratus%2Fx&tag=v1&changes=LABEL%20%22k%22%3D%22v%20w%22");
  EXPECT_NE(requests[2].headers.find("content-type: application/x-tar"), std::string::npos);
  EXPECT_EQ(requests[2].body, tar);
}

TEST(DockerClientFake, NamesThatWouldChangeThePathAreRefusedBeforeSending) {
  FakeDaemon daemon([](const FakeRequest&) { return versionReply("1.41", "1.12"); });
  auto client = connectTo(daemon);
  ASSERT_TRUE(client);
  EXPECT_EQ(client->inspectContainer("../../images/x").error().code, "invalid_docker_name");
  EXPECT_EQ(client->removeContainer("a?force=1").error().code, "invalid_docker_name");
  EXPECT_EQ(client->inspectImage("img#frag").error().code, "invalid_docker_name");
  EXPECT_EQ(daemon.requests().size(), 1u);  // only /version
}

}  // namespace
}  // namespace stratus::docker
