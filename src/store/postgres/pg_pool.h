// A bounded pool of PostgreSQL connections, opened on demand.
//
// Unlike SQLite, PostgreSQL runs concurrent writers itself, so reads and writes take any
// connection; the row locks inside each transaction do the serialising. A connection goes
// back to the pool only if it is healthy and outside any transaction; a broken one is
// dropped and its slot reopened by the next caller. So when the database restarts, calls
// fail with "storage_unavailable" while it is down and work again once it is back, with no
// restart of Stratus.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "common/error.h"
#include "store/postgres/pg_connection.h"

namespace stratus::store::postgres {

struct PgPoolOptions {
  std::string url;
  int size = 8;
  int connectTimeoutS = 5;
  // How long a call waits for a free connection before answering storage_unavailable.
  std::chrono::milliseconds acquireTimeout{5000};
};

class PgPool {
 public:
  using Transaction = PgTransaction;

  // A transaction-scoped advisory lock on the key's hash: released at commit or rollback.
  static Status lockBlobKey(PgConnection& connection, const std::string& blobKey);

  // `first` (optional) is an already-open connection to start with.
  PgPool(PgPoolOptions options, std::unique_ptr<PgConnection> first);
  PgPool(const PgPool&) = delete;
  PgPool& operator=(const PgPool&) = delete;

  template <class Fn>
  std::invoke_result_t<Fn, PgConnection&> write(Fn&& fn) {
    return run(std::forward<Fn>(fn));
  }
  template <class Fn>
  std::invoke_result_t<Fn, PgConnection&> read(Fn&& fn) {
    return run(std::forward<Fn>(fn));
  }

  struct Stats {
    int open = 0;
    int idle = 0;
    int64_t opened = 0;  // connections opened over the pool's life (reconnections show here)
  };
  Stats stats();

 private:
  // Returns the connection to the pool when the call is done, whatever it returned.
  class Lease {
   public:
    Lease(PgPool& pool, std::unique_ptr<PgConnection> connection)
        : pool_(pool), connection_(std::move(connection)) {}
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease() { pool_.release(std::move(connection_)); }
    PgConnection& connection() { return *connection_; }

   private:
    PgPool& pool_;
    std::unique_ptr<PgConnection> connection_;
  };

  template <class Fn>
  std::invoke_result_t<Fn, PgConnection&> run(Fn&& fn) {
    auto connection = acquire();
    if (!connection) return std::unexpected(std::move(connection.error()));
    Lease lease(*this, std::move(*connection));
    return std::forward<Fn>(fn)(lease.connection());
  }

  Result<std::unique_ptr<PgConnection>> acquire();
  void release(std::unique_ptr<PgConnection> connection);

  const PgPoolOptions options_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::unique_ptr<PgConnection>> idle_;
  int open_ = 0;  // idle + leased + being opened
  int64_t opened_ = 0;
};

}  // namespace stratus::store::postgres
