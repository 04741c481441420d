#include <gtest/gtest.h>

#include "mail/resend_mailer.h"

namespace stratus::mail {
namespace {

Message sample() {
  Message m;
  m.from = "Stratus <no-reply@example.com>";
  m.to = "ada@example.org";
  m.subject = "Verify your email";
  m.text = "Hello";
  m.html = "<p>Hello</p>";
  return m;
}

TEST(ResendRequestBody, HasTheFieldsTheApiExpects) {
  EXPECT_EQ(resendRequestBody(sample()),
            R"({"from":"Stratus <no-reply@example.com>","to":["ada@example.org"],)"
            R"("subject":"Verify your email","text":"Hello","html":"<p>Hello</p>"})");
}

TEST(ResendRequestBody, LeavesOutAnEmptyHtmlBody) {
  Message m = sample();
  m.html.clear();
  EXPECT_EQ(resendRequestBody(m),
            R"({"from":"Stratus <no-reply@example.com>","to":["ada@example.org"],)"
            R"("subject":"Verify your email","text":"Hello"})");
}

TEST(ResendRequestBody, EscapesAndRepairsText) {
  Message m = sample();
  m.html.clear();
  m.subject = "Say \"hi\"";
  m.text = "line\nnext \xFF";
  EXPECT_EQ(resendRequestBody(m),
            R"({"from":"Stratus <no-reply@example.com>","to":["ada@example.org"],)"
            R"("subject":"Say \"hi\"","text":"line\nnext )"
            "\xEF\xBF\xBD"
            R"("})");
}

TEST(ResendResponse, TwoHundredsAreSuccess) {
  EXPECT_TRUE(resendResponseStatus(200, R"({"id":"49a3999c"})").has_value());
  EXPECT_TRUE(resendResponseStatus(202, "").has_value());
}

TEST(ResendResponse, ClientErrorsAreRejectionsWithTheApiMessage) {
  auto status = resendResponseStatus(
      422, R"({"statusCode":422,"message":"Invalid `to` field.","name":"validation_error"})");
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().kind, ErrorKind::invalid_argument);
  EXPECT_EQ(status.error().code, kMailRejected);
  EXPECT_NE(status.error().message.find("Invalid `to` field."), std::string::npos);
  EXPECT_NE(status.error().message.find("422"), std::string::npos);

  status = resendResponseStatus(403, "not json " + std::string(1000, 'x'));
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().code, kMailRejected);
  EXPECT_LT(status.error().message.size(), 400u);
}

TEST(ResendResponse, ServerErrorsRateLimitsAndOddAnswersAreRetryable) {
  for (long code : {500L, 502L, 503L, 429L, 408L, 301L, 0L}) {
    auto status = resendResponseStatus(code, R"({"message":"try later"})");
    ASSERT_FALSE(status.has_value()) << code;
    EXPECT_EQ(status.error().kind, ErrorKind::unavailable) << code;
    EXPECT_EQ(status.error().code, kMailUnavailable) << code;
  }
}

TEST(ResendMailer, AMisconfiguredMailerFailsEverySendWithoutTheKey) {
  for (ResendOptions options :
       {ResendOptions{"", "https://api.resend.com/emails"},
        ResendOptions{"re_secret\r\nX-Evil: 1", "https://api.resend.com/emails"},
        ResendOptions{"re_secret", "http://api.resend.com/emails"},
        ResendOptions{"re_secret", "not a url"}}) {
    auto mailer = makeResendMailer(options);
    EXPECT_EQ(mailer->kind(), "resend");
    auto sent = mailer->send(sample());
    ASSERT_FALSE(sent.has_value()) << options.endpoint;
    EXPECT_EQ(sent.error().kind, ErrorKind::internal);
    EXPECT_EQ(sent.error().message.find("re_secret"), std::string::npos);
  }
}

TEST(ResendMailer, RefusesABadMessageBeforeSendingAnything) {
  // Port 9 on loopback: nothing listens, so only a request made anyway could fail there.
  auto mailer = makeResendMailer(ResendOptions{"re_key", "http://127.0.0.1:9/emails"});
  Message m = sample();
  m.to = "ada@example.org\r\nBcc: eve@example.net";
  auto sent = mailer->send(m);
  ASSERT_FALSE(sent.has_value());
  EXPECT_EQ(sent.error().kind, ErrorKind::invalid_argument);
}

}  // namespace
}  // namespace stratus::mail
