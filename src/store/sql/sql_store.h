// The MetadataStore written once in SQL, for every backend that gives it a connection
// pool. A Pool has:
//   read(fn) / write(fn)   run fn(Connection&) on a connection held exclusively (a backend
//                          may route them to the same connections);
//   Transaction            begin(Connection&) -> Result<Transaction>, commit(), rolls back
//                          on destruction;
//   lockBlobKey(db, key)   inside a write transaction, serialise with every other
//                          transaction that locks the same blob key until commit.
// and its Connection and Statement follow query.h. SQL here is the dialect both SQLite and
// PostgreSQL accept; where they differ (schemas, migrations, locking) the backend folders
// hold their own.
//
// The member definitions are in sql_store_impl.h, included only by the file that
// instantiates the template for its backend (sqlite_store.cc, postgres_store.cc).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "store/metadata_store.h"

namespace stratus::store::sql {

template <class Pool>
class SqlMetadataStore final : public MetadataStore {
 public:
  explicit SqlMetadataStore(std::unique_ptr<Pool> pool) : pool_(std::move(pool)) {}

  Status createUser(const User& user) override;
  Result<User> userById(const std::string& id) override;
  Result<User> userByEmail(const std::string& email) override;
  Status setPasswordHash(const std::string& userId,
                         const std::optional<std::string>& hash) override;
  Status markEmailVerified(const std::string& userId, int64_t at) override;
  Status deleteUser(const std::string& userId) override;

  Status createToken(const OneTimeToken& token) override;
  Result<OneTimeToken> consumeToken(const std::string& hash, const std::string& kind,
                                    int64_t now) override;
  Status deleteTokens(const std::string& userId, const std::string& kind) override;

  Status linkAccount(const LinkedAccount& account) override;
  Result<LinkedAccount> linkedAccount(const std::string& provider,
                                      const std::string& providerAccountId) override;

  Status createSession(const Session& session) override;
  Result<Session> sessionByHash(const std::string& idHash) override;
  Status touchSession(const std::string& idHash, int64_t now) override;
  Status deleteSession(const std::string& idHash) override;
  Status deleteUserSessions(const std::string& userId) override;

  Status createApiKey(const ApiKey& key) override;
  Result<ApiKey> apiKeyByHash(const std::string& hash) override;
  Result<ApiKey> apiKeyById(const std::string& id) override;
  Result<std::vector<ApiKey>> listApiKeys(const std::string& userId) override;
  Status revokeApiKey(const std::string& userId, const std::string& keyId, int64_t now) override;
  Status touchApiKey(const std::string& keyId, int64_t now) override;

  Status createFunction(const Function& function, const FunctionVersion& first) override;
  Result<Function> functionById(const std::string& userId, const std::string& id) override;
  Result<Function> functionByName(const std::string& userId, const std::string& name) override;
  Result<std::vector<Function>> listFunctions(const std::string& userId) override;
  Result<std::vector<Function>> functionsToPrewarm() override;
  Status updateFunction(const Function& function) override;
  Status addVersion(const std::string& userId, const FunctionVersion& version) override;
  Status addVersionWithEntry(const std::string& userId, const FunctionVersion& version,
                             const CodeEntry& entry) override;
  Result<FunctionVersion> functionVersion(const std::string& functionId, int version) override;
  Result<std::vector<FunctionVersion>> listVersions(const std::string& functionId) override;
  Status deleteFunction(const std::string& userId, const std::string& id) override;
  Result<std::vector<std::string>> blobKeysInUse() override;
  Result<bool> removeBlobIfUnused(const std::string& blobKey,
                                  const std::function<Status()>& remove) override;

  Result<PublishedVersion> publishVersion(const PublishedVersion& snapshot) override;
  Result<PublishedVersion> publishedVersion(const std::string& functionId, int version) override;
  Result<std::vector<PublishedVersion>> listPublishedVersions(
      const std::string& functionId) override;
  Status createAlias(const Alias& alias) override;
  Status updateAlias(const Alias& alias) override;
  Result<Alias> alias(const std::string& functionId, const std::string& name) override;
  Result<std::vector<Alias>> listAliases(const std::string& functionId) override;
  Status deleteAlias(const std::string& functionId, const std::string& name) override;
  Status createFunctionUrl(const FunctionUrl& url) override;
  Result<FunctionUrl> functionUrl(const std::string& functionId,
                                  const std::string& qualifier) override;
  Result<FunctionUrl> functionUrlById(const std::string& id) override;
  Status deleteFunctionUrl(const std::string& functionId, const std::string& qualifier) override;

  Status recordInvocation(const Invocation& invocation) override;
  Status recordInvocations(const std::vector<Invocation>& invocations) override;
  Result<std::vector<Invocation>> listInvocations(const std::string& functionId,
                                                  int limit) override;
  Result<std::vector<Invocation>> queryInvocations(const InvocationQuery& query) override;
  Result<std::vector<InvocationSample>> invocationSamples(const std::string& functionId,
                                                          int64_t since, int limit) override;

 private:
  // addVersion and addVersionWithEntry (entry null: the function's entry stays).
  Status addVersionTo(const std::string& userId, const FunctionVersion& version,
                      const CodeEntry* entry);

  std::unique_ptr<Pool> pool_;
};

}  // namespace stratus::store::sql
