// The embedded default MetadataStore: one SQLite file in WAL mode (DESIGN §6).
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "common/error.h"
#include "store/metadata_store.h"
#include "store/sqlite/connection_pool.h"

namespace stratus::store::sqlite {

struct SqliteOptions {
  int readers = 4;  // reader connections besides the writer (none for ":memory:")
  int busyTimeoutMs = 5000;
};

class SqliteMetadataStore final : public MetadataStore {
 public:
  explicit SqliteMetadataStore(std::unique_ptr<ConnectionPool> pool) : pool_(std::move(pool)) {}

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
  Result<std::vector<ApiKey>> listApiKeys(const std::string& userId) override;
  Status revokeApiKey(const std::string& userId, const std::string& keyId, int64_t now) override;
  Status touchApiKey(const std::string& keyId, int64_t now) override;

  Status createFunction(const Function& function, const FunctionVersion& first) override;
  Result<Function> functionById(const std::string& userId, const std::string& id) override;
  Result<Function> functionByName(const std::string& userId, const std::string& name) override;
  Result<std::vector<Function>> listFunctions(const std::string& userId) override;
  Status updateFunction(const Function& function) override;
  Status addVersion(const std::string& userId, const FunctionVersion& version) override;
  Result<FunctionVersion> functionVersion(const std::string& functionId, int version) override;
  Result<std::vector<FunctionVersion>> listVersions(const std::string& functionId) override;
  Status deleteFunction(const std::string& userId, const std::string& id) override;

  Status recordInvocation(const Invocation& invocation) override;
  Result<std::vector<Invocation>> listInvocations(const std::string& functionId,
                                                  int limit) override;

 private:
  std::unique_ptr<ConnectionPool> pool_;
};

// Opens (creating it and its parent folders if needed, mode 0600) the database at `file`
// and applies pending migrations. ":memory:" opens a private in-memory database (tests).
Result<MetadataStorePtr> openSqliteStore(const std::filesystem::path& file,
                                         const SqliteOptions& options = {});

}  // namespace stratus::store::sqlite
