// Query strings, filters and the container-create body, checked on their literal output.
#include "docker/request_encode.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace stratus::docker {
namespace {

namespace json = boost::json;

TEST(RequestEncode, PercentEncodesAllButUnreserved) {
  EXPECT_EQ(percentEncode("a-b_c.d~e"), "a-b_c.d~e");
  EXPECT_EQ(percentEncode("LABEL \"k\"=\"v w\""), "LABEL%20%22k%22%3D%22v%20w%22");
  EXPECT_EQ(percentEncode("{\"label\":[\"a=b\"]}"), "%7B%22label%22%3A%5B%22a%3Db%22%5D%7D");
  EXPECT_EQ(percentEncode("stratus/python3.11"), "stratus%2Fpython3.11");
  EXPECT_EQ(percentEncode(std::string("\xff\n", 2)), "%FF%0A");
}

TEST(RequestEncode, QueryStringKeepsOrderAndRepeats) {
  EXPECT_EQ(queryString({}), "");
  EXPECT_EQ(queryString({{"fromSrc", "-"}, {"changes", "LABEL a=1"}, {"changes", "LABEL b=2"}}),
            "?fromSrc=-&changes=LABEL%20a%3D1&changes=LABEL%20b%3D2");
}

TEST(RequestEncode, Filters) {
  EXPECT_EQ(encodeFilters({}), "");
  EXPECT_EQ(encodeFilters({{"label", {}}}), "");
  EXPECT_EQ(encodeFilters({{"label", {"org.stratus.node=a", "org.stratus.managed"}},
                           {"type", {"container"}}}),
            R"({"label":["org.stratus.node=a","org.stratus.managed"],"type":["container"]})");
}

TEST(RequestEncode, ContainerCreateBody) {
  ContainerSpec spec;
  spec.image = "stratus/python3.11";
  spec.cmd = {"/usr/bin/python3", "-c", "print(1)"};
  spec.env = {{"AWS_LAMBDA_RUNTIME_API", "127.0.0.1:9001"}, {"EMPTY", ""}};
  spec.user = "65534:65534";
  spec.workingDir = "/var/task";
  spec.labels = {{"org.stratus.instance", "i-1"}};
  spec.networkMode = "none";
  spec.readonlyRootfs = true;
  spec.tmpfs = {{"/tmp", "rw,size=64m"}};
  spec.binds = {{"/srv/code/f1", "/var/task"}};
  spec.capDrop = {"ALL"};
  spec.securityOpt = {"no-new-privileges"};
  spec.memoryBytes = 128ll << 20;
  spec.memorySwapBytes = 128ll << 20;
  spec.nanoCpus = 500'000'000;
  spec.pidsLimit = 64;
  spec.init = true;
  auto body = containerCreateBody(spec);
  ASSERT_TRUE(body) << body.error().message;
  const json::value parsed = json::parse(*body);
  const json::value expected = json::parse(R"json({
    "Image": "stratus/python3.11",
    "Cmd": ["/usr/bin/python3", "-c", "print(1)"],
    "Env": ["AWS_LAMBDA_RUNTIME_API=127.0.0.1:9001", "EMPTY="],
    "User": "65534:65534",
    "WorkingDir": "/var/task",
    "Labels": {"org.stratus.instance": "i-1"},
    "Tty": false, "OpenStdin": false, "AttachStdin": false,
    "HostConfig": {
      "NetworkMode": "none",
      "ReadonlyRootfs": true,
      "Tmpfs": {"/tmp": "rw,size=64m"},
      "Binds": ["/srv/code/f1:/var/task:ro"],
      "CapDrop": ["ALL"],
      "SecurityOpt": ["no-new-privileges"],
      "Memory": 134217728,
      "MemorySwap": 134217728,
      "NanoCpus": 500000000,
      "PidsLimit": 64,
      "Init": true
    }
  })json");
  EXPECT_EQ(parsed, expected) << *body;
}

TEST(RequestEncode, MinimalBodyLeavesDefaultsToTheDaemon) {
  ContainerSpec spec;
  spec.image = "busybox";
  auto body = containerCreateBody(spec);
  ASSERT_TRUE(body);
  EXPECT_EQ(json::parse(*body), json::parse(R"({"Image":"busybox","Labels":{},"Tty":false,
      "OpenStdin":false,"AttachStdin":false,"HostConfig":{"ReadonlyRootfs":false}})"));
}

TEST(RequestEncode, RefusesWhatTheDaemonWouldMisread) {
  ContainerSpec spec;
  spec.image = "img";
  spec.env = {{"A=B", "c"}};
  EXPECT_EQ(containerCreateBody(spec).error().code, "invalid_container_spec");
  spec.env.clear();
  spec.binds = {{"/host:evil", "/var/task"}};
  EXPECT_FALSE(containerCreateBody(spec));
  spec.binds = {{"relative", "/var/task"}};  // would be taken as a named volume
  EXPECT_FALSE(containerCreateBody(spec));
  spec.binds = {{"/host", "/var/task,rw"}};
  EXPECT_FALSE(containerCreateBody(spec));
  spec.binds.clear();
  spec.tmpfs = {{"tmp", ""}};
  EXPECT_FALSE(containerCreateBody(spec));
  spec.tmpfs.clear();
  spec.image = "../../containers/x";
  EXPECT_EQ(containerCreateBody(spec).error().code, "invalid_docker_name");
}

TEST(RequestEncode, LabelChangesAreQuoted) {
  EXPECT_EQ(labelChanges({{"org.stratus.runtime", "python3.11"}, {"note", "a \"b\" \\ c=d"}}),
            (std::vector<std::string>{R"(LABEL "note"="a \"b\" \\ c=d")",
                                      R"(LABEL "org.stratus.runtime"="python3.11")"}));
}

TEST(RequestEncode, ObjectNames) {
  for (const char* good : {"3f2a9c", "stratus-instance_1.a", "stratus/python3.11:latest",
                           "registry.local:5000/team/img@sha256:abc"}) {
    EXPECT_TRUE(checkObjectName(good, NameKind::image)) << good;
  }
  for (const char* bad :
       {"", "-rf", ".hidden", "/abs", "a/../b", "a?b", "a#b", "a%2e", "a b", "a\nb"}) {
    EXPECT_FALSE(checkObjectName(bad, NameKind::container)) << bad;
    EXPECT_FALSE(checkObjectName(bad, NameKind::image)) << bad;
  }
  EXPECT_FALSE(checkObjectName(std::string(513, 'a'), NameKind::container));
  EXPECT_TRUE(checkObjectName("4fa6e0f0c678", NameKind::container));
  EXPECT_TRUE(checkObjectName("stratus-f1_v2.instance-3", NameKind::container));
  for (const char* notAContainer : {"a/b", "a:b", "a@b"}) {
    EXPECT_FALSE(checkObjectName(notAContainer, NameKind::container)) << notAContainer;
    EXPECT_TRUE(checkObjectName(notAContainer, NameKind::image)) << notAContainer;
  }
}

}  // namespace
}  // namespace stratus::docker
