#include "nanos/ldd.h"

#include <gtest/gtest.h>

namespace stratus::nanos {
namespace {

TEST(ParseLddOutput, ResolvedLibrariesAndTheLoaderInOrder) {
  auto libraries = parseLddOutput(
      "\tlinux-vdso.so.1 (0x00007ffc8a5f2000)\n"
      "\tlibm.so.6 => /lib/x86_64-linux-gnu/libm.so.6 (0x00007f1e2a0e4000)\n"
      "\tlibz.so.1 => /lib/x86_64-linux-gnu/libz.so.1 (0x00007f1e2a0c5000)\n"
      "\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f1e29ee4000)\n"
      "\t/lib64/ld-linux-x86-64.so.2 (0x00007f1e2a1dc000)\n");
  ASSERT_TRUE(libraries) << libraries.error().describe();
  EXPECT_EQ(*libraries, (std::vector<std::string>{"/lib/x86_64-linux-gnu/libm.so.6",
                                                  "/lib/x86_64-linux-gnu/libz.so.1",
                                                  "/lib/x86_64-linux-gnu/libc.so.6",
                                                  "/lib64/ld-linux-x86-64.so.2"}));
}

TEST(ParseLddOutput, PathsWithSpacesAndNoAddress) {
  auto libraries = parseLddOutput("\tlibx.so => /opt/my libs/libx.so (0x1)\n\tliby.so => /opt/liby.so\n");
  ASSERT_TRUE(libraries);
  EXPECT_EQ(*libraries, (std::vector<std::string>{"/opt/my libs/libx.so", "/opt/liby.so"}));
}

TEST(ParseLddOutput, StaticProgramsLoadNothing) {
  EXPECT_TRUE(parseLddOutput("\tstatically linked\n").value().empty());
  EXPECT_TRUE(parseLddOutput("\tnot a dynamic executable\n").value().empty());
  EXPECT_TRUE(parseLddOutput("").value().empty());
}

TEST(ParseLddOutput, AMissingLibraryIsAnErrorNamingIt) {
  auto libraries = parseLddOutput(
      "\tlibm.so.6 => /lib/x86_64-linux-gnu/libm.so.6 (0x1)\n\tlibffi.so.8 => not found\n");
  ASSERT_FALSE(libraries);
  EXPECT_EQ(libraries.error().code, "missing_library");
  EXPECT_NE(libraries.error().message.find("libffi.so.8"), std::string::npos);
}

TEST(SharedLibraries, ResolvesAHostProgramOnceEach) {
  // A real ldd run on a program every Debian has.
  auto libraries = sharedLibraries({"/bin/sh", "/bin/sh"});
  ASSERT_TRUE(libraries) << libraries.error().describe();
  ASSERT_FALSE(libraries->empty());
  bool libc = false;
  for (const auto& library : *libraries) libc |= library.find("libc.so") != std::string::npos;
  EXPECT_TRUE(libc);
  std::set<std::string> unique(libraries->begin(), libraries->end());
  EXPECT_EQ(unique.size(), libraries->size());
}

}  // namespace
}  // namespace stratus::nanos
