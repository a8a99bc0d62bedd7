// The RocksDB event log.  Internal to storage/: users see only EventLog.
// RocksDB types are forward-declared so its headers stay in the .cc files.
//
// Writes: every append is validated on the caller's thread, then queued for
// one writer thread.  The writer takes everything queued, decides each
// append in order (retry? version ok?), assigns versions and positions,
// writes the whole group as one WriteBatch with sync=true, publishes the new
// head, and only then completes the callers (group commit, as LevelDB's
// DBImpl::Write).  Positions are assigned only there, so they stay gapless.
#ifndef HAVEN_STORAGE_ROCKSDB_EVENT_LOG_H_
#define HAVEN_STORAGE_ROCKSDB_EVENT_LOG_H_

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "storage/append_rules.h"
#include "storage/event_log.h"

namespace rocksdb {
class DB;
class ColumnFamilyHandle;
class WriteBatch;
}  // namespace rocksdb

namespace haven::storage {

class RocksEventLog : public EventLog {
 public:
  static absl::StatusOr<std::unique_ptr<EventLog>> Open(const Options& options);
  ~RocksEventLog() override;

  void AppendAsync(std::string stream, ExpectedVersion expected, std::vector<NewEvent> events,
                   AppendCallback done) override;
  absl::StatusOr<StreamPage> ReadStream(const std::string& stream, uint64_t from,
                                        Direction direction, size_t limit) const override;
  absl::StatusOr<LogPage> ReadAll(uint64_t from, size_t limit, const Filter& filter,
                                  size_t scan_limit) const override;
  uint64_t HeadPosition() const override;
  uint64_t WaitForHeadAfter(uint64_t after,
                            std::chrono::steady_clock::time_point deadline) const override;

 private:
  struct PendingAppend {
    std::string stream;
    ExpectedVersion expected;
    std::vector<NewEvent> events;
    std::vector<std::string> ids;  // 16-byte forms, in order.
    AppendCallback done;
    absl::StatusOr<AppendResult> result = absl::UnknownError("not decided");
  };
  // State a group's decisions build on before it is committed.
  struct GroupState;

  RocksEventLog(const Options& options, rocksdb::DB* db,
                std::vector<rocksdb::ColumnFamilyHandle*> handles, uint64_t head);

  // rocksdb_event_log_write.cc
  void WriterLoop();
  void CommitGroup(std::deque<PendingAppend>& group);
  absl::StatusOr<AppendResult> Decide(PendingAppend& append, GroupState& state,
                                      rocksdb::WriteBatch& batch);
  absl::StatusOr<std::optional<StoredEventId>> LookupEventId(const std::string& id,
                                                             const GroupState& state) const;
  absl::StatusOr<uint64_t> NextVersionOf(const std::string& stream, const GroupState& state);

  // rocksdb_event_log.cc
  absl::StatusOr<RecordedEvent> ReadAt(uint64_t position) const;

  const Options options_;
  rocksdb::DB* const db_;
  rocksdb::ColumnFamilyHandle* const default_family_;
  rocksdb::ColumnFamilyHandle* const log_family_;
  rocksdb::ColumnFamilyHandle* const streams_family_;
  rocksdb::ColumnFamilyHandle* const event_ids_family_;

  std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::deque<PendingAppend> queue_;  // GUARDED_BY(queue_mu_)
  bool stopping_ = false;            // GUARDED_BY(queue_mu_)
  // Set when a write failed: no further append is acknowledged, since after
  // a failed sync the page cache can no longer be trusted.
  absl::Status write_error_;  // GUARDED_BY(queue_mu_)

  mutable std::mutex head_mu_;
  mutable std::condition_variable head_cv_;
  uint64_t head_;       // GUARDED_BY(head_mu_); the last committed position.
  bool closed_ = false;  // GUARDED_BY(head_mu_)

  // Next version of each stream written since open (writer thread only).
  // Grows with the streams touched; a restart empties it.
  std::unordered_map<std::string, uint64_t> next_versions_;

  std::thread writer_;
};

}  // namespace haven::storage

#endif  // HAVEN_STORAGE_ROCKSDB_EVENT_LOG_H_
