// The data model of DESIGN §3 as plain values. Timestamps are Unix milliseconds.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace stratus::store {

struct User {
  std::string id;
  std::string email;  // normalised (auth::normaliseEmail) before it gets here
  std::string name;
  std::optional<std::string> passwordHash;  // empty for OAuth-only accounts
  std::optional<int64_t> emailVerifiedAt;
  int64_t createdAt = 0;
};

struct Session {
  std::string idHash;  // SHA-256 of the cookie value; the value itself is never stored
  std::string userId;
  int64_t createdAt = 0;
  int64_t expiresAt = 0;
  int64_t lastSeen = 0;
};

// A single-use secret sent by mail: email verification ("verify") or password reset
// ("reset"). Like sessions, only its SHA-256 is stored.
struct OneTimeToken {
  std::string hash;
  std::string userId;
  std::string kind;  // verify | reset
  int64_t createdAt = 0;
  int64_t expiresAt = 0;
  std::optional<int64_t> usedAt;
};

// A sign-in provider identity linked to a user: ("github", "12345") -> user.
struct LinkedAccount {
  std::string provider;
  std::string providerAccountId;
  std::string userId;
  int64_t createdAt = 0;
};

struct ApiKey {
  std::string id;
  std::string userId;
  std::string name;
  std::string hash;    // SHA-256 of the full key
  std::string prefix;  // first characters, shown in listings so people can tell keys apart
  int64_t createdAt = 0;
  std::optional<int64_t> lastUsedAt;
  std::optional<int64_t> revokedAt;
  // The full key sealed with the server's secret (auth/sealed_secret.h): AWS Signature
  // Version 4 needs the secret itself, not a digest. Absent for keys made before schema 4,
  // which therefore cannot sign AWS requests.
  std::optional<std::string> sealedSecret;
};

struct Function {
  std::string id;
  std::string userId;
  std::string name;  // unique per user
  std::string description;
  std::string runtime;   // canonical: python3.11 | nodejs20
  std::string handler;   // "module.function"; script mode runs module's file
  std::string mode = "script";        // script | handler
  std::string executor = "sandbox";   // sandbox | docker | nanos
  int timeoutS = 3;
  int memoryMb = 128;
  std::map<std::string, std::string> env;
  bool isPublic = false;
  std::optional<int> concurrencyLimit;  // reserved concurrency; none = unreserved
  int prewarm = 0;  // instances of the current version kept initialised, waiting for calls
  int currentVersion = 1;
  int64_t createdAt = 0;
  int64_t updatedAt = 0;
};

struct FunctionVersion {
  std::string functionId;
  int version = 1;
  std::string codeSha256;
  int64_t codeSize = 0;
  std::string blobKey;
  int64_t createdAt = 0;
};

// Where a function's code starts: set together with new code whose entry only the new
// runtime and handler find (the old ones would not find it, the new ones not in the old code).
struct CodeEntry {
  std::string runtime;
  std::string handler;
};

// A version published through the Lambda-compatible API: an immutable snapshot of the
// function's code and of the settings that decide how it runs, taken when published.
// Stratus's own versions (FunctionVersion) number code uploads; these number publications,
// as Lambda does, and each names the code version it froze.
struct PublishedVersion {
  std::string functionId;
  int version = 1;      // 1, 2, ... per function
  int codeVersion = 1;  // the FunctionVersion holding its code
  std::string description;
  std::string runtime;
  std::string handler;
  int timeoutS = 3;
  int memoryMb = 128;
  std::map<std::string, std::string> env;
  int64_t createdAt = 0;
};

// A named pointer to "$LATEST" or a published version, optionally sending a share of calls
// to one other published version (Lambda's weighted alias routing).
struct Alias {
  std::string functionId;
  std::string name;
  std::string functionVersion;  // "$LATEST" or a published version's number
  std::string description;
  std::optional<std::string> additionalVersion;
  // Share of calls that go to additionalVersion, in millionths: stored as an integer so both
  // databases keep exactly what was written.
  int additionalWeightPpm = 0;
  std::string revisionId;  // changes on every update
  int64_t createdAt = 0;
  int64_t updatedAt = 0;
};

// A function URL: plain HTTP calls to /lambda-url/{id}/... run the function (or the alias
// named by qualifier) with a payload format 2.0 event.
struct FunctionUrl {
  std::string id;  // random, the URL's only name for the function
  std::string functionId;
  std::string userId;     // the owner: a call names only the URL, not the account
  std::string qualifier;  // "" for the function itself, else an alias name
  std::string authType;   // NONE | AWS_IAM (calls signed with one of the owner's keys)
  std::string cors;       // the CORS settings as JSON text, "" when none
  int64_t createdAt = 0;
  int64_t updatedAt = 0;
};

struct Invocation {
  std::string id;
  std::string functionId;
  int version = 0;
  std::string executor;
  int64_t startedAt = 0;
  int64_t durationMs = 0;
  std::string status;  // ok | error | timeout | killed
  int exitCode = 0;
  bool timedOut = false;
  bool coldStart = true;
  int64_t initDurationMs = 0;  // the runtime's initialisation on a cold start; 0 when warm
  int64_t memoryUsed = 0;  // peak bytes, 0 if unknown
  std::string error;
  std::string logExcerpt;
};

// A position in a function's invocations, newest first: the last row of a page. Paging by
// (startedAt, id) rather than startedAt alone keeps calls that started in the same
// millisecond from being skipped or listed twice.
struct InvocationCursor {
  int64_t startedAt = 0;
  std::string id;
};

// Which of a function's invocations to list, newest first.
struct InvocationQuery {
  std::string functionId;
  int limit = 50;                          // must be positive
  std::optional<std::string> status;       // only this status (ok | error | timeout | killed)
  std::optional<InvocationCursor> before;  // only rows after this one in newest-first order
};

// The three columns charts and summaries are computed from.
struct InvocationSample {
  int64_t startedAt = 0;
  int64_t durationMs = 0;
  std::string status;
};

}  // namespace stratus::store
