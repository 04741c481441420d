#include "nanos/manifest.h"

#include <gtest/gtest.h>

namespace stratus::nanos {
namespace {

Manifest minimal() {
  Manifest manifest;
  manifest.program = "/usr/bin/python3";
  manifest.arguments = {"/usr/bin/python3", "/opt/stratus/python/bootstrap.py"};
  manifest.files = {{"/usr/bin/python3", "/usr/bin/python3.11"}};
  return manifest;
}

TEST(Quote, EscapesQuotesAndBackslashesOnly) {
  EXPECT_EQ(quote("plain"), "\"plain\"");
  EXPECT_EQ(quote("a \"b\" c"), "\"a \\\"b\\\" c\"");
  EXPECT_EQ(quote("back\\slash"), "\"back\\\\slash\"");
  EXPECT_EQ(quote("(k:v) [x] #c"), "\"(k:v) [x] #c\"");  // syntax stays inside the quotes
  EXPECT_EQ(quote(""), "\"\"");
}

TEST(RenderManifest, WritesTheTreeProgramArgumentsAndEnvironment) {
  Manifest manifest = minimal();
  manifest.files["/var/task/app.py"] = "/cache/v1/app.py";
  manifest.directories = {"/tmp"};
  manifest.environment = {{"LANG", "C.UTF-8"}, {"GREETING", "say \"hi\""}};
  manifest.settings = {{"debug_exit", "t"}};
  auto text = renderManifest(manifest);
  ASSERT_TRUE(text) << text.error().describe();
  EXPECT_EQ(*text,
            "(children:("
            "\"tmp\":(children:()) "
            "\"usr\":(children:(\"bin\":(children:(\"python3\":(contents:(host:\"/usr/bin/python3.11\")))))) "
            "\"var\":(children:(\"task\":(children:(\"app.py\":(contents:(host:\"/cache/v1/app.py\"))))))"
            ")\n"
            "program:\"/usr/bin/python3\"\n"
            "arguments:[\"/usr/bin/python3\" \"/opt/stratus/python/bootstrap.py\"]\n"
            "environment:(\"LANG\":\"C.UTF-8\" \"GREETING\":\"say \\\"hi\\\"\")\n"
            "\"debug_exit\":\"t\")\n");
}

TEST(RenderManifest, KeepsArgumentOrderAndQuotesEachArgument) {
  Manifest manifest = minimal();
  manifest.arguments = {"prog", "b", "a", "two words", ")"};
  auto text = renderManifest(manifest);
  ASSERT_TRUE(text);
  EXPECT_NE(text->find("arguments:[\"prog\" \"b\" \"a\" \"two words\" \")\"]"), std::string::npos) << *text;
}

TEST(RenderManifest, HostileFileNamesStayInsideTheirQuotes) {
  Manifest manifest = minimal();
  manifest.files["/var/task/a\") program:(\"/evil"] = "/cache/evil";
  auto text = renderManifest(manifest);
  ASSERT_TRUE(text);
  EXPECT_NE(text->find("\"a\\\") program:(\\\"\":(children:("), std::string::npos) << *text;
  EXPECT_NE(text->find("\nprogram:\"/usr/bin/python3\""), std::string::npos);
}

TEST(RenderManifest, SameInputSameText) {
  Manifest a = minimal(), b = minimal();
  a.files["/z"] = "/host/z";
  a.files["/a"] = "/host/a";
  b.files["/a"] = "/host/a";
  b.files["/z"] = "/host/z";
  EXPECT_EQ(renderManifest(a).value(), renderManifest(b).value());
}

TEST(RenderManifest, RefusesBadPaths) {
  for (const char* bad : {"relative/file", "/a/../etc/passwd", "/a//b", "/a/./b", "/", "/trailing/"}) {
    Manifest manifest = minimal();
    manifest.files[bad] = "/host/file";
    auto text = renderManifest(manifest);
    ASSERT_FALSE(text) << bad;
    EXPECT_EQ(text.error().code, "invalid_manifest");
  }
}

TEST(RenderManifest, RefusesAFileThatIsAlsoAFolder) {
  Manifest manifest = minimal();
  manifest.files["/a"] = "/host/a";
  manifest.files["/a/b"] = "/host/b";
  auto text = renderManifest(manifest);
  ASSERT_FALSE(text);
  EXPECT_NE(text.error().message.find("/a"), std::string::npos);
  Manifest folder = minimal();
  folder.files["/a"] = "/host/a";
  folder.directories = {"/a"};
  EXPECT_FALSE(renderManifest(folder));
}

TEST(RenderManifest, RefusesTextThatIsNotUtf8OrHoldsNul) {
  Manifest name = minimal();
  name.files["/var/task/\xff.py"] = "/host/x";
  EXPECT_FALSE(renderManifest(name));
  Manifest env = minimal();
  env.environment = {{"K", std::string("a\0b", 3)}};
  EXPECT_FALSE(renderManifest(env));
  Manifest unnamed = minimal();
  unnamed.environment = {{"", "v"}};
  EXPECT_FALSE(renderManifest(unnamed));
}

TEST(RenderManifest, RefusesAProgramNotInTheImage) {
  Manifest manifest = minimal();
  manifest.program = "/usr/bin/node";
  auto text = renderManifest(manifest);
  ASSERT_FALSE(text);
  EXPECT_NE(text.error().message.find("/usr/bin/node"), std::string::npos);
}

}  // namespace
}  // namespace stratus::nanos
