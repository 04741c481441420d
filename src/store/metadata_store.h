// Where function metadata, accounts and invocation records live. Implementations:
// sqlite/ (embedded default) and postgres/, both the one SQL implementation in sql/. Every implementation runs the one
// contract suite in tests/unit/store/metadata_store_contract.h unchanged.
//
// Errors: a missing row is ErrorKind::not_found; a uniqueness violation is
// ErrorKind::conflict (codes "email_taken", "function_exists"); a backend that cannot be
// reached is ErrorKind::unavailable ("storage_unavailable").
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/error.h"
#include "store/model.h"

namespace stratus::store {

class MetadataStore {
 public:
  virtual ~MetadataStore() = default;

  // Users
  virtual Status createUser(const User& user) = 0;
  virtual Result<User> userById(const std::string& id) = 0;
  virtual Result<User> userByEmail(const std::string& email) = 0;
  // nullopt removes the password (an account that signs in only through a provider).
  virtual Status setPasswordHash(const std::string& userId,
                                 const std::optional<std::string>& hash) = 0;
  // Keeps the first verification time when called again.
  virtual Status markEmailVerified(const std::string& userId, int64_t at) = 0;
  // Removes the user and, in the same transaction, everything that belongs to it: sessions,
  // API keys, tokens, linked accounts, functions, versions and invocation records. Code
  // blobs are the caller's to delete (they are not in this store).
  virtual Status deleteUser(const std::string& userId) = 0;

  // One-time tokens, looked up by hash. Consuming is atomic: of two requests racing with the
  // same token, one gets it and the other not_found. A token that is used, expired (at
  // `now`) or of another kind is not_found, with no hint which.
  virtual Status createToken(const OneTimeToken& token) = 0;
  virtual Result<OneTimeToken> consumeToken(const std::string& hash, const std::string& kind,
                                            int64_t now) = 0;
  // Forgets the user's unused tokens of that kind (a newer mail supersedes older ones).
  virtual Status deleteTokens(const std::string& userId, const std::string& kind) = 0;

  // Linked provider accounts. Linking an identity that is already linked is a conflict
  // ("account_linked"), whoever it is linked to.
  virtual Status linkAccount(const LinkedAccount& account) = 0;
  virtual Result<LinkedAccount> linkedAccount(const std::string& provider,
                                              const std::string& providerAccountId) = 0;

  // Sessions (looked up by the hash of the cookie value)
  virtual Status createSession(const Session& session) = 0;
  // Returns expired sessions too; the caller compares expiresAt with its clock.
  virtual Result<Session> sessionByHash(const std::string& idHash) = 0;
  virtual Status touchSession(const std::string& idHash, int64_t now) = 0;
  // Deleting an absent session (signing out twice) succeeds, as does deleting none.
  virtual Status deleteSession(const std::string& idHash) = 0;
  virtual Status deleteUserSessions(const std::string& userId) = 0;

  // API keys
  virtual Status createApiKey(const ApiKey& key) = 0;
  // A revoked key is not_found here, so authentication cannot accept one by mistake.
  virtual Result<ApiKey> apiKeyByHash(const std::string& hash) = 0;
  // By id, for AWS Signature Version 4 (the access key id is the key's id); revoked keys
  // are not_found here too.
  virtual Result<ApiKey> apiKeyById(const std::string& id) = 0;
  // All of the user's keys, revoked ones included, oldest first.
  virtual Result<std::vector<ApiKey>> listApiKeys(const std::string& userId) = 0;
  // not_found unless the key exists, belongs to userId and is not yet revoked.
  virtual Status revokeApiKey(const std::string& userId, const std::string& keyId, int64_t now) = 0;
  virtual Status touchApiKey(const std::string& keyId, int64_t now) = 0;

  // Functions. Creating writes the function and its first version in one transaction;
  // a duplicate (userId, name) is a conflict and changes nothing.
  virtual Status createFunction(const Function& function, const FunctionVersion& first) = 0;
  virtual Result<Function> functionById(const std::string& userId, const std::string& id) = 0;
  virtual Result<Function> functionByName(const std::string& userId, const std::string& name) = 0;
  // Sorted by name.
  virtual Result<std::vector<Function>> listFunctions(const std::string& userId) = 0;
  // Every user's functions that ask for pre-warmed instances (prewarm > 0), for start-up.
  virtual Result<std::vector<Function>> functionsToPrewarm() = 0;
  // Updates the configuration columns (everything but id, userId, currentVersion, createdAt);
  // renaming onto an existing name is a conflict.
  virtual Status updateFunction(const Function& function) = 0;
  // Adds version.version (must be currentVersion + 1) and makes it current, in one transaction.
  // Any other number is a conflict ("version_conflict"): two racing uploads cannot both win.
  virtual Status addVersion(const std::string& userId, const FunctionVersion& version) = 0;
  // The same, and in the same transaction the function's runtime and handler become
  // `entry`'s: no call ever sees the new code with the old entry, or the reverse.
  virtual Status addVersionWithEntry(const std::string& userId, const FunctionVersion& version,
                                     const CodeEntry& entry) = 0;
  virtual Result<FunctionVersion> functionVersion(const std::string& functionId, int version) = 0;
  // Oldest (version 1) first.
  virtual Result<std::vector<FunctionVersion>> listVersions(const std::string& functionId) = 0;
  // Deletes the function, its versions, published versions, aliases, URLs and invocation
  // records.
  virtual Status deleteFunction(const std::string& userId, const std::string& id) = 0;
  // Every blob key some version of some function refers to, sorted, each once. The
  // sweeper deletes blobs that stay out of this list for its grace period.
  virtual Result<std::vector<std::string>> blobKeysInUse() = 0;
  // Runs `remove` only if no version refers to blobKey, and holds back any createFunction
  // or addVersion naming that key until `remove` has returned: so the sweeper can never
  // delete a blob that a version committed meanwhile refers to (the uploader, running
  // after, finds its blob gone and writes it again). Returns whether `remove` ran and
  // succeeded; false when the key is in use.
  virtual Result<bool> removeBlobIfUnused(const std::string& blobKey,
                                          const std::function<Status()>& remove) = 0;

  // The Lambda-compatible API's published versions: numbered 1, 2, ... per function by
  // publishVersion (snapshot.version is ignored; the stored one is returned). A code version
  // the function does not have is not_found ("version_not_found").
  virtual Result<PublishedVersion> publishVersion(const PublishedVersion& snapshot) = 0;
  virtual Result<PublishedVersion> publishedVersion(const std::string& functionId, int version) = 0;
  // Oldest first.
  virtual Result<std::vector<PublishedVersion>> listPublishedVersions(
      const std::string& functionId) = 0;
  // Aliases, unique by (function, name): a second is a conflict ("alias_exists").
  virtual Status createAlias(const Alias& alias) = 0;
  // Changes everything but the function, the name and createdAt.
  virtual Status updateAlias(const Alias& alias) = 0;
  virtual Result<Alias> alias(const std::string& functionId, const std::string& name) = 0;
  // Sorted by name.
  virtual Result<std::vector<Alias>> listAliases(const std::string& functionId) = 0;
  virtual Status deleteAlias(const std::string& functionId, const std::string& name) = 0;
  // Function URLs, one per (function, qualifier): a second is a conflict
  // ("function_url_exists").
  virtual Status createFunctionUrl(const FunctionUrl& url) = 0;
  virtual Result<FunctionUrl> functionUrl(const std::string& functionId,
                                          const std::string& qualifier) = 0;
  virtual Result<FunctionUrl> functionUrlById(const std::string& id) = 0;
  virtual Status deleteFunctionUrl(const std::string& functionId, const std::string& qualifier) = 0;

  // Invocations, newest (by startedAt) first; limit must be positive (else invalid_argument).
  virtual Status recordInvocation(const Invocation& invocation) = 0;
  // Several in one transaction (one commit instead of one per call). A record whose
  // function is gone by now is skipped, not an error: its invocations would go with it.
  virtual Status recordInvocations(const std::vector<Invocation>& invocations) = 0;
  virtual Result<std::vector<Invocation>> listInvocations(const std::string& functionId,
                                                          int limit) = 0;
  // One page: newest first (ties on startedAt broken by id, descending), at most
  // query.limit rows, filtered by status and starting after query.before when given.
  virtual Result<std::vector<Invocation>> queryInvocations(const InvocationQuery& query) = 0;
  // The newest `limit` (positive) invocations that started at or after `since`, newest
  // first: bounded input for charts and summaries however busy the function is.
  virtual Result<std::vector<InvocationSample>> invocationSamples(const std::string& functionId,
                                                                  int64_t since, int limit) = 0;
};

using MetadataStorePtr = std::unique_ptr<MetadataStore>;

}  // namespace stratus::store
