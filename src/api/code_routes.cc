// The code viewer: the files of a function version and one file's text, read from this
// node's code cache (the very tree instances run) through common/file_tree.h, which never
// follows a link or leaves the tree.
#include <climits>

#include "api/code_view.h"
#include "api/request_support.h"
#include "api/routes.h"
#include "common/file_tree.h"

namespace stratus::api {
namespace {

// Listings judge "binary" from each file's start, as git does, so listing a package of
// thousands of files does not read all of them.
constexpr std::size_t kSniffBytes = 8192;

// ?version=N, the current version when absent.
Result<store::FunctionVersion> requestedVersion(ApiContext& context, const http::Request& request,
                                                const store::Function& function) {
  int version = function.currentVersion;
  if (auto text = request.queryValue("version")) {
    auto parsed = parseBoundedInt(*text, 1, INT_MAX, "invalid_version", "version");
    if (!parsed) return std::unexpected(parsed.error());
    version = *parsed;
  }
  return context.store.functionVersion(function.id, version);
}

}  // namespace

void registerCodeRoutes(http::Router& router, ApiContext& context) {
  router.add("GET", "/api/v1/functions/{name}/code",
             withFunction(context, [&context](http::Request& request, auto&,
                                              const store::Function& f) {
               auto version = requestedVersion(context, request, f);
               if (!version) return http::Response::error(version.error());
               auto lease = context.invoker.leaseCode(*version);
               if (!lease) return http::Response::error(lease.error());
               auto listing = listTree(lease->path());
               if (!listing) return http::Response::error(listing.error());
               boost::json::array files;
               for (const auto& file : listing->files) {
                 auto head = readTreeFile(lease->path(), file.path, kSniffBytes);
                 if (!head) return http::Response::error(head.error());
                 files.push_back(boost::json::object{
                     {"path", file.path},
                     {"size", file.size},
                     {"binary", codeText(head->bytes, head->size, kSniffBytes).binary}});
               }
               return http::Response::json(
                   200, boost::json::object{{"version", version->version}, {"files", std::move(files)}});
             }));

  router.add("GET", "/api/v1/functions/{name}/code/file",
             withFunction(context, [&context](http::Request& request, auto&,
                                              const store::Function& f) {
               auto path = request.queryValue("path");
               if (!path || path->empty())
                 return http::Response::error(400, "missing_path", "path is required");
               auto version = requestedVersion(context, request, f);
               if (!version) return http::Response::error(version.error());
               auto lease = context.invoker.leaseCode(*version);
               if (!lease) return http::Response::error(lease.error());
               auto slice = readTreeFile(lease->path(), *path, kCodeViewBytes);
               if (!slice) return http::Response::error(slice.error());
               auto text = codeText(slice->bytes, slice->size);
               return http::Response::json(200, boost::json::object{{"path", *path},
                                                                    {"size", slice->size},
                                                                    {"binary", text.binary},
                                                                    {"truncated", text.truncated},
                                                                    {"content", std::move(text.content)}});
             }));
}

}  // namespace stratus::api
