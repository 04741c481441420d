// AWS's own Node.js runtime interface client (npm aws-lambda-ric, tests/fixtures/ric) as a
// `provided` function's bootstrap: the conformance check of our Runtime API against the
// client Lambda itself ships. Reported as skipped when the fixture is not installed
// (scripts/install-test-deps.sh builds it).
#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/shared_server.h"
#include "support/zip_builder.h"

namespace stratus::e2e {
namespace {
namespace fs = std::filesystem;

const fs::path kFixture = fs::path(STRATUS_SOURCE_DIR) / "tests/fixtures/ric/node_modules";

// What the client needs at run time: its JavaScript and the native addon it built, not the
// sources of its bundled C dependencies or build intermediates.
bool wanted(const fs::path& relative) {
  for (const auto& part : relative)
    if (part == "deps" || part == ".bin" || part == "obj.target" || part == ".deps") return false;
  auto ext = relative.extension().string();
  return ext != ".o" && ext != ".a" && ext != ".d" && ext != ".h" && ext != ".cc" &&
         ext != ".c" && ext != ".cpp" && ext != ".mk" && ext != ".gyp" && ext != ".md";
}

std::string readAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(AwsRuntimeInterfaceClient, AnswersCallsAsAProvidedBootstrap) {
  const fs::path client = kFixture / "aws-lambda-ric";
  if (!fs::exists(client / "index.mjs"))
    GTEST_SKIP() << "skipped: aws-lambda-ric is not installed in tests/fixtures/ric "
                    "(scripts/install-test-deps.sh builds it)";
  std::vector<ZipEntry> entries;
  entries.push_back({ZipEntry::Kind::file, "bootstrap",
                     "#!/bin/sh\n"
                     "cd \"$LAMBDA_TASK_ROOT\"\n"
                     "exec /usr/bin/node node_modules/aws-lambda-ric/index.mjs \"$_HANDLER\"\n",
                     0, true});
  entries.push_back({ZipEntry::Kind::file, "index.mjs",
                     "let calls = 0;\n"
                     "export const handler = async (event, context) => {\n"
                     "  calls += 1;\n"
                     "  if (event.fail) throw new TypeError('asked to fail');\n"
                     "  return { calls, event, requestId: context.awsRequestId,\n"
                     "           arn: context.invokedFunctionArn, name: context.functionName };\n"
                     "};\n"});
  for (auto it = fs::recursive_directory_iterator(client); it != fs::recursive_directory_iterator(); ++it) {
    if (!it->is_regular_file() || it->is_symlink()) continue;
    fs::path relative = fs::relative(it->path(), kFixture);
    if (!wanted(relative)) continue;
    bool executable = (fs::status(it->path()).permissions() & fs::perms::owner_exec) != fs::perms::none;
    entries.push_back({ZipEntry::Kind::file, "node_modules/" + relative.generic_string(),
                       readAll(it->path()), 0, executable});
  }
  std::string zip = buildZip(entries);

  Account account = createAccount(sharedServer());
  client::HttpClient http(sharedServer().url(), account.apiKey);
  auto created = http.postMultipart(
      "/api/v1/functions",
      {{"name", "ric"}, {"runtime", "provided.al2023"}, {"handler", "index.handler"},
       {"mode", "handler"}, {"memory", "256"}},
      {client::FilePart{"functionFile", "ric.zip", zip}});
  ASSERT_TRUE(created);
  ASSERT_EQ(created->status, 201) << created->body;

  auto invoke = [&](const std::string& event) {
    auto answer = http.request("POST", "/api/v1/functions/ric/invoke", event, "application/json");
    EXPECT_TRUE(answer);
    return answer ? *answer : client::ClientResponse{};
  };
  auto first = invoke(R"({"a": 10, "b": 5})");
  STRATUS_SKIP_IF_NO_SANDBOX(first);
  ASSERT_EQ(first.status, 200) << first.body;
  ASSERT_FALSE(first.header("x-stratus-function-error").has_value()) << first.body;
  SCOPED_TRACE("first answer: " + first.body);
  auto body = boost::json::parse(first.body).as_object();
  EXPECT_EQ(body["calls"].as_int64(), 1);
  EXPECT_EQ(body["event"].as_object()["a"].as_int64(), 10);
  EXPECT_EQ(body["name"].as_string(), "ric");
  EXPECT_EQ(body["requestId"].as_string(), *first.header("x-stratus-invocation-id"));
  EXPECT_NE(body["arn"].as_string().find(":function:ric"), std::string::npos) << body["arn"];

  auto second = invoke("{}");
  ASSERT_EQ(second.status, 200) << second.body;
  ASSERT_FALSE(second.header("x-stratus-function-error").has_value()) << second.body;
  EXPECT_EQ(boost::json::parse(second.body).at("calls").as_int64(), 2);
  EXPECT_EQ(*second.header("x-stratus-cold-start"), "false");

  // The client reports a thrown error in its own shape; it arrives as Lambda's error.
  auto failed = invoke(R"({"fail": true})");
  ASSERT_EQ(failed.status, 200) << failed.body;
  EXPECT_EQ(failed.header("x-stratus-function-error").value_or(""), "Unhandled");
  auto error = boost::json::parse(failed.body).as_object();
  EXPECT_EQ(error["errorType"].as_string(), "TypeError") << failed.body;
  EXPECT_EQ(error["errorMessage"].as_string(), "asked to fail");
  EXPECT_EQ(boost::json::parse(invoke("{}").body).at("calls").as_int64(), 4);  // same instance
}

}  // namespace
}  // namespace stratus::e2e
