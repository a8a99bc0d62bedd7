// The append path of the RocksDB log: validation on the caller's thread,
// then group commit on the writer thread.
#include <unordered_set>

#include "absl/strings/str_cat.h"
#include "record.pb.h"
#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"
#include "spdlog/spdlog.h"
#include "storage/key_format.h"
#include "storage/rocksdb_event_log.h"
#include "storage/rocksdb_status.h"
#include "storage/validation.h"

namespace haven::storage {
namespace {

// A group stops growing past this much payload, so one commit stays bounded.
constexpr size_t kMaxGroupPayloadBytes = 32 << 20;

size_t PayloadBytes(const std::vector<NewEvent>& events) {
  size_t n = 0;
  for (const auto& e : events) n += e.payload.size();
  return n;
}

std::string EncodeEvent(const NewEvent& event, const std::string& id, const std::string& stream,
                        uint64_t version, int64_t now) {
  haven::storage::StoredEvent stored;
  stored.set_event_id(id);
  stored.set_stream(stream);
  stored.set_version(version);
  stored.set_type(event.type);
  stored.set_payload(event.payload);
  stored.set_content_type(event.content_type);
  stored.set_recorded_time_us(now);
  stored.set_actor(event.actor);
  stored.set_correlation_id(event.correlation_id);
  stored.set_causation_id(event.causation_id);
  return stored.SerializeAsString();
}

}  // namespace

struct RocksEventLog::GroupState {
  uint64_t next_position;
  int64_t now;
  // Decided in this group, not yet committed.
  std::unordered_map<std::string, StoredEventId> new_ids;
  std::unordered_map<std::string, uint64_t> next_versions;
};

void RocksEventLog::AppendAsync(std::string stream, ExpectedVersion expected,
                                std::vector<NewEvent> events, AppendCallback done) {
  auto ids = ValidateAppend(stream, events);
  if (!ids.ok()) {
    done(ids.status());
    return;
  }
  absl::Status refusal;
  {
    std::lock_guard<std::mutex> lock(queue_mu_);
    if (stopping_) {
      refusal = absl::UnavailableError("the event log is closing");
    } else if (!write_error_.ok()) {
      refusal = absl::UnavailableError(
          absl::StrCat("the event log stopped accepting writes after a write failure: ",
                       write_error_.message()));
    } else {
      queue_.push_back(PendingAppend{std::move(stream), expected, std::move(events),
                                     std::move(*ids), std::move(done)});
      queue_cv_.notify_one();
      return;
    }
  }
  done(refusal);  // Outside the lock: done may append again.
}

void RocksEventLog::WriterLoop() {
  while (true) {
    std::deque<PendingAppend> group;
    {
      std::unique_lock<std::mutex> lock(queue_mu_);
      queue_cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // Stopping, and nothing left to commit.
      size_t bytes = 0;
      while (!queue_.empty() && (group.empty() || bytes < kMaxGroupPayloadBytes)) {
        bytes += PayloadBytes(queue_.front().events);
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    CommitGroup(group);
    for (PendingAppend& append : group) append.done(std::move(append.result));
  }
}

void RocksEventLog::CommitGroup(std::deque<PendingAppend>& group) {
  {
    std::lock_guard<std::mutex> lock(queue_mu_);
    if (!write_error_.ok()) {
      for (PendingAppend& a : group) {
        a.result = absl::UnavailableError(absl::StrCat(
            "the event log stopped accepting writes after a write failure: ",
            write_error_.message()));
      }
      return;
    }
  }
  GroupState state;
  state.next_position = HeadPosition() + 1;
  state.now = options_.clock->NowMicros();
  rocksdb::WriteBatch batch;
  for (PendingAppend& append : group) append.result = Decide(append, state, batch);
  if (batch.Count() == 0) return;  // Only rejections and retries: nothing to write.

  rocksdb::WriteOptions write_options;
  write_options.sync = options_.sync;
  absl::Status written = FromRocks(db_->Write(write_options, &batch), "writing to the log");
  if (!written.ok()) {
    spdlog::critical("event_log write_failed appends={} error=\"{}\"; refusing further writes",
                     group.size(), std::string(written.message()));
    std::lock_guard<std::mutex> lock(queue_mu_);
    write_error_ = written;
    for (PendingAppend& a : group) {
      if (a.result.ok() && !a.result->replayed) {
        a.result = absl::UnavailableError(
            absl::StrCat("the event log could not write: ", written.message()));
      }
    }
    return;
  }
  for (auto& [stream, next] : state.next_versions) next_versions_[stream] = next;
  {
    std::lock_guard<std::mutex> lock(head_mu_);
    head_ = state.next_position - 1;
  }
  head_cv_.notify_all();
}

absl::StatusOr<AppendResult> RocksEventLog::Decide(PendingAppend& append, GroupState& state,
                                                   rocksdb::WriteBatch& batch) {
  std::vector<std::optional<StoredEventId>> stored;
  stored.reserve(append.ids.size());
  for (const std::string& id : append.ids) {
    auto found = LookupEventId(id, state);
    if (!found.ok()) return found.status();
    stored.push_back(std::move(*found));
  }
  auto retry = ClassifyRetry(append.stream, stored);
  if (!retry.ok()) return retry.status();
  if (*retry) return **retry;

  auto next_version = NextVersionOf(append.stream, state);
  if (!next_version.ok()) return next_version.status();
  if (auto s = CheckExpectedVersion(append.stream, append.expected, *next_version); !s.ok()) {
    return s;
  }
  AppendResult result;
  result.first_version = *next_version;
  result.first_position = state.next_position;
  const auto size = static_cast<uint32_t>(append.events.size());
  for (uint32_t i = 0; i < size; ++i) {
    const uint64_t version = *next_version + i;
    const uint64_t position = state.next_position + i;
    StoredEventId id{append.stream, version, position, i, size};
    batch.Put(log_family_, keys::LogKey(position),
              EncodeEvent(append.events[i], append.ids[i], append.stream, version, state.now));
    std::string position_value;
    keys::PutFixed64BigEndian(&position_value, position);
    batch.Put(streams_family_, keys::StreamKey(append.stream, version), position_value);
    batch.Put(event_ids_family_, append.ids[i], keys::EncodeStoredEventId(id));
    state.new_ids.emplace(append.ids[i], std::move(id));
  }
  state.next_position += size;
  state.next_versions[append.stream] = *next_version + size;
  result.last_version = *next_version + size - 1;
  result.last_position = state.next_position - 1;
  return result;
}

absl::StatusOr<std::optional<StoredEventId>> RocksEventLog::LookupEventId(
    const std::string& id, const GroupState& state) const {
  if (auto it = state.new_ids.find(id); it != state.new_ids.end()) return {it->second};
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), event_ids_family_, id, &value);
  if (s.IsNotFound()) return std::optional<StoredEventId>();
  if (auto status = FromRocks(s, "looking up an event id"); !status.ok()) return status;
  auto decoded = keys::DecodeStoredEventId(value);
  if (!decoded) return absl::DataLossError("an event id index entry is corrupt");
  return decoded;
}

absl::StatusOr<uint64_t> RocksEventLog::NextVersionOf(const std::string& stream,
                                                      const GroupState& state) {
  if (auto it = state.next_versions.find(stream); it != state.next_versions.end()) {
    return it->second;
  }
  if (auto it = next_versions_.find(stream); it != next_versions_.end()) return it->second;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), streams_family_));
  it->SeekForPrev(keys::StreamKey(stream, UINT64_MAX));
  if (auto s = FromRocks(it->status(), "reading a stream's head"); !s.ok()) return s;
  uint64_t next = 0;
  if (it->Valid() && it->key().starts_with(keys::StreamPrefix(stream))) {
    next = keys::StreamKeyVersion(it->key().ToStringView()) + 1;
  }
  next_versions_[stream] = next;
  return next;
}

}  // namespace haven::storage
