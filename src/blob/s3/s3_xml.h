// Pure readers and writers of the few S3 XML documents the blob store meets: error answers,
// ListObjectsV2 pages, InitiateMultipartUpload and CompleteMultipartUpload. Parsed with
// expat; a document type declaration is refused outright (S3 never sends one, and it is
// the door to entity-expansion tricks).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace stratus::blob::s3 {

struct ErrorDocument {
  std::string code;     // "NoSuchKey", "SignatureDoesNotMatch", ...
  std::string message;  // S3's own sentence
};

// The <Error> document of a failed request, or nullopt when the body is not one (a proxy's
// HTML page, an empty HEAD answer, a success document).
std::optional<ErrorDocument> parseErrorDocument(std::string_view body);

struct ListPage {
  std::vector<std::string> keys;  // object keys as S3 spells them, in the page's order
  bool truncated = false;
  std::string nextContinuationToken;  // set when truncated
};

// A ListBucketResult of ListObjectsV2. Refuses a truncated page without a token (following
// it would start the listing over, forever).
Result<ListPage> parseListPage(std::string_view body);

// The UploadId of an InitiateMultipartUploadResult.
Result<std::string> parseUploadId(std::string_view body);

// The CompleteMultipartUpload body for parts 1..n with these ETags (as S3 returned them,
// quotes included).
std::string completeMultipartBody(const std::vector<std::string>& partEtags);

// &, <, >, " and ' as entities.
std::string xmlEscape(std::string_view text);

}  // namespace stratus::blob::s3
