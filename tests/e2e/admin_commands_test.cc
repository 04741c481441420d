// `stratus migrate` and `stratus doctor` as an operator runs them, against a real
// PostgreSQL cluster and a real s3rver, and against settings that are wrong on purpose.
#include <gtest/gtest.h>

#include "support/server_process.h"
#include "testing/postgres_server.h"
#include "testing/s3_server.h"
#include "testing/temp_dir.h"

namespace stratus::e2e {
namespace {

using stratus::testing::PostgresServer;
using stratus::testing::S3ServerFixture;
using stratus::testing::TempDir;

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class AdminCommands : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!PostgresServer::available()) GTEST_SKIP() << "skipped: " << PostgresServer::skipReason();
    if (!S3ServerFixture::available()) GTEST_SKIP() << "skipped: " << S3ServerFixture::skipReason();
    postgres_ = PostgresServer::start();
    ASSERT_NE(postgres_, nullptr);
    s3_ = S3ServerFixture::start("admin");
    ASSERT_NE(s3_, nullptr);
    databaseUrl_ = postgres_->createDatabase();
  }

  std::vector<std::string> flags() const {
    return {"--data-dir", dir_.path().string(), "--blobs",
            "s3://admin/code?endpoint=" + s3_->endpoint() + "&path-style=true"};
  }
  std::vector<std::string> env(const std::string& secret = "S3RVER") const {
    return {"DATABASE_URL=" + databaseUrl_, "AWS_ACCESS_KEY_ID=S3RVER",
            "AWS_SECRET_ACCESS_KEY=" + secret};
  }
  CommandResult run(const std::string& command, std::vector<std::string> extra = {},
                    const std::string& secret = "S3RVER") {
    std::vector<std::string> args{command};
    auto all = flags();
    args.insert(args.end(), all.begin(), all.end());
    args.insert(args.end(), extra.begin(), extra.end());
    return runCli(args, env(secret));
  }

  TempDir dir_;
  std::unique_ptr<PostgresServer> postgres_;
  std::unique_ptr<S3ServerFixture> s3_;
  std::string databaseUrl_;
};

TEST_F(AdminCommands, MigrateReportsThenAppliesThenHasNothingToDo) {
  auto pending = run("migrate", {"--dry-run"});
  EXPECT_EQ(pending.exitCode, 0) << pending.err;
  EXPECT_TRUE(has(pending.out, "schema 0, 5 migration(s) pending")) << pending.out;
  auto applied = run("migrate");
  EXPECT_EQ(applied.exitCode, 0) << applied.err;
  EXPECT_TRUE(has(applied.out, "schema 0 -> 5 (5 applied)")) << applied.out;
  auto again = run("migrate");
  EXPECT_TRUE(has(again.out, "schema 5, up to date")) << again.out;
}

TEST_F(AdminCommands, DoctorPassesOnAWorkingSetupAndNamesWhatIsWrongOtherwise) {
  ASSERT_EQ(run("migrate").exitCode, 0);
  auto good = run("doctor");
  EXPECT_TRUE(has(good.out, "ok    database")) << good.out;
  EXPECT_TRUE(has(good.out, "schema 5 of 5")) << good.out;
  EXPECT_TRUE(has(good.out, "ok    blobs")) << good.out;
  EXPECT_TRUE(has(good.out, "put, get and delete work")) << good.out;
  EXPECT_FALSE(has(good.out, "S3RVER")) << "no credentials in the report: " << good.out;

  // A wrong S3 secret: the blob check fails and says it is the signature.
  auto badSecret = run("doctor", {}, "wrong-secret");
  EXPECT_EQ(badSecret.exitCode, 1);
  EXPECT_TRUE(has(badSecret.out, "FAIL  blobs")) << badSecret.out;
  EXPECT_TRUE(has(badSecret.out, "SignatureDoesNotMatch")) << badSecret.out;
  EXPECT_FALSE(has(badSecret.out, "wrong-secret")) << badSecret.out;

  // The database gone: the database check fails and says it cannot connect.
  ASSERT_TRUE(postgres_->stop());
  auto noDatabase = run("doctor");
  EXPECT_EQ(noDatabase.exitCode, 1);
  EXPECT_TRUE(has(noDatabase.out, "FAIL  database")) << noDatabase.out;
  EXPECT_TRUE(has(noDatabase.out, "Connection refused")) << noDatabase.out;
  EXPECT_TRUE(has(noDatabase.out, "ok    blobs")) << noDatabase.out;
}

}  // namespace
}  // namespace stratus::e2e
