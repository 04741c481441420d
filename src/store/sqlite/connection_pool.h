// Which connection a store call runs on.
//
// The server calls the store from many threads at once. In WAL mode SQLite lets any number
// of readers run alongside one writer, but it admits only one writer at a time per
// database. So the pool has:
//  - one writer connection behind a mutex. Writers queue here, in-process, instead of
//    spinning in SQLite's busy handler against each other, and a write transaction never
//    meets SQLITE_BUSY from a sibling connection (busy_timeout still covers other
//    processes, such as the CLI, writing the same file);
//  - a few reader connections (PRAGMA query_only), one per thread at a time, so request
//    authentication (session and API-key lookups) and listings keep answering while a
//    commit waits for the disk.
// A single mutex-guarded connection would be simpler but would stall every read behind
// every write. An in-memory database is private to its connection, so it gets no readers
// and all work goes through the writer.
#pragma once

#include <condition_variable>
#include <mutex>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "store/sqlite/connection.h"

namespace stratus::store::sqlite {

class ConnectionPool {
 public:
  using Transaction = sqlite::Transaction;

  // Every write transaction here holds the single writer connection (and BEGIN IMMEDIATE
  // takes SQLite's write lock), so it is already serialised with every other writer.
  static Status lockBlobKey(Connection&, const std::string&) { return {}; }
  ConnectionPool(Connection writer, std::vector<Connection> readers)
      : writer_(std::move(writer)), idleReaders_(std::move(readers)) {
    hasReaders_ = !idleReaders_.empty();
  }
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // Runs fn(Connection&) on the writer connection, holding it exclusively.
  template <class Fn>
  std::invoke_result_t<Fn, Connection&> write(Fn&& fn) {
    std::lock_guard lock(writerMutex_);
    return std::forward<Fn>(fn)(writer_);
  }

  // Runs fn(Connection&) on a reader connection (the writer if there are none).
  template <class Fn>
  std::invoke_result_t<Fn, Connection&> read(Fn&& fn) {
    if (!hasReaders_) return write(std::forward<Fn>(fn));
    Lease lease(*this);
    return std::forward<Fn>(fn)(lease.connection);
  }

 private:
  struct Lease {
    explicit Lease(ConnectionPool& pool) : pool(pool), connection(pool.takeReader()) {}
    ~Lease() { pool.returnReader(std::move(connection)); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ConnectionPool& pool;
    Connection connection;
  };

  Connection takeReader() {
    std::unique_lock lock(readersMutex_);
    readerAvailable_.wait(lock, [&] { return !idleReaders_.empty(); });
    Connection connection = std::move(idleReaders_.back());
    idleReaders_.pop_back();
    return connection;
  }
  void returnReader(Connection connection) {
    {
      std::lock_guard lock(readersMutex_);
      idleReaders_.push_back(std::move(connection));
    }
    readerAvailable_.notify_one();
  }

  std::mutex writerMutex_;
  Connection writer_;
  bool hasReaders_ = false;
  std::mutex readersMutex_;
  std::condition_variable readerAvailable_;
  std::vector<Connection> idleReaders_;
};

}  // namespace stratus::store::sqlite
