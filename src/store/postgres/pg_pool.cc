#include "store/postgres/pg_pool.h"

namespace stratus::store::postgres {

PgPool::PgPool(PgPoolOptions options, std::unique_ptr<PgConnection> first)
    : options_(std::move(options)) {
  if (first) {
    idle_.push_back(std::move(first));
    open_ = 1;
    opened_ = 1;
  }
}

Result<std::unique_ptr<PgConnection>> PgPool::acquire() {
  const auto deadline = std::chrono::steady_clock::now() + options_.acquireTimeout;
  std::unique_lock lock(mutex_);
  while (true) {
    while (!idle_.empty()) {
      auto connection = std::move(idle_.back());
      idle_.pop_back();
      // The liveness check is a non-blocking poll, cheap enough to do under the lock.
      if (connection->healthy()) return connection;
      --open_;  // the server went away while it sat idle: drop it, maybe open a new one
    }
    if (open_ < options_.size) break;
    if (changed_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
        open_ >= options_.size) {
      Error busy{ErrorKind::unavailable, "storage_unavailable",
                 std::string(sql::kUnavailableMessage), {}};
      busy.addContext("all " + std::to_string(options_.size) + " database connections are busy");
      return std::unexpected(std::move(busy));
    }
  }
  ++open_;  // reserve the slot, then connect without holding the lock
  lock.unlock();
  auto connection = PgConnection::open(options_.url, options_.connectTimeoutS);
  lock.lock();
  if (!connection) {
    --open_;
    changed_.notify_one();
    return std::unexpected(std::move(connection.error()));
  }
  ++opened_;
  return std::move(*connection);
}

void PgPool::release(std::unique_ptr<PgConnection> connection) {
  // A connection left inside a transaction (a bug, or a lost connection mid-way) could
  // carry half a unit of work into the next call: never reuse it.
  const bool reusable = connection && connection->idle() &&
                        PQstatus(connection->raw()) == CONNECTION_OK;
  {
    std::lock_guard lock(mutex_);
    if (reusable) {
      idle_.push_back(std::move(connection));
    } else {
      --open_;
    }
  }
  connection.reset();
  changed_.notify_one();
}

PgPool::Stats PgPool::stats() {
  std::lock_guard lock(mutex_);
  return Stats{.open = open_, .idle = static_cast<int>(idle_.size()), .opened = opened_};
}

Status PgPool::lockBlobKey(PgConnection& connection, const std::string& blobKey) {
  // Two-key form with a class id of our own, so these locks never meet the migration lock
  // or anyone else's single-key locks; hashtext collisions only make two keys wait.
  auto statement = connection.prepare("SELECT pg_advisory_xact_lock(1937007986, hashtext(?))");
  if (!statement) return std::unexpected(std::move(statement.error()));
  return statement->bindAll(blobKey).run();
}

}  // namespace stratus::store::postgres
