// Opening, closing and reading the RocksDB log.  Appends are in
// rocksdb_event_log_write.cc.
#include "storage/rocksdb_event_log.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "record.pb.h"
#include "rocksdb/db.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/slice_transform.h"
#include "rocksdb/table.h"
#include "spdlog/spdlog.h"
#include "storage/key_format.h"
#include "storage/rocksdb_options.h"
#include "storage/rocksdb_status.h"
#include "storage/uuid.h"
#include "storage/validation.h"

namespace haven::storage {
namespace {

// The log is keyed by increasing positions: a hint makes each memtable
// insert start where the last one ended instead of searching the skiplist.
rocksdb::ColumnFamilyOptions LogFamilyOptions() {
  rocksdb::ColumnFamilyOptions options;
  options.memtable_insert_with_hint_prefix_extractor.reset(rocksdb::NewFixedPrefixTransform(4));
  return options;
}


absl::StatusOr<uint64_t> LastPosition(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* log) {
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions(), log));
  it->SeekToLast();
  if (auto s = FromRocks(it->status(), "reading the log's last position"); !s.ok()) return s;
  return it->Valid() ? keys::DecodeFixed64BigEndian(it->key().ToStringView()) : 0;
}

}  // namespace

absl::StatusOr<std::unique_ptr<EventLog>> EventLog::Open(const Options& options) {
  return RocksEventLog::Open(options);
}

absl::StatusOr<std::unique_ptr<EventLog>> RocksEventLog::Open(const Options& options) {
  if (options.data_dir.empty()) return absl::InvalidArgumentError("data_dir: must be set");
  rocksdb::DBOptions db_options;
  db_options.create_if_missing = true;
  db_options.create_missing_column_families = true;
  db_options.IncreaseParallelism(2);
  db_options.info_log_level = rocksdb::InfoLogLevel::WARN_LEVEL;
  std::vector<rocksdb::ColumnFamilyDescriptor> families = {
      {rocksdb::kDefaultColumnFamilyName, rocksdb::ColumnFamilyOptions()},
      {keys::kLogFamily, LogFamilyOptions()},
      {keys::kStreamsFamily, PointLookupFamilyOptions()},
      {keys::kEventIdsFamily, PointLookupFamilyOptions()},
  };
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(db_options, options.data_dir, families, &handles, &db);
  if (IsLockError(s)) {
    return absl::FailedPreconditionError(
        absl::StrCat("data directory ", options.data_dir,
                     " is in use by another process (is another havend running on it?): ",
                     s.ToString()));
  }
  if (auto status = FromRocks(s, absl::StrCat("opening ", options.data_dir)); !status.ok()) {
    return status;
  }
  std::string format;
  s = db->Get(rocksdb::ReadOptions(), handles[0], keys::kFormatVersionKey, &format);
  if (s.IsNotFound()) {
    rocksdb::WriteOptions sync;
    sync.sync = true;
    s = db->Put(sync, handles[0], keys::kFormatVersionKey, keys::kFormatVersion);
    format = keys::kFormatVersion;
  }
  absl::Status status = FromRocks(s, "reading the format version");
  if (status.ok() && format != keys::kFormatVersion) {
    status = absl::FailedPreconditionError(absl::StrCat(
        "data directory ", options.data_dir, " has format version ", format, ", expected ",
        keys::kFormatVersion));
  }
  absl::StatusOr<uint64_t> head = status.ok() ? LastPosition(db, handles[1]) : status;
  if (!head.ok()) {
    for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
    delete db;
    return head.status();
  }
  spdlog::info("event_log opened data_dir={} head_position={}", options.data_dir, *head);
  return std::unique_ptr<EventLog>(new RocksEventLog(options, db, std::move(handles), *head));
}

RocksEventLog::RocksEventLog(const Options& options, rocksdb::DB* db,
                             std::vector<rocksdb::ColumnFamilyHandle*> handles, uint64_t head)
    : options_(options),
      db_(db),
      default_family_(handles[0]),
      log_family_(handles[1]),
      streams_family_(handles[2]),
      event_ids_family_(handles[3]),
      head_(head),
      next_position_(head + 1) {
  decider_ = std::thread([this] { DeciderLoop(); });
  committer_ = std::thread([this] { CommitterLoop(); });
  completer_ = std::thread([this] { CompleterLoop(); });
}

RocksEventLog::~RocksEventLog() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  decider_cv_.notify_all();
  // Each stage drains what it holds, then the next one finishes: every
  // append queued before the close completes.
  decider_.join();
  committer_.join();
  completer_.join();
  {
    std::lock_guard<std::mutex> lock(head_mu_);
    closed_ = true;
  }
  head_cv_.notify_all();
  for (auto* h : {default_family_, log_family_, streams_family_, event_ids_family_}) {
    db_->DestroyColumnFamilyHandle(h);
  }
  rocksdb::Status s = db_->Close();
  if (!s.ok()) spdlog::error("event_log close failed: {}", s.ToString());
  delete db_;
  spdlog::info("event_log closed data_dir={}", options_.data_dir);
}

uint64_t RocksEventLog::HeadPosition() const {
  std::lock_guard<std::mutex> lock(head_mu_);
  return head_;
}

uint64_t RocksEventLog::WaitForHeadAfter(uint64_t after,
                                         std::chrono::steady_clock::time_point deadline) const {
  std::unique_lock<std::mutex> lock(head_mu_);
  head_cv_.wait_until(lock, deadline, [&] { return closed_ || head_ > after; });
  return head_;
}

namespace {

absl::StatusOr<RecordedEvent> DecodeEvent(uint64_t position, std::string_view value) {
  haven::storage::StoredEvent stored;
  if (!stored.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
    return absl::DataLossError(absl::StrCat("event at position ", position, " is corrupt"));
  }
  RecordedEvent e;
  e.event_id = FormatUuid(stored.event_id());
  e.stream = std::move(*stored.mutable_stream());
  e.version = stored.version();
  e.position = position;
  e.type = std::move(*stored.mutable_type());
  e.payload = std::move(*stored.mutable_payload());
  e.content_type = std::move(*stored.mutable_content_type());
  e.recorded_time_us = stored.recorded_time_us();
  e.actor = std::move(*stored.mutable_actor());
  e.correlation_id = std::move(*stored.mutable_correlation_id());
  e.causation_id = std::move(*stored.mutable_causation_id());
  return e;
}

}  // namespace

absl::StatusOr<RecordedEvent> RocksEventLog::ReadAt(uint64_t position) const {
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), log_family_, keys::LogKey(position), &value);
  if (s.IsNotFound()) {
    return absl::DataLossError(absl::StrCat("position ", position, " is indexed but missing"));
  }
  if (auto status = FromRocks(s, "reading the log"); !status.ok()) return status;
  return DecodeEvent(position, value);
}

absl::StatusOr<StreamPage> RocksEventLog::ReadStream(const std::string& stream, uint64_t from,
                                                     Direction direction, size_t limit) const {
  if (auto s = ValidateStreamId(stream); !s.ok()) return s;
  const std::string prefix = keys::StreamPrefix(stream);
  rocksdb::ReadOptions read_options;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read_options, streams_family_));
  it->SeekForPrev(keys::StreamKey(stream, UINT64_MAX));
  if (!it->Valid() || !it->key().starts_with(prefix)) {
    if (auto s = FromRocks(it->status(), "reading a stream"); !s.ok()) return s;
    return absl::NotFoundError(absl::StrCat("stream_id: stream \"", stream, "\" has no events"));
  }
  auto last = keys::DecodeStreamRange(it->key().ToStringView(), it->value().ToStringView());
  if (!last) return absl::DataLossError("a stream index entry is corrupt");
  StreamPage page;
  page.last_version = last->last_version();
  const bool forwards = direction == Direction::kForwards;
  if (forwards && from > page.last_version) return page;
  // Invariant: `version` is the next version to return, inside the range at
  // the iterator.  Ranges tile the stream's versions from 0 without gaps.
  uint64_t version = forwards ? from : std::min(from, page.last_version);
  std::vector<uint64_t> positions;
  for (it->SeekForPrev(keys::StreamKey(stream, version));
       it->Valid() && it->key().starts_with(prefix) && positions.size() < limit;
       forwards ? it->Next() : it->Prev()) {
    auto range = keys::DecodeStreamRange(it->key().ToStringView(), it->value().ToStringView());
    if (!range) return absl::DataLossError("a stream index entry is corrupt");
    if (forwards) {
      for (; version <= range->last_version() && positions.size() < limit; ++version) {
        positions.push_back(range->PositionOf(version));
      }
      if (version <= range->last_version()) break;
    } else {
      for (; positions.size() < limit; --version) {
        positions.push_back(range->PositionOf(version));
        if (version == range->first_version) break;
      }
      if (version > range->first_version || version == 0) break;
      --version;
    }
  }
  if (auto s = FromRocks(it->status(), "reading a stream"); !s.ok()) return s;
  for (uint64_t position : positions) {
    auto event = ReadAt(position);
    if (!event.ok()) return event.status();
    page.events.push_back(std::move(*event));
  }
  if (forwards) {
    page.has_next = version <= page.last_version;
    page.next_version = version;
  } else if (!page.events.empty()) {
    const uint64_t oldest = page.events.back().version;
    page.has_next = oldest > 0;
    page.next_version = page.has_next ? oldest - 1 : 0;
  }
  return page;
}

absl::StatusOr<std::optional<RecordedEvent>> RocksEventLog::ReadEvent(
    const std::string& event_id) const {
  auto id = ParseUuid(event_id);
  if (!id) return absl::InvalidArgumentError("event_id: must be a UUID");
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), event_ids_family_, *id, &value);
  if (s.IsNotFound()) return std::optional<RecordedEvent>();
  if (auto status = FromRocks(s, "looking up an event id"); !status.ok()) return status;
  auto stored = keys::DecodeStoredEventId(value);
  if (!stored) return absl::DataLossError("an event id index entry is corrupt");
  if (stored->position > HeadPosition()) return std::optional<RecordedEvent>();
  auto event = ReadAt(stored->position);
  if (!event.ok()) return event.status();
  return std::optional<RecordedEvent>(std::move(*event));
}

absl::StatusOr<LogPage> RocksEventLog::ReadAll(uint64_t from, size_t limit, const Filter& filter,
                                               size_t scan_limit) const {
  LogPage page;
  page.head_position = HeadPosition();  // Read no further than what is published.
  uint64_t position = std::max<uint64_t>(from, 1);
  const std::string upper = keys::LogKey(page.head_position + 1);
  rocksdb::Slice upper_slice(upper);
  rocksdb::ReadOptions read_options;
  read_options.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read_options, log_family_));
  size_t scanned = 0;
  for (it->Seek(keys::LogKey(position));
       it->Valid() && page.events.size() < limit && scanned < scan_limit; it->Next(), ++scanned) {
    position = keys::DecodeFixed64BigEndian(it->key().ToStringView());
    auto event = DecodeEvent(position, it->value().ToStringView());
    if (!event.ok()) return event.status();
    ++position;
    if (filter.Matches(*event)) page.events.push_back(std::move(*event));
  }
  if (auto s = FromRocks(it->status(), "reading the log"); !s.ok()) return s;
  page.next_position = std::min(position, page.head_position + 1);
  if (scanned == 0) page.next_position = std::max<uint64_t>(from, 1);
  return page;
}

}  // namespace haven::storage
