// The append path of the RocksDB log: validation on the caller's thread,
// then the decide -> commit -> complete pipeline (see rocksdb_event_log.h).
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

absl::Status Refusal(const absl::Status& write_error) {
  return absl::UnavailableError(absl::StrCat(
      "the event log stopped accepting writes after a write failure: ", write_error.message()));
}

}  // namespace

void RocksEventLog::AppendAsync(std::string stream, ExpectedVersion expected,
                                std::vector<NewEvent> events, AppendCallback done) {
  auto ids = ValidateAppend(stream, events);
  if (!ids.ok()) {
    done(ids.status());
    return;
  }
  absl::Status refusal;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) {
      refusal = absl::UnavailableError("the event log is closing");
    } else if (!write_error_.ok()) {
      refusal = Refusal(write_error_);
    } else {
      queue_.push_back(PendingAppend{std::move(stream), expected, std::move(events),
                                     std::move(*ids), std::move(done)});
      decider_cv_.notify_one();
      return;
    }
  }
  done(refusal);  // Outside the lock: done may append again.
}

void RocksEventLog::DeciderLoop() {
  while (true) {
    Group group;
    {
      std::unique_lock<std::mutex> lock(mu_);
      // Decide at most one group ahead of the committer: while it syncs,
      // appends pile up here and make the next group bigger.
      decider_cv_.wait(lock, [&] { return decided_.empty() && (stopping_ || !queue_.empty()); });
      if (queue_.empty()) {  // Stopping, and nothing left to decide.
        decider_done_ = true;
        committer_cv_.notify_one();
        return;
      }
      size_t bytes = 0;
      while (!queue_.empty() && (group.appends.empty() || bytes < kMaxGroupPayloadBytes)) {
        bytes += PayloadBytes(queue_.front().events);
        group.appends.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    DecideGroup(group);
    std::lock_guard<std::mutex> lock(mu_);
    decided_.push_back(std::move(group));
    committer_cv_.notify_one();
  }
}

void RocksEventLog::DecideGroup(Group& group) {
  ForgetCommittedIds();
  group.sequence = next_sequence_++;
  group.batch = std::make_unique<rocksdb::WriteBatch>();
  const int64_t now = options_.clock->NowMicros();
  for (PendingAppend& append : group.appends) {
    append.result = Decide(append, group);
    if (!append.result.ok() || append.result->replayed) continue;
    const auto size = static_cast<uint32_t>(append.events.size());
    for (uint32_t i = 0; i < size; ++i) {
      const uint64_t version = append.result->first_version + i;
      const uint64_t position = append.result->first_position + i;
      StoredEventId id{append.stream, version, position, i, size};
      group.batch->Put(log_family_, keys::LogKey(position),
                       EncodeEvent(append.events[i], append.ids[i], append.stream, version, now));
      group.batch->Put(event_ids_family_, append.ids[i], keys::EncodeStoredEventId(id));
      uncommitted_ids_.emplace(append.ids[i], std::make_pair(group.sequence, std::move(id)));
    }
    keys::StreamRange range{append.result->first_version, append.result->first_position, size};
    group.batch->Put(streams_family_, keys::StreamKey(append.stream, range.first_version),
                     keys::EncodeStreamRange(range));
  }
  group.last_position = next_position_ - 1;
}

absl::StatusOr<AppendResult> RocksEventLog::Decide(PendingAppend& append, Group& group) {
  std::vector<std::optional<StoredEventId>> stored;
  stored.reserve(append.ids.size());
  for (const std::string& id : append.ids) {
    auto found = LookupEventId(id);
    if (!found.ok()) return found.status();
    stored.push_back(std::move(*found));
  }
  auto retry = ClassifyRetry(append.stream, stored);
  if (!retry.ok()) return retry.status();
  if (*retry) return **retry;

  auto next_version = NextVersionOf(append.stream);
  if (!next_version.ok()) return next_version.status();
  if (auto s = CheckExpectedVersion(append.stream, append.expected, *next_version); !s.ok()) {
    return s;
  }
  const uint64_t size = append.events.size();
  AppendResult result;
  result.first_version = *next_version;
  result.last_version = *next_version + size - 1;
  result.first_position = next_position_;
  result.last_position = next_position_ + size - 1;
  next_position_ += size;
  next_versions_[append.stream] = *next_version + size;
  return result;
}

void RocksEventLog::ForgetCommittedIds() {
  const uint64_t committed = committed_sequence_.load();
  for (auto it = uncommitted_ids_.begin(); it != uncommitted_ids_.end();) {
    it = it->second.first <= committed ? uncommitted_ids_.erase(it) : std::next(it);
  }
}

absl::StatusOr<std::optional<StoredEventId>> RocksEventLog::LookupEventId(
    const std::string& id) const {
  if (auto it = uncommitted_ids_.find(id); it != uncommitted_ids_.end()) {
    return {it->second.second};
  }
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), event_ids_family_, id, &value);
  if (s.IsNotFound()) return std::optional<StoredEventId>();
  if (auto status = FromRocks(s, "looking up an event id"); !status.ok()) return status;
  auto decoded = keys::DecodeStoredEventId(value);
  if (!decoded) return absl::DataLossError("an event id index entry is corrupt");
  return decoded;
}

absl::StatusOr<uint64_t> RocksEventLog::NextVersionOf(const std::string& stream) {
  if (auto it = next_versions_.find(stream); it != next_versions_.end()) return it->second;
  // Not cached: no group in flight touched it, so the committed head is current.
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), streams_family_));
  it->SeekForPrev(keys::StreamKey(stream, UINT64_MAX));
  if (auto s = FromRocks(it->status(), "reading a stream's head"); !s.ok()) return s;
  uint64_t next = 0;
  if (it->Valid() && it->key().starts_with(keys::StreamPrefix(stream))) {
    auto range = keys::DecodeStreamRange(it->key().ToStringView(), it->value().ToStringView());
    if (!range) return absl::DataLossError("a stream index entry is corrupt");
    next = range->last_version() + 1;
  }
  next_versions_[stream] = next;
  return next;
}

void RocksEventLog::CommitterLoop() {
  while (true) {
    Group group;
    absl::Status earlier_error;
    {
      std::unique_lock<std::mutex> lock(mu_);
      committer_cv_.wait(lock, [&] { return !decided_.empty() || decider_done_; });
      if (decided_.empty()) {
        committer_done_ = true;
        completer_cv_.notify_one();
        return;
      }
      group = std::move(decided_.front());
      decided_.pop_front();
      earlier_error = write_error_;
      decider_cv_.notify_one();  // The decider may go on.
    }
    absl::Status written = earlier_error;
    if (written.ok() && group.batch->Count() > 0) {
      rocksdb::WriteOptions write_options;
      write_options.sync = options_.sync;
      written = FromRocks(db_->Write(write_options, group.batch.get()), "writing to the log");
      if (!written.ok()) {
        spdlog::critical("event_log write_failed appends={} error=\"{}\"; refusing further writes",
                         group.appends.size(), std::string(written.message()));
      }
    }
    if (!written.ok()) {
      // This group's decisions, and every later group's, built on state that
      // never reached the disk: none of their new appends may succeed.
      // A replay may point at ids of a group that just failed, so it fails too.
      for (PendingAppend& a : group.appends) {
        if (a.result.ok()) a.result = Refusal(written);
      }
    } else if (group.batch->Count() > 0) {
      std::lock_guard<std::mutex> lock(head_mu_);
      head_ = group.last_position;
    }
    head_cv_.notify_all();
    committed_sequence_.store(group.sequence);
    std::lock_guard<std::mutex> lock(mu_);
    if (!written.ok()) write_error_ = written;
    committed_.push_back(std::move(group));
    completer_cv_.notify_one();
  }
}

void RocksEventLog::CompleterLoop() {
  while (true) {
    std::deque<Group> groups;
    {
      std::unique_lock<std::mutex> lock(mu_);
      completer_cv_.wait(lock, [&] { return !committed_.empty() || committer_done_; });
      if (committed_.empty()) return;
      groups.swap(committed_);
    }
    for (Group& group : groups) {
      for (PendingAppend& append : group.appends) append.done(std::move(append.result));
    }
  }
}

}  // namespace haven::storage
