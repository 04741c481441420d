#include "client/deploy_spec.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>

namespace stratus::client {
namespace {

namespace json = boost::json;

std::string fieldValue(const FieldList& fields, std::string_view name) {
  for (const auto& [key, value] : fields) {
    if (key == name) return value;
  }
  return "<absent>";
}

TEST(InferRuntime, FromTheExtension) {
  EXPECT_EQ(inferRuntime("cloud.py").value(), "python3.11");
  EXPECT_EQ(inferRuntime("dir.v2/cloud.PY").value(), "python3.11");
  EXPECT_EQ(inferRuntime("index.js").value(), "nodejs20");
  EXPECT_EQ(inferRuntime("index.mjs").value(), "nodejs20");
  EXPECT_EQ(inferRuntime("bundle.zip").error().code, "missing_runtime");
  EXPECT_EQ(inferRuntime("main.go").error().code, "unknown_file_type");
  EXPECT_EQ(inferRuntime("Makefile").error().code, "unknown_file_type");
  EXPECT_EQ(inferRuntime(".py").error().code, "unknown_file_type");
}

TEST(DefaultHandler, StemDotHandler) {
  EXPECT_EQ(defaultHandler("cloud.py"), "cloud.handler");
  EXPECT_EQ(defaultHandler("src/app.v2/index.js"), "index.handler");
  EXPECT_EQ(defaultHandler("a.b.py"), "a.b.handler");
  EXPECT_EQ(defaultHandler("noext"), "noext.handler");
}

TEST(BaseName, LastComponent) {
  EXPECT_EQ(baseName("a/b/c.py"), "c.py");
  EXPECT_EQ(baseName("c.py"), "c.py");
  EXPECT_EQ(baseName("dir/"), "dir");
}

TEST(ParseEnvAssignments, KeyValuePairs) {
  auto env = parseEnvAssignments({"A=1", "B=x=y", "C=", "_D9=z", "A=2"});
  ASSERT_TRUE(env);
  EXPECT_EQ(json::serialize(*env), R"({"A":"2","B":"x=y","C":"","_D9":"z"})");
  EXPECT_TRUE(parseEnvAssignments({})->empty());
}

TEST(ParseEnvAssignments, RejectsMalformedInput) {
  EXPECT_EQ(parseEnvAssignments({"NOEQUALS"}).error().code, "invalid_env");
  EXPECT_EQ(parseEnvAssignments({"=v"}).error().code, "invalid_env");
  EXPECT_EQ(parseEnvAssignments({"1A=v"}).error().code, "invalid_env");
  EXPECT_EQ(parseEnvAssignments({"A-B=v"}).error().code, "invalid_env");
  EXPECT_EQ(parseEnvAssignments({"A B=v"}).error().code, "invalid_env");
}

TEST(CreateFields, DefaultsFromTheFile) {
  DeployOptions options;
  options.file = "fns/cloud.py";
  options.name = "calc";
  auto fields = createFields(options);
  ASSERT_TRUE(fields);
  EXPECT_EQ(fieldValue(*fields, "name"), "calc");
  EXPECT_EQ(fieldValue(*fields, "runtime"), "python3.11");
  EXPECT_EQ(fieldValue(*fields, "handler"), "cloud.handler");
  EXPECT_EQ(fieldValue(*fields, "public"), "false");
  EXPECT_EQ(fieldValue(*fields, "timeout"), "<absent>");
  EXPECT_EQ(fieldValue(*fields, "memory"), "<absent>");
  EXPECT_EQ(fieldValue(*fields, "env"), "<absent>");
  EXPECT_EQ(fieldValue(*fields, "description"), "<absent>");
  EXPECT_EQ(fieldValue(*fields, "mode"), "<absent>");
  EXPECT_EQ(fieldValue(*fields, "concurrency"), "<absent>");
  EXPECT_EQ(fieldValue(*fields, "prewarm"), "<absent>");
}

TEST(CreateFields, EverythingGiven) {
  DeployOptions options;
  options.file = "bundle.zip";
  options.name = "api";
  options.runtime = "nodejs20";
  options.handler = "index.main";
  options.description = "the API";
  options.timeoutSeconds = 30;
  options.memoryMb = 256;
  options.isPublic = true;
  options.env = {"MODE=prod"};
  options.mode = "handler";
  options.concurrency = 8;
  options.prewarm = 2;
  auto fields = createFields(options);
  ASSERT_TRUE(fields);
  EXPECT_EQ(fieldValue(*fields, "runtime"), "nodejs20");
  EXPECT_EQ(fieldValue(*fields, "handler"), "index.main");
  EXPECT_EQ(fieldValue(*fields, "description"), "the API");
  EXPECT_EQ(fieldValue(*fields, "timeout"), "30");
  EXPECT_EQ(fieldValue(*fields, "memory"), "256");
  EXPECT_EQ(fieldValue(*fields, "public"), "true");
  EXPECT_EQ(json::parse(fieldValue(*fields, "env")), json::parse(R"({"MODE":"prod"})"));
  EXPECT_EQ(fieldValue(*fields, "mode"), "handler");
  EXPECT_EQ(fieldValue(*fields, "concurrency"), "8");
  EXPECT_EQ(fieldValue(*fields, "prewarm"), "2");
}

TEST(CreateFields, UnreservedConcurrencyIsTheDefaultSoNothingIsSent) {
  DeployOptions options;
  options.file = "cloud.py";
  options.name = "calc";
  options.concurrency = std::optional<int>();
  options.prewarm = 0;
  auto fields = createFields(options);
  ASSERT_TRUE(fields);
  EXPECT_EQ(fieldValue(*fields, "concurrency"), "<absent>");
  EXPECT_EQ(fieldValue(*fields, "prewarm"), "0");
}

TEST(ParseConcurrency, ANumberOrNone) {
  EXPECT_EQ(parseConcurrency("1").value(), 1);
  EXPECT_EQ(parseConcurrency("250").value(), 250);
  auto none = parseConcurrency("none");
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->has_value());
  // Negative numbers parse; validateDeployOptions refuses them with the other numbers.
  EXPECT_EQ(parseConcurrency("-3").value(), -3);
  for (auto bad : {"", "None", "unreserved", "2.5", "10x", " 4", "+4", "null"}) {
    EXPECT_EQ(parseConcurrency(bad).error().code, "invalid_concurrency") << bad;
  }
}

TEST(CreateFields, ZipWithoutRuntimeFails) {
  DeployOptions options;
  options.file = "bundle.zip";
  options.name = "api";
  EXPECT_EQ(createFields(options).error().code, "missing_runtime");
}

TEST(PatchBody, OnlyWhatWasGiven) {
  DeployOptions options;
  options.file = "cloud.py";
  options.name = "calc";
  EXPECT_TRUE(patchBody(options)->empty());
  options.memoryMb = 512;
  options.isPublic = false;
  options.env = {"A=1"};
  auto body = patchBody(options);
  ASSERT_TRUE(body);
  EXPECT_EQ(json::value(*body), json::parse(R"({"memory":512,"public":false,"env":{"A":"1"}})"));
  options.env = {"bad"};
  EXPECT_EQ(patchBody(options).error().code, "invalid_env");
}

TEST(PatchBody, ModeConcurrencyAndPrewarm) {
  DeployOptions options;
  options.file = "cloud.py";
  options.name = "calc";
  options.mode = "handler";
  options.concurrency = 4;
  options.prewarm = 1;
  EXPECT_EQ(json::value(*patchBody(options)),
            json::parse(R"({"mode":"handler","concurrency":4,"prewarm":1})"));
  // "--concurrency none" clears the stored reservation: JSON null, not absence.
  options.mode.reset();
  options.prewarm.reset();
  options.concurrency = std::optional<int>();
  EXPECT_EQ(json::value(*patchBody(options)), json::parse(R"({"concurrency":null})"));
}

TEST(ValidateDeployOptions, CatchesBadNumbersNamesAndEnv) {
  DeployOptions options;
  options.file = "cloud.py";
  options.name = "calc";
  EXPECT_TRUE(validateDeployOptions(options));
  options.timeoutSeconds = 0;
  EXPECT_EQ(validateDeployOptions(options).error().code, "invalid_timeout");
  options.timeoutSeconds = 5;
  options.memoryMb = -1;
  EXPECT_EQ(validateDeployOptions(options).error().code, "invalid_memory");
  options.memoryMb = 128;
  options.env = {"=x"};
  EXPECT_EQ(validateDeployOptions(options).error().code, "invalid_env");
  options.env.clear();
  options.name = "";
  EXPECT_EQ(validateDeployOptions(options).error().code, "invalid_name");
}

TEST(ValidateDeployOptions, ModeConcurrencyAndPrewarm) {
  DeployOptions options;
  options.file = "cloud.py";
  options.name = "calc";
  for (auto mode : {"script", "handler"}) {
    options.mode = mode;
    EXPECT_TRUE(validateDeployOptions(options)) << mode;
  }
  for (auto mode : {"", "Handler", "lambda"}) {
    options.mode = mode;
    EXPECT_EQ(validateDeployOptions(options).error().code, "invalid_mode") << mode;
  }
  options.mode.reset();

  options.concurrency = 0;
  EXPECT_EQ(validateDeployOptions(options).error().code, "invalid_concurrency");
  options.concurrency = -2;
  EXPECT_EQ(validateDeployOptions(options).error().code, "invalid_concurrency");
  options.concurrency = std::optional<int>();
  EXPECT_TRUE(validateDeployOptions(options));

  options.prewarm = -1;
  EXPECT_EQ(validateDeployOptions(options).error().code, "invalid_prewarm");
  options.prewarm = 0;
  EXPECT_TRUE(validateDeployOptions(options));
  // Unreserved: any prewarm here (the server applies its own bound).
  options.prewarm = 50;
  EXPECT_TRUE(validateDeployOptions(options));
  // Given together, prewarm cannot exceed concurrency; the message names both.
  options.concurrency = 3;
  options.prewarm = 4;
  auto refused = validateDeployOptions(options);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, "invalid_prewarm");
  EXPECT_NE(refused.error().message.find("--prewarm (4)"), std::string::npos);
  EXPECT_NE(refused.error().message.find("--concurrency (3)"), std::string::npos);
  options.prewarm = 3;
  EXPECT_TRUE(validateDeployOptions(options));
}

class ReadCodeFile : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/stratus_client_test_XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& content) {
    std::string path = dir_ + "/" + name;
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }
  std::string dir_;
};

TEST_F(ReadCodeFile, ReadsContentAndNamesThePart) {
  std::string content("print('hi')\n\0binary", 19);
  auto part = readCodeFile(write("cloud.py", content));
  ASSERT_TRUE(part);
  EXPECT_EQ(part->fieldName, "functionFile");
  EXPECT_EQ(part->fileName, "cloud.py");
  EXPECT_EQ(part->content, content);
  EXPECT_EQ(part->contentType, "application/octet-stream");
  EXPECT_EQ(readCodeFile(write("b.zip", "PK"))->contentType, "application/zip");
}

TEST_F(ReadCodeFile, ReportsMissingDirectoryEmptyAndUnreadable) {
  EXPECT_EQ(readCodeFile(dir_ + "/missing.py").error().code, "file_not_found");
  EXPECT_EQ(readCodeFile(dir_ + "/missing/x.py").error().code, "file_not_found");
  EXPECT_EQ(readCodeFile(dir_).error().code, "not_a_file");
  EXPECT_EQ(readCodeFile(write("empty.py", "")).error().code, "empty_file");
  if (::geteuid() != 0) {  // root reads anything
    std::string locked = write("locked.py", "x");
    ::chmod(locked.c_str(), 0);
    EXPECT_EQ(readCodeFile(locked).error().code, "file_unreadable");
  }
}

}  // namespace
}  // namespace stratus::client
