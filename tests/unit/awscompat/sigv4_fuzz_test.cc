// Random damage to the parts of a signed request that arrive before anything is
// authenticated. Nothing may crash, and nothing may be accepted unless the damage happened
// to spell the very same header another accepted way (", " -> ",").
#include <gtest/gtest.h>

#include <random>

#include "awscompat/sigv4.h"
#include "awscompat/sigv4_date.h"
#include "common/crypto.h"
#include "unit/awscompat/test_requests.h"

namespace stratus::awscompat {
namespace {

using namespace std::chrono;

constexpr sys_seconds kSignedAt = sys_days(2026y / March / 14) + 9h + 26min + 53s;
const std::string kSecret = "sk_fuzzsecret";

Result<std::string> lookup(std::string_view id) {
  if (id == "AKIDFUZZ") return kSecret;
  return fail(ErrorKind::not_found, "not_found", "no such key");
}

class Mutator {
 public:
  explicit Mutator(unsigned seed) : random_(seed) {}

  std::string operator()(std::string text) {
    const int steps = pick(1, 3);
    for (int i = 0; i < steps; ++i) text = once(std::move(text));
    return text;
  }

  int pick(int low, int high) { return std::uniform_int_distribution<int>(low, high)(random_); }

 private:
  char anyChar() {
    // Mostly the characters the grammar cares about, sometimes any byte at all.
    static constexpr std::string_view kInteresting = ",;/= \t\n\r\"%0aAfF9-_~.";
    if (pick(0, 3) == 0) return static_cast<char>(pick(0, 255));
    return kInteresting[pick(0, kInteresting.size() - 1)];
  }

  std::string once(std::string text) {
    const int size = static_cast<int>(text.size());
    const int at = size == 0 ? 0 : pick(0, size - 1);
    switch (pick(0, 6)) {
      case 0:  // replace a byte
        if (size > 0) text[at] = anyChar();
        break;
      case 1:  // delete a range
        text.erase(at, pick(1, 16));
        break;
      case 2:  // insert bytes
        for (int n = pick(1, 8); n > 0; --n) text.insert(text.begin() + at, anyChar());
        break;
      case 3:  // duplicate a range
        text.insert(at, text.substr(at, pick(1, 40)));
        break;
      case 4:  // truncate
        text.resize(at);
        break;
      case 5: {  // swap two bytes
        if (size > 1) std::swap(text[at], text[pick(0, size - 1)]);
        break;
      }
      case 6:  // grow past the bounds
        text.append(pick(1, 5000), 'a');
        break;
    }
    return text;
  }

  std::mt19937 random_;
};

http::Request signedRequest() {
  auto request =
      testing::makeRequest("POST", "/2015-03-31/functions/my-fn/invocations?Qualifier=prod",
                           {{"Host", "h:8443"},
                            {"X-Amz-Date", "20260314T092653Z"},
                            {"Content-Type", "application/json"}},
                           "{}");
  testing::sign(request, "AKIDFUZZ", kSecret, {"20260314", "us-east-1", "lambda"},
                {"content-type", "host", "x-amz-date"});
  return request;
}

class SigV4Fuzz : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { initCrypto(); }
};

TEST_F(SigV4Fuzz, ADamagedAuthorizationHeaderIsAlwaysRefused) {
  const http::Request original = signedRequest();
  ASSERT_TRUE(verify(original, lookup, kSignedAt));
  const std::string header(*original.header("authorization"));
  Mutator mutate(20260314);  // a fixed seed, so a failure reproduces
  int refused = 0;
  for (int i = 0; i < 2000; ++i) {
    const std::string damaged = mutate(header);
    http::Request request = original;
    request.headers.erase("authorization");
    request.headers.emplace("Authorization", damaged);
    auto result = verify(request, lookup, kSignedAt);
    if (result) {
      auto parsed = parseAuthorization(damaged);
      ASSERT_TRUE(parsed);
      EXPECT_EQ(formatAuthorization(*parsed), header) << "accepted: " << damaged;
    } else {
      ++refused;
      EXPECT_FALSE(result.error().code.empty());
      EXPECT_NE(result.error().kind, ErrorKind::internal) << result.error().describe();
    }
  }
  EXPECT_GT(refused, 1900);
}

TEST_F(SigV4Fuzz, ADamagedDateIsAlwaysRefused) {
  const http::Request original = signedRequest();
  Mutator mutate(7);
  for (int i = 0; i < 1000; ++i) {
    const std::string damaged = mutate("20260314T092653Z");
    if (damaged == "20260314T092653Z") continue;
    http::Request request = original;
    request.headers.erase("x-amz-date");
    request.headers.emplace("X-Amz-Date", damaged);
    auto result = verify(request, lookup, kSignedAt);
    EXPECT_FALSE(result) << damaged;
    // Whatever parses must print back the same: one spelling per instant.
    if (auto time = parseAmzDate(damaged)) {
      EXPECT_EQ(formatAmzDate(*time), damaged);
    }
  }
}

TEST_F(SigV4Fuzz, GarbageHeadersAreRefused) {
  Mutator mutate(99);
  const http::Request original = signedRequest();
  for (int i = 0; i < 500; ++i) {
    std::string garbage;
    for (int n = mutate.pick(0, 300); n > 0; --n)
      garbage.push_back(static_cast<char>(mutate.pick(0, 255)));
    if (i % 2 == 0) garbage = "AWS4-HMAC-SHA256 " + garbage;
    http::Request request = original;
    request.headers.erase("authorization");
    request.headers.emplace("Authorization", garbage);
    EXPECT_FALSE(verify(request, lookup, kSignedAt));
    EXPECT_FALSE(parseHttpDate(garbage));
  }
}

}  // namespace
}  // namespace stratus::awscompat
