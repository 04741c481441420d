// The S3 XML documents the blob store reads and writes, on literal input.
#include "blob/s3/s3_xml.h"

#include <gtest/gtest.h>

namespace stratus::blob::s3 {
namespace {

TEST(ParseErrorDocument, ReadsCodeAndMessage) {
  auto error = parseErrorDocument(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated "
      "does not match &amp; so on</Message><RequestId>4442587FB7D0A2F9</RequestId></Error>");
  ASSERT_TRUE(error);
  EXPECT_EQ(error->code, "SignatureDoesNotMatch");
  EXPECT_EQ(error->message, "The request signature we calculated does not match & so on");
}

TEST(ParseErrorDocument, IgnoresWhatIsNotAnErrorDocument) {
  EXPECT_FALSE(parseErrorDocument(""));
  EXPECT_FALSE(parseErrorDocument("<html><body>502 Bad Gateway</body></html>"));
  EXPECT_FALSE(parseErrorDocument("<ListBucketResult><Error>x</Error></ListBucketResult>"));
  EXPECT_FALSE(parseErrorDocument("<Error><Message>no code</Message></Error>"));
  EXPECT_FALSE(parseErrorDocument("<Error><Code>Trunc"));
}

TEST(ParseListPage, ReadsKeysTruncationAndToken) {
  auto page = parseListPage(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\n"
      "  <Name>code</Name><Prefix>p/</Prefix><KeyCount>2</KeyCount>\n"
      "  <IsTruncated>true</IsTruncated>\n"
      "  <Contents><Key>p/a&amp;b</Key><Size>3</Size><ETag>&quot;x&quot;</ETag></Contents>\n"
      "  <Contents><Key>p/c</Key><Size>1</Size></Contents>\n"
      "  "
      "<NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</"
      "NextContinuationToken>\n"
      "</ListBucketResult>");
  ASSERT_TRUE(page) << page.error().describe();
  EXPECT_EQ(page->keys, (std::vector<std::string>{"p/a&b", "p/c"}));
  EXPECT_TRUE(page->truncated);
  EXPECT_EQ(page->nextContinuationToken, "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=");
}

TEST(ParseListPage, AnEmptyListingHasNoKeys) {
  auto page = parseListPage(
      "<ListBucketResult><Name>code</Name><KeyCount>0</KeyCount>"
      "<IsTruncated>false</IsTruncated></ListBucketResult>");
  ASSERT_TRUE(page);
  EXPECT_TRUE(page->keys.empty());
  EXPECT_FALSE(page->truncated);
}

TEST(ParseListPage, RefusesBrokenAndEndlessListings) {
  EXPECT_FALSE(parseListPage(""));
  EXPECT_FALSE(parseListPage("<ListBucketResult><Contents>"));
  EXPECT_FALSE(parseListPage("<Error><Code>NoSuchBucket</Code></Error>"));
  auto endless =
      parseListPage("<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>");
  ASSERT_FALSE(endless);
  EXPECT_EQ(endless.error().code, "blob_storage_bad_answer");
}

TEST(ParseListPage, RefusesDocumentTypesAndTheirEntities) {
  auto laughs = parseListPage(
      "<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;\">]>"
      "<ListBucketResult><Contents><Key>&b;</Key></Contents></ListBucketResult>");
  ASSERT_FALSE(laughs);
  EXPECT_NE(laughs.error().message.find("document type"), std::string::npos);
}

TEST(ParseUploadId, ReadsTheUploadId) {
  auto id = parseUploadId(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<InitiateMultipartUploadResult "
      "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Bucket>code</Bucket><Key>a</Key>"
      "<UploadId>VXBsb2FkIElEIGZvciA2aWWpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA</UploadId>"
      "</InitiateMultipartUploadResult>");
  ASSERT_TRUE(id);
  EXPECT_EQ(*id, "VXBsb2FkIElEIGZvciA2aWWpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA");
  EXPECT_FALSE(parseUploadId("<InitiateMultipartUploadResult/>"));
}

TEST(CompleteMultipartBody, NumbersThePartsAndEscapesTheEtags) {
  EXPECT_EQ(completeMultipartBody({"\"a1\"", "\"b<2>\""}),
            "<CompleteMultipartUpload>"
            "<Part><PartNumber>1</PartNumber><ETag>&quot;a1&quot;</ETag></Part>"
            "<Part><PartNumber>2</PartNumber><ETag>&quot;b&lt;2&gt;&quot;</ETag></Part>"
            "</CompleteMultipartUpload>");
}

TEST(XmlEscape, EscapesTheFiveSpecialCharacters) {
  EXPECT_EQ(xmlEscape("a&b<c>d\"e'f"), "a&amp;b&lt;c&gt;d&quot;e&apos;f");
}

}  // namespace
}  // namespace stratus::blob::s3
