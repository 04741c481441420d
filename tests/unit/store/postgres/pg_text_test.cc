// The pure text helpers of the PostgreSQL store: placeholder numbering and URL redaction.
#include <gtest/gtest.h>

#include "store/postgres/pg_connection.h"

namespace stratus::store::postgres {
namespace {

TEST(NumberPlaceholders, NumbersEachQuestionMarkInOrder) {
  EXPECT_EQ(numberPlaceholders("SELECT a FROM t WHERE b = ? AND c > ? LIMIT ?"),
            "SELECT a FROM t WHERE b = $1 AND c > $2 LIMIT $3");
  EXPECT_EQ(numberPlaceholders("SELECT 1"), "SELECT 1");
}

TEST(NumberPlaceholders, LeavesQuotedQuestionMarksAlone) {
  EXPECT_EQ(numberPlaceholders("SELECT '?', \"a?\" FROM t WHERE x = ?"),
            "SELECT '?', \"a?\" FROM t WHERE x = $1");
  EXPECT_EQ(numberPlaceholders("SELECT 'it''s ?' WHERE y = ?"), "SELECT 'it''s ?' WHERE y = $1");
}

TEST(RedactUrl, HidesOnlyThePassword) {
  EXPECT_EQ(redactUrl("postgres://stratus:s3cr3t@db.internal:5432/stratus"),
            "postgres://stratus:***@db.internal:5432/stratus");
  EXPECT_EQ(redactUrl("postgresql://user@host/db"), "postgresql://user@host/db");
  EXPECT_EQ(redactUrl("postgres://host:5432/db"), "postgres://host:5432/db");
  EXPECT_EQ(redactUrl("host=localhost dbname=x"), "host=localhost dbname=x");
  EXPECT_EQ(redactUrl("host=h password=secret dbname=x"), "host=h password=*** dbname=x");
  EXPECT_EQ(redactUrl("password=secret"), "password=***");
  EXPECT_EQ(redactUrl("postgres://u@h/d?password=secret&sslmode=require"),
            "postgres://u@h/d?password=***&sslmode=require");
  EXPECT_EQ(redactUrl("postgres://u:p@h/d?sslmode=require&password=again"),
            "postgres://u:***@h/d?sslmode=require&password=***");
  EXPECT_EQ(redactUrl("postgres://h/d?xpassword=kept"), "postgres://h/d?xpassword=kept");
  EXPECT_EQ(redactUrl("postgres://u:p%40ss@h/d?sslmode=require"),
            "postgres://u:***@h/d?sslmode=require");
}

}  // namespace
}  // namespace stratus::store::postgres
