#include "blob/s3/s3_xml.h"

#include <expat.h>

#include <climits>
#include <memory>

namespace stratus::blob::s3 {
namespace {

// A document flattened to its text-bearing elements, each with its path from the root
// ("ListBucketResult/Contents/Key"). S3's documents are shallow and attribute-free, so
// this is all the structure the readers below need.
struct Leaf {
  std::string path;
  std::string text;
};

struct Flattened {
  std::string root;
  std::vector<Leaf> leaves;
};

struct ParserDeleter {
  void operator()(XML_ParserStruct* parser) const { XML_ParserFree(parser); }
};

struct FlattenState {
  XML_Parser parser = nullptr;
  Flattened out;
  std::string path;
  std::string text;
  bool sawDoctype = false;
};

void XMLCALL onStart(void* user, const XML_Char* name, const XML_Char**) {
  auto* state = static_cast<FlattenState*>(user);
  if (state->path.empty()) state->out.root = name;
  if (!state->path.empty()) state->path += '/';
  state->path += name;
  state->text.clear();
}

void XMLCALL onEnd(void* user, const XML_Char*) {
  auto* state = static_cast<FlattenState*>(user);
  if (!state->text.empty()) state->out.leaves.push_back({state->path, std::move(state->text)});
  state->text.clear();
  const std::size_t slash = state->path.rfind('/');
  state->path.erase(slash == std::string::npos ? 0 : slash);
}

void XMLCALL onText(void* user, const XML_Char* data, int length) {
  static_cast<FlattenState*>(user)->text.append(data, static_cast<std::size_t>(length));
}

void XMLCALL onDoctype(void* user, const XML_Char*, const XML_Char*, const XML_Char*, int) {
  auto* state = static_cast<FlattenState*>(user);
  state->sawDoctype = true;
  XML_StopParser(state->parser, XML_FALSE);
}

std::unexpected<Error> badDocument(std::string what) {
  return fail(ErrorKind::internal, "blob_storage_bad_answer",
              "the blob store's answer could not be read: " + what);
}

Result<Flattened> flatten(std::string_view body) {
  if (body.size() > INT_MAX) return badDocument("the document is too large");
  std::unique_ptr<XML_ParserStruct, ParserDeleter> parser(XML_ParserCreate("UTF-8"));
  if (!parser) return badDocument("out of memory");
  FlattenState state;
  state.parser = parser.get();
  XML_SetUserData(parser.get(), &state);
  XML_SetElementHandler(parser.get(), onStart, onEnd);
  XML_SetCharacterDataHandler(parser.get(), onText);
  XML_SetStartDoctypeDeclHandler(parser.get(), onDoctype);
  const auto status = XML_Parse(parser.get(), body.data(), static_cast<int>(body.size()), XML_TRUE);
  if (state.sawDoctype) return badDocument("it declares a document type");
  if (status != XML_STATUS_OK) {
    return badDocument(std::string("malformed XML (") +
                       XML_ErrorString(XML_GetErrorCode(parser.get())) + ")");
  }
  return std::move(state.out);
}

}  // namespace

std::optional<ErrorDocument> parseErrorDocument(std::string_view body) {
  if (body.find("<Error") == std::string_view::npos) return std::nullopt;
  auto document = flatten(body);
  if (!document || document->root != "Error") return std::nullopt;
  ErrorDocument error;
  for (const auto& leaf : document->leaves) {
    if (leaf.path == "Error/Code") error.code = leaf.text;
    if (leaf.path == "Error/Message") error.message = leaf.text;
  }
  if (error.code.empty()) return std::nullopt;
  return error;
}

Result<ListPage> parseListPage(std::string_view body) {
  auto document = flatten(body);
  if (!document) return std::unexpected(std::move(document.error()));
  if (document->root != "ListBucketResult") {
    return badDocument("expected a ListBucketResult, got <" + document->root + ">");
  }
  ListPage page;
  for (auto& leaf : document->leaves) {
    if (leaf.path == "ListBucketResult/Contents/Key") {
      page.keys.push_back(std::move(leaf.text));
    } else if (leaf.path == "ListBucketResult/IsTruncated") {
      page.truncated = leaf.text == "true";
    } else if (leaf.path == "ListBucketResult/NextContinuationToken") {
      page.nextContinuationToken = std::move(leaf.text);
    }
  }
  if (page.truncated && page.nextContinuationToken.empty()) {
    return badDocument("a truncated listing without a continuation token");
  }
  return page;
}

Result<std::string> parseUploadId(std::string_view body) {
  auto document = flatten(body);
  if (!document) return std::unexpected(std::move(document.error()));
  for (auto& leaf : document->leaves) {
    if (leaf.path == "InitiateMultipartUploadResult/UploadId") return std::move(leaf.text);
  }
  return badDocument("the multipart upload answer has no UploadId");
}

std::string completeMultipartBody(const std::vector<std::string>& partEtags) {
  std::string body = "<CompleteMultipartUpload>";
  for (std::size_t i = 0; i < partEtags.size(); ++i) {
    body += "<Part><PartNumber>" + std::to_string(i + 1) + "</PartNumber><ETag>" +
            xmlEscape(partEtags[i]) + "</ETag></Part>";
  }
  body += "</CompleteMultipartUpload>";
  return body;
}

std::string xmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace stratus::blob::s3
