// The RocksDB event log.  Internal to storage/: users see only EventLog.
// RocksDB types are forward-declared so its headers stay in the .cc files.
//
// Writes: every append is validated on the caller's thread, then queued.
// A three-stage pipeline commits them in groups (group commit, as LevelDB's
// DBImpl::Write), each stage one thread, so that deciding the next group
// overlaps writing and syncing the current one:
//   decider:   takes everything queued, decides each append in order (retry?
//              version ok?), assigns versions and positions, builds one
//              WriteBatch;
//   committer: writes the batch with sync=true, publishes the new head;
//   completer: runs the callers' callbacks.
// Positions are assigned only by the decider and committed in the order
// decided, so they stay gapless.
#ifndef HAVEN_STORAGE_ROCKSDB_EVENT_LOG_H_
#define HAVEN_STORAGE_ROCKSDB_EVENT_LOG_H_

#include <atomic>
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
  absl::StatusOr<std::optional<RecordedEvent>> ReadEvent(
      const std::string& event_id) const override;
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
  // A group of appends decided together and committed as one batch.
  struct Group {
    uint64_t sequence = 0;
    std::deque<PendingAppend> appends;
    std::unique_ptr<rocksdb::WriteBatch> batch;
    uint64_t last_position = 0;  // The head once this group is committed.
  };

  RocksEventLog(const Options& options, rocksdb::DB* db,
                std::vector<rocksdb::ColumnFamilyHandle*> handles, uint64_t head);

  // rocksdb_event_log_write.cc
  void DeciderLoop();
  void CommitterLoop();
  void CompleterLoop();
  void DecideGroup(Group& group);
  absl::StatusOr<AppendResult> Decide(PendingAppend& append, Group& group);
  absl::StatusOr<std::optional<StoredEventId>> LookupEventId(const std::string& id) const;
  absl::StatusOr<uint64_t> NextVersionOf(const std::string& stream);
  void ForgetCommittedIds();

  // rocksdb_event_log.cc
  absl::StatusOr<RecordedEvent> ReadAt(uint64_t position) const;

  const Options options_;
  rocksdb::DB* const db_;
  rocksdb::ColumnFamilyHandle* const default_family_;
  rocksdb::ColumnFamilyHandle* const log_family_;
  rocksdb::ColumnFamilyHandle* const streams_family_;
  rocksdb::ColumnFamilyHandle* const event_ids_family_;

  // Stage hand-offs.  One mutex guards all three queues and the flags; each
  // stage waits on its own condition variable, so an append wakes only the
  // decider.
  std::mutex mu_;
  std::condition_variable decider_cv_;
  std::condition_variable committer_cv_;
  std::condition_variable completer_cv_;
  std::deque<PendingAppend> queue_;  // GUARDED_BY(mu_); waiting to be decided.
  std::deque<Group> decided_;        // GUARDED_BY(mu_); waiting to be committed.
  std::deque<Group> committed_;      // GUARDED_BY(mu_); waiting for callbacks.
  bool stopping_ = false;            // GUARDED_BY(mu_)
  bool decider_done_ = false;        // GUARDED_BY(mu_)
  bool committer_done_ = false;      // GUARDED_BY(mu_)
  // Set when a write failed: no further append is acknowledged, since after
  // a failed sync the page cache can no longer be trusted.
  absl::Status write_error_;  // GUARDED_BY(mu_)

  mutable std::mutex head_mu_;
  mutable std::condition_variable head_cv_;
  uint64_t head_;        // GUARDED_BY(head_mu_); the last committed position.
  bool closed_ = false;  // GUARDED_BY(head_mu_)

  // Decider-thread state: ahead of the committed log by the groups in flight.
  uint64_t next_position_;
  uint64_t next_sequence_ = 1;
  std::atomic<uint64_t> committed_sequence_{0};
  // Ids decided but perhaps not yet committed, with their group's sequence.
  std::unordered_map<std::string, std::pair<uint64_t, StoredEventId>> uncommitted_ids_;
  // Next version of each stream written since open.  Grows with the streams
  // touched; a restart empties it.
  std::unordered_map<std::string, uint64_t> next_versions_;

  std::thread decider_;
  std::thread committer_;
  std::thread completer_;
};

}  // namespace haven::storage

#endif  // HAVEN_STORAGE_ROCKSDB_EVENT_LOG_H_
