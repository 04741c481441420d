// Decoding the daemon's answers: real shapes (trimmed from Docker 20.10's), and hostile ones.
#include "docker/json_decode.h"

#include <gtest/gtest.h>

namespace stratus::docker {
namespace {

TEST(JsonDecode, Version) {
  auto info = decodeVersion(R"({"Platform":{"Name":""},"Components":[],
      "Version":"20.10.24+dfsg1","ApiVersion":"1.41","MinAPIVersion":"1.12","GitCommit":"5d6db84",
      "GoVersion":"go1.19.8","Os":"linux","Arch":"amd64","KernelVersion":"6.1.0"})");
  ASSERT_TRUE(info);
  EXPECT_EQ(info->version, "20.10.24+dfsg1");
  EXPECT_EQ(info->apiVersion, "1.41");
  EXPECT_EQ(info->minApiVersion, "1.12");
  EXPECT_EQ(info->os, "linux");
  EXPECT_EQ(decodeVersion(R"({"Version":"x"})").error().code, "docker_bad_answer");
}

TEST(JsonDecode, CreatedContainer) {
  auto created = decodeCreatedContainer(
      R"({"Id":"e90e34656806","Warnings":["Your kernel does not support swap limit capabilities"]})");
  ASSERT_TRUE(created);
  EXPECT_EQ(created->id, "e90e34656806");
  ASSERT_EQ(created->warnings.size(), 1u);
  EXPECT_TRUE(decodeCreatedContainer(R"({"Id":"abc","Warnings":null})"));
  EXPECT_FALSE(decodeCreatedContainer(R"({"Warnings":[]})"));
  EXPECT_FALSE(decodeCreatedContainer(R"({"Id":42})"));
}

TEST(JsonDecode, ContainerInfo) {
  auto info = decodeContainerInfo(R"({
    "Id": "4fa6e0f0c678",
    "Created": "2024-01-01T00:00:00Z",
    "Path": "/guest",
    "State": {"Status": "exited", "Running": false, "Paused": false, "OOMKilled": true,
              "Dead": false, "Pid": 0, "ExitCode": 137, "Error": "",
              "StartedAt": "2024-01-01T00:00:01Z", "FinishedAt": "2024-01-01T00:00:02Z"},
    "Image": "sha256:bd679b667b9b",
    "Name": "/stratus-f1-1",
    "Config": {"Hostname": "4fa6e0f0c678", "Labels": {"org.stratus.instance": "i-1",
               "org.stratus.node": "a"}},
    "HostConfig": {"Memory": 134217728}
  })");
  ASSERT_TRUE(info);
  EXPECT_EQ(info->id, "4fa6e0f0c678");
  EXPECT_EQ(info->name, "stratus-f1-1");
  EXPECT_EQ(info->image, "sha256:bd679b667b9b");
  EXPECT_EQ(info->status, "exited");
  EXPECT_FALSE(info->running);
  EXPECT_TRUE(info->oomKilled);
  EXPECT_EQ(info->exitCode, 137);
  EXPECT_EQ(info->labels.at("org.stratus.node"), "a");

  auto running = decodeContainerInfo(
      R"({"Id":"x","State":{"Status":"running","Running":true,"Pid":4242,"ExitCode":0},
          "Config":{"Labels":null}})");
  ASSERT_TRUE(running);
  EXPECT_TRUE(running->running);
  EXPECT_EQ(running->pid, 4242);
  EXPECT_TRUE(running->labels.empty());
}

TEST(JsonDecode, WrongTypesFallBackToDefaults) {
  auto info = decodeContainerInfo(
      R"({"Id":"x","State":{"Running":"yes","Pid":"12","ExitCode":1e300,"OOMKilled":1},
          "Config":{"Labels":{"ok":"v","num":5,"obj":{}}},"Name":7})");
  ASSERT_TRUE(info);
  EXPECT_FALSE(info->running);
  EXPECT_EQ(info->pid, 0);
  EXPECT_EQ(info->exitCode, 0);
  EXPECT_FALSE(info->oomKilled);
  EXPECT_EQ(info->labels.size(), 1u);
  EXPECT_EQ(info->name, "");
  EXPECT_TRUE(decodeContainerInfo(R"({"Id":"x","State":[],"Config":"no"})"));
}

TEST(JsonDecode, NotJsonOrNotAnObject) {
  for (const char* body : {"", "not json", "[1,2]", "\"x\"", "{\"Id\":", "null"}) {
    auto info = decodeContainerInfo(body);
    ASSERT_FALSE(info) << body;
    EXPECT_EQ(info.error().code, "docker_bad_answer") << body;
  }
  // Nested too deep for the parser: an error, not a stack overflow.
  EXPECT_FALSE(decodeContainerInfo(std::string(100000, '[') + std::string(100000, ']')));
}

TEST(JsonDecode, ContainerList) {
  auto list = decodeContainerList(R"([
    {"Id":"a1","Names":["/one"],"Image":"stratus/python3.11","State":"running",
     "Labels":{"org.stratus.node":"n"},"Created":1700000000},
    {"Id":"b2","Names":null,"State":"exited","Labels":{}},
    {"Names":["/no-id-skipped"]}, 5, null
  ])");
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].names, std::vector<std::string>{"/one"});
  EXPECT_EQ((*list)[0].state, "running");
  EXPECT_EQ((*list)[0].created, 1700000000);
  EXPECT_EQ((*list)[1].id, "b2");
  EXPECT_FALSE(decodeContainerList(R"({"Id":"a"})"));
}

TEST(JsonDecode, WaitResult) {
  auto result = decodeWaitResult(R"({"Error":null,"StatusCode":3})");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->statusCode, 3);
  EXPECT_TRUE(result->error.empty());
  result = decodeWaitResult(R"({"Error":{"Message":"container gone"},"StatusCode":-1})");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->error, "container gone");
  EXPECT_FALSE(decodeWaitResult(R"({"Error":null})"));
}

TEST(JsonDecode, Images) {
  auto list = decodeImageList(R"([{"Containers":-1,"Created":1795922913,
      "Id":"sha256:bd679b667b9b","Labels":{"org.stratus.runtime":"python3.11"},"ParentId":"",
      "RepoDigests":null,"RepoTags":["stratus/python3.11:latest"],"SharedSize":-1,
      "Size":74323469,"VirtualSize":74323469}])");
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].repoTags, std::vector<std::string>{"stratus/python3.11:latest"});
  EXPECT_EQ((*list)[0].size, 74323469);
  EXPECT_EQ((*list)[0].labels.at("org.stratus.runtime"), "python3.11");

  auto image = decodeImageInfo(R"({"Id":"sha256:bd67","RepoTags":["stratus/nodejs:latest"],
      "Created":"2024-05-01T10:00:00.1Z","Size":123,"Config":{"Env":null,
      "Labels":{"org.stratus.recipe":"abc"}}})");
  ASSERT_TRUE(image);
  EXPECT_EQ(image->id, "sha256:bd67");
  EXPECT_EQ(image->labels.at("org.stratus.recipe"), "abc");
  EXPECT_EQ(image->created, "2024-05-01T10:00:00.1Z");
  EXPECT_TRUE(decodeImageInfo(R"({"Id":"sha256:1","Config":null})"));
}

TEST(JsonDecode, Event) {
  auto event = decodeEvent(R"({"status":"die","id":"4fa6","from":"stratus/python3.11",
      "Type":"container","Action":"die","Actor":{"ID":"4fa6","Attributes":{"exitCode":"137",
      "image":"stratus/python3.11","name":"stratus-f1","org.stratus.node":"a"}},
      "scope":"local","time":1700000000,"timeNano":1700000000123456789})");
  ASSERT_TRUE(event);
  EXPECT_EQ(event->type, "container");
  EXPECT_EQ(event->action, "die");
  EXPECT_EQ(event->actorId, "4fa6");
  EXPECT_EQ(event->attributes.at("exitCode"), "137");
  EXPECT_EQ(event->timeNano, 1700000000123456789);

  // The old field names only, and a time in seconds.
  event = decodeEvent(R"({"status":"start","id":"c1","time":1700000000})");
  ASSERT_TRUE(event);
  EXPECT_EQ(event->action, "start");
  EXPECT_EQ(event->actorId, "c1");
  EXPECT_EQ(event->timeNano, 1700000000000000000);
  // A time that would overflow in nanoseconds is left out.
  EXPECT_EQ(decodeEvent(R"({"Action":"x","time":9223372036854775807})")->timeNano, 0);
  EXPECT_FALSE(decodeEvent(R"({"Type":"container"})"));
}

TEST(JsonDecode, ImportResult) {
  auto id = decodeImportResult("{\"status\":\"sha256:5e8a1f\"}\r\n");
  ASSERT_TRUE(id);
  EXPECT_EQ(*id, "sha256:5e8a1f");
  id = decodeImportResult(
      "{\"status\":\"Importing\",\"progressDetail\":{\"current\":10},\"progress\":\"[>]\"}\n"
      "{\"status\":\"sha256:77\"}\n");
  ASSERT_TRUE(id);
  EXPECT_EQ(*id, "sha256:77");

  auto failed = decodeImportResult(
      "{\"status\":\"Importing\"}\n{\"errorDetail\":{\"message\":\"unexpected EOF\"},"
      "\"error\":\"unexpected EOF\"}\n");
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, "docker_import_failed");
  EXPECT_NE(failed.error().message.find("unexpected EOF"), std::string::npos);
  EXPECT_FALSE(decodeImportResult("{\"errorDetail\":{\"message\":\"only detail\"}}"));
  EXPECT_EQ(decodeImportResult("").error().code, "docker_bad_answer");
  EXPECT_EQ(decodeImportResult("{\"status\":\"Importing\"}\n").error().code, "docker_bad_answer");
}

TEST(JsonDecode, DaemonMessage) {
  EXPECT_EQ(daemonMessage(R"({"message":"No such image: stratus/python3.11:latest"})"),
            "No such image: stratus/python3.11:latest");
  EXPECT_EQ(daemonMessage("page not found\nmore"), "page not found");
  EXPECT_EQ(daemonMessage(""), "no reason given");
  EXPECT_EQ(daemonMessage(R"({"message":"a\u001b[31mred\ttab"})"), "a [31mred tab");
  EXPECT_EQ(daemonMessage(std::string(1000, 'x')).size(), 300u);
}

}  // namespace
}  // namespace stratus::docker
