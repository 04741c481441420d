#include "awscompat/sigv4.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <map>

#include "common/crypto.h"
#include "unit/awscompat/test_requests.h"

namespace stratus::awscompat {
namespace {

using namespace std::chrono;
using testing::makeRequest;
using testing::sign;

// The fixed inputs of AWS's SigV4 test suite and of its documentation examples.
constexpr std::string_view kSuiteSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr sys_seconds kSuiteTime = sys_days(2015y / August / 30) + 12h + 36min;
const CredentialScope kSuiteScope{"20150830", "us-east-1", "service"};

std::string hex(std::string_view bytes) {
  std::string out(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                 bytes.size());
  out.pop_back();
  return out;
}

SecretLookup secrets(std::map<std::string, std::string, std::less<>> known) {
  return [known = std::move(known)](std::string_view id) -> Result<std::string> {
    auto it = known.find(id);
    if (it == known.end()) return fail(ErrorKind::not_found, "not_found", "no such key");
    return it->second;
  };
}

const SecretLookup kSuiteSecrets = secrets({{"AKIDEXAMPLE", std::string(kSuiteSecret)}});

class SigV4Test : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { initCrypto(); }
};

// ---- Known answers from AWS's documentation -------------------------------------------

TEST_F(SigV4Test, DerivesTheDocumentedSigningKey) {
  EXPECT_EQ(hex(signingKey(kSuiteSecret, {"20150830", "us-east-1", "iam"})),
            "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9");
}

TEST_F(SigV4Test, SignsTheDocumentedIamExample) {
  const CredentialScope scope{"20150830", "us-east-1", "iam"};
  const std::string toSign =
      stringToSign("20150830T123600Z", scope,
                   "GET\n/\nAction=ListUsers&Version=2010-05-08\n"
                   "content-type:application/x-www-form-urlencoded; charset=utf-8\n"
                   "host:iam.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
                   "content-type;host;x-amz-date\n"
                   "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(toSign,
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/iam/aws4_request\n"
            "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59");
  EXPECT_EQ(signatureOf(kSuiteSecret, scope, toSign),
            "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
}

TEST_F(SigV4Test, VerifiesTheDocumentedIamRequest) {
  auto request =
      makeRequest("GET", "/?Action=ListUsers&Version=2010-05-08",
                  {{"Host", "iam.amazonaws.com"},
                   {"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"},
                   {"X-Amz-Date", "20150830T123600Z"},
                   {"Authorization",
                    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
                    "SignedHeaders=content-type;host;x-amz-date, "
                    "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"}});
  auto verified = verify(request, kSuiteSecrets, kSuiteTime);
  ASSERT_TRUE(verified) << verified.error().describe();
  EXPECT_EQ(*verified, "AKIDEXAMPLE");
}

// The 2011 suite signs with a Date header and no X-Amz-Date.
TEST_F(SigV4Test, VerifiesTheDateHeaderSuiteRequest) {
  auto request =
      makeRequest("GET", "/?foo=Zoo&foo=aha",
                  {{"Date", "Mon, 09 Sep 2011 23:36:00 GMT"},
                   {"Host", "host.foo.com"},
                   {"Authorization",
                    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20110909/us-east-1/host/aws4_request, "
                    "SignedHeaders=date;host, "
                    "Signature=be7148d34ebccdc6423b19085378aa0bee970bdc61d144bd1a8c48c33079ab09"}});
  auto verified = verify(request, kSuiteSecrets, sys_days(2011y / September / 9) + 23h + 38min);
  ASSERT_TRUE(verified) << verified.error().describe();
}

// ---- AWS's SigV4 test suite (aws-sig-v4-test-suite, header form) ----------------------

struct SuiteCase {
  std::string name;
  std::string method;
  std::string target;
  std::vector<std::pair<std::string, std::string>> headers;  // besides Host and X-Amz-Date
  std::string body;
  std::vector<std::string> signedHeaders;
  std::string signature;
};

const std::vector<SuiteCase>& suiteCases() {
  static const std::string kForm = "application/x-www-form-urlencoded";
  static const std::string kFormHash =
      "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e";
  static const std::vector<std::string> kBasic = {"host", "x-amz-date"};
  static const std::vector<std::string> kFormSigned = {"content-length", "content-type", "host",
                                                       "x-amz-content-sha256", "x-amz-date"};
  static const std::vector<SuiteCase> cases = {
      {"get-vanilla",
       "GET",
       "/",
       {},
       "",
       kBasic,
       "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"},
      {"get-vanilla-query-order-key-case",
       "GET",
       "/?Param2=value2&Param1=value1",
       {},
       "",
       kBasic,
       "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"},
      {"get-vanilla-query-order-value",
       "GET",
       "/?Param1=value2&Param1=value1",
       {},
       "",
       kBasic,
       "5772eed61e12b33fae39ee5e7012498b51d56abc0abb7c60486157bd471c4694"},
      {"get-vanilla-query-unreserved",
       "GET",
       "/?-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz="
       "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
       {},
       "",
       kBasic,
       "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197"},
      {"get-vanilla-utf8-query",
       "GET",
       "/?\xE1\x88\xB4=bar",
       {},
       "",
       kBasic,
       "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04"},
      {"get-header-key-duplicate",
       "GET",
       "/",
       {{"My-Header1", "value2"}, {"My-Header1", "value2"}, {"My-Header1", "value1"}},
       "",
       {"host", "my-header1", "x-amz-date"},
       "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea"},
      {"get-header-value-order",
       "GET",
       "/",
       {{"My-Header1", "value4"},
        {"My-Header1", "value1"},
        {"My-Header1", "value3"},
        {"My-Header1", "value2"}},
       "",
       {"host", "my-header1", "x-amz-date"},
       "08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01"},
      {"get-header-value-trim",
       "GET",
       "/",
       {{"My-Header1", " value1"}, {"My-Header2", " \"a   b   c\""}},
       "",
       {"host", "my-header1", "my-header2", "x-amz-date"},
       "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736"},
      {"get-unreserved",
       "GET",
       "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
       {},
       "",
       kBasic,
       "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f"},
      {"get-utf8",
       "GET",
       "/\xE1\x88\xB4",
       {},
       "",
       kBasic,
       "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85"},
      {"get-space",
       "GET",
       "/example space/",
       {},
       "",
       kBasic,
       "652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741"},
      {"post-vanilla",
       "POST",
       "/",
       {},
       "",
       kBasic,
       "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"},
      {"post-vanilla-query",
       "POST",
       "/?Param1=value1",
       {},
       "",
       kBasic,
       "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11"},
      {"post-header-key-sort",
       "POST",
       "/",
       {{"My-Header1", "value1"}},
       "",
       {"host", "my-header1", "x-amz-date"},
       "c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c"},
      {"post-x-www-form-urlencoded",
       "POST",
       "/",
       {{"Content-Type", kForm}, {"Content-Length", "13"}, {"X-Amz-Content-Sha256", kFormHash}},
       "Param1=value1",
       kFormSigned,
       "d3875051da38690788ef43de4db0d8f280229d82040bfac253562e56c3f20e0b"},
      {"post-x-www-form-urlencoded-parameters",
       "POST",
       "/",
       {{"Content-Type", kForm + "; charset=utf-8"},
        {"Content-Length", "13"},
        {"X-Amz-Content-Sha256", kFormHash}},
       "Param1=value1",
       kFormSigned,
       "328d1b9eaadca9f5818ef05e8392801e091653bafec24fcab71e7344e7f51422"},
  };
  return cases;
}

http::Request suiteRequest(const SuiteCase& suiteCase) {
  auto headers = suiteCase.headers;
  headers.emplace_back("Host", "example.amazonaws.com");
  headers.emplace_back("X-Amz-Date", "20150830T123600Z");
  headers.emplace_back("Authorization",
                       formatAuthorization({"AKIDEXAMPLE", kSuiteScope, suiteCase.signedHeaders,
                                            suiteCase.signature}));
  return makeRequest(suiteCase.method, suiteCase.target, std::move(headers), suiteCase.body);
}

TEST_F(SigV4Test, VerifiesEveryRequestOfTheSuite) {
  for (const SuiteCase& suiteCase : suiteCases()) {
    auto verified = verify(suiteRequest(suiteCase), kSuiteSecrets, kSuiteTime);
    EXPECT_TRUE(verified) << suiteCase.name << ": " << verified.error().describe();
  }
}

TEST_F(SigV4Test, RefusesEveryRequestOfTheSuiteUnderAnotherSecret) {
  auto wrongSecret = secrets({{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEZ"}});
  for (const SuiteCase& suiteCase : suiteCases()) {
    auto verified = verify(suiteRequest(suiteCase), wrongSecret, kSuiteTime);
    ASSERT_FALSE(verified) << suiteCase.name;
    EXPECT_EQ(verified.error().code, "signature_mismatch") << suiteCase.name;
    EXPECT_EQ(verified.error().kind, ErrorKind::unauthorized);
  }
}

}  // namespace
}  // namespace stratus::awscompat
