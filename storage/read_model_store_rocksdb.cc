// The RocksDB ReadModelStore: its own database, separate from the event log's
// so that the log's write path stays lean.  Layout in READ_MODELS.md.
#include <algorithm>
#include <cstring>
#include <memory>
#include <optional>
#include <vector>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "rocksdb/db.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/slice_transform.h"
#include "rocksdb/table.h"
#include "spdlog/spdlog.h"
#include "storage/key_format.h"
#include "storage/read_model_store.h"
#include "storage/rocksdb_options.h"
#include "storage/rocksdb_status.h"

namespace haven::storage {
namespace {

constexpr char kRowsFamily[] = "rows";
constexpr char kCheckpointsFamily[] = "checkpoints";
constexpr char kFormatVersionKey[] = "read_model_format_version";
constexpr char kFormatVersion[] = "1";
// A WriteBatch record's bytes besides its key and value: type, column
// family and two lengths (varints), with room to spare.
constexpr size_t kWriteBatchBytesPerRow = 16;

class RocksReadModelStore final : public ReadModelStore {
 public:
  RocksReadModelStore(std::string dir, rocksdb::DB* db,
                      std::vector<rocksdb::ColumnFamilyHandle*> handles)
      : dir_(std::move(dir)),
        db_(db),
        default_(handles[0]),
        rows_(handles[1]),
        checkpoints_(handles[2]) {
    write_options_.sync = false;
  }

  ~RocksReadModelStore() override {
    for (auto* h : {default_, rows_, checkpoints_}) db_->DestroyColumnFamilyHandle(h);
    rocksdb::Status s = db_->Close();
    if (!s.ok()) spdlog::error("read_model_store close failed: {}", s.ToString());
    delete db_;
    spdlog::info("read_model_store closed dir={}", dir_);
  }

  absl::StatusOr<Checkpoints> ListCheckpoints() const override {
    Checkpoints checkpoints;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), checkpoints_));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      checkpoints.emplace(it->key().ToString(),
                          keys::DecodeFixed64BigEndian(it->value().ToStringView()));
    }
    if (auto s = FromRocks(it->status(), "listing checkpoints"); !s.ok()) return s;
    return checkpoints;
  }


 protected:
  std::unique_ptr<ReadModelBatch> DoNewBatch(const ReadModelBatch* below) override;
  absl::StatusOr<std::optional<std::string>> DoGet(std::string_view row_key) const override {
    std::string value;
    rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), rows_, row_key, &value);
    if (s.IsNotFound()) return std::optional<std::string>();
    if (auto status = FromRocks(s, "reading a read-model row"); !status.ok()) return status;
    return std::optional<std::string>(std::move(value));
  }

  absl::Status DoScan(const RowRange& range, size_t limit, Direction direction, size_t strip,
                      std::vector<KeyValue>* out) const override {
    const rocksdb::Slice lower(range.lower);
    const rocksdb::Slice upper(range.upper);
    rocksdb::ReadOptions read_options;
    read_options.iterate_lower_bound = &lower;
    read_options.iterate_upper_bound = &upper;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read_options, rows_));
    const bool forwards = direction == Direction::kForwards;
    for (forwards ? it->SeekToFirst() : it->SeekToLast(); it->Valid() && out->size() < limit;
         forwards ? it->Next() : it->Prev()) {
      rocksdb::Slice key = it->key();
      key.remove_prefix(strip);
      out->push_back({key.ToString(), it->value().ToString()});
    }
    return FromRocks(it->status(), "scanning read-model rows");
  }

  absl::StatusOr<std::optional<uint64_t>> DoCheckpoint(std::string_view ns) const override {
    std::string value;
    rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), checkpoints_, ns, &value);
    if (s.IsNotFound()) return std::optional<uint64_t>();
    if (auto status = FromRocks(s, "reading a checkpoint"); !status.ok()) return status;
    if (value.size() != 8) return absl::DataLossError("a read-model checkpoint is corrupt");
    return std::optional<uint64_t>(keys::DecodeFixed64BigEndian(value));
  }

  absl::Status DoCommit(const std::vector<ReadModelBatch*>& batches,
                        const Checkpoints& checkpoints) override;

  absl::Status DoDropNamespace(std::string_view ns) override {
    const RowRange range = NamespaceRange(ns);
    rocksdb::WriteBatch batch;
    rocksdb::Status s = batch.DeleteRange(rows_, range.lower, range.upper);
    if (s.ok()) s = batch.Delete(checkpoints_, ns);
    if (s.ok()) s = db_->Write(write_options_, &batch);
    return FromRocks(s, absl::StrCat("dropping read-model namespace ", std::string(ns)));
  }

 private:
  const std::string dir_;
  rocksdb::DB* const db_;
  rocksdb::ColumnFamilyHandle* const default_;
  rocksdb::ColumnFamilyHandle* const rows_;
  rocksdb::ColumnFamilyHandle* const checkpoints_;
  rocksdb::WriteOptions write_options_;
};

// Pending writes in a hash map that Get consults before the database: a
// projection reads back the rows it just wrote (a case's record, its unit's
// counters) for nearly every event, and a hash lookup is far cheaper than a
// WriteBatchWithIndex's sorted index.  Save points keep an undo log of the
// values they overwrite.
class RocksReadModelBatch final : public ReadModelBatch {
 public:
  // nullopt: deleted in this batch.
  using PendingRows = absl::flat_hash_map<std::string, std::optional<std::string>>;

  explicit RocksReadModelBatch(const RocksReadModelStore& store)
      : ReadModelBatch(&store) {}

  void SetSavePoint() override { save_points_.push_back(undo_.size()); }

  absl::Status RollbackToSavePoint() override {
    if (save_points_.empty()) return absl::FailedPreconditionError("no save point is set");
    const size_t mark = save_points_.back();
    save_points_.pop_back();
    while (undo_.size() > mark) {
      Undo& u = undo_.back();
      if (u.existed) {
        pending_[u.row_key] = std::move(u.previous);
      } else {
        pending_.erase(u.row_key);
      }
      undo_.pop_back();
    }
    return absl::OkStatus();
  }

  absl::Status PopSavePoint() override {
    if (save_points_.empty()) return absl::FailedPreconditionError("no save point is set");
    save_points_.pop_back();
    if (save_points_.empty()) undo_.clear();
    return absl::OkStatus();
  }

  const PendingRows& pending() const { return pending_; }
  void Reserve(size_t rows) { pending_.reserve(rows); }

 protected:
  void PutRow(std::string_view row_key, std::string_view value) override {
    Remember(row_key)->second = std::string(value);
  }

  void DeleteRow(std::string_view row_key) override { Remember(row_key)->second.reset(); }

  const std::optional<std::string>* FindPending(std::string_view row_key) const override {
    auto it = pending_.find(AbslView(row_key));
    return it == pending_.end() ? nullptr : &it->second;
  }

 private:
  // Debian's Abseil has a string_view of its own, which its hash maps look
  // up without a copy of the key.
  static absl::string_view AbslView(std::string_view s) { return {s.data(), s.size()}; }

  struct Undo {
    std::string row_key;
    bool existed;
    std::optional<std::string> previous;
  };

  // The pending entry for `row_key`, created if missing, after logging its
  // previous state for the innermost save point.
  PendingRows::iterator Remember(std::string_view row_key) {
    auto [it, inserted] = pending_.try_emplace(AbslView(row_key));
    if (!save_points_.empty()) {
      undo_.push_back(Undo{it->first, !inserted, inserted ? std::nullopt : it->second});
    }
    return it;
  }

  PendingRows pending_;
  std::vector<Undo> undo_;
  std::vector<size_t> save_points_;  // undo_.size() when each was set.
};

std::unique_ptr<ReadModelBatch> RocksReadModelStore::DoNewBatch(const ReadModelBatch* below) {
  auto batch = std::make_unique<RocksReadModelBatch>(*this);
  // The batch after a rebuild's batch of hundreds of thousands of rows
  // writes about as many: sized for them up front, its map is not rehashed
  // over and over as it grows.
  if (below != nullptr) {
    batch->Reserve(static_cast<const RocksReadModelBatch*>(below)->pending().size());
  }
  return batch;
}

absl::Status RocksReadModelStore::DoCommit(const std::vector<ReadModelBatch*>& batches,
                                           const Checkpoints& checkpoints) {
  // A batch holds only each key's last write: writing just those spares
  // the memtable and the WAL every superseded write (a rebuild rewrites the
  // same rows thousands of times per commit).  Each batch's rows in key
  // order, which the memtable inserts fastest (see RowsFamilyOptions); the
  // batches in their order, so that of two writes of a key the later
  // stands.
  // Reserved whole: a rebuild's batches run to hundreds of megabytes, and
  // growing the string by doubling copies them over and over.
  size_t bytes = 0;
  for (ReadModelBatch* batch : batches) {
    for (const auto& [key, value] : static_cast<RocksReadModelBatch*>(batch)->pending()) {
      bytes += key.size() + (value ? value->size() : 0) + kWriteBatchBytesPerRow;
    }
  }
  rocksdb::WriteBatch write(bytes);
  rocksdb::Status s;
  std::vector<const RocksReadModelBatch::PendingRows::value_type*> rows;
  for (ReadModelBatch* batch : batches) {
    const auto& pending = static_cast<RocksReadModelBatch*>(batch)->pending();
    rows.clear();
    rows.reserve(pending.size());
    for (const auto& row : pending) rows.push_back(&row);
    std::sort(rows.begin(), rows.end(), [](auto* a, auto* b) { return a->first < b->first; });
    for (const auto* row : rows) {
      if (!s.ok()) break;
      s = row->second ? write.Put(rows_, row->first, *row->second)
                      : write.Delete(rows_, row->first);
    }
  }
  std::string value;
  for (const auto& [ns, position] : checkpoints) {
    if (!s.ok()) break;
    value.clear();
    keys::PutFixed64BigEndian(&value, position);
    s = write.Put(checkpoints_, ns, value);
  }
  if (s.ok()) s = db_->Write(write_options_, &write);
  return FromRocks(s, "committing read-model rows");
}

// The namespace of a stored row key: up to and including its 0x00.  Only
// keys with something after it are in the domain: RocksDB 7.8 shares the
// hints of the point-key memtable with its range tombstones (fixed in later
// releases, which hint point keys only), and DropNamespace's DeleteRange
// starts at exactly "ns" 0x00; hinting that key with a row's hint corrupts
// the memtable.
class NamespacePrefix final : public rocksdb::SliceTransform {
 public:
  const char* Name() const override { return "haven.NamespacePrefix"; }
  rocksdb::Slice Transform(const rocksdb::Slice& key) const override {
    const void* end = std::memchr(key.data(), '\0', key.size());
    return rocksdb::Slice(key.data(), static_cast<const char*>(end) - key.data() + 1);
  }
  bool InDomain(const rocksdb::Slice& key) const override {
    const void* end = std::memchr(key.data(), '\0', key.size());
    return end != nullptr && static_cast<const char*>(end) + 1 < key.data() + key.size();
  }
};

// A commit writes its rows in key order, a namespace at a time: with a
// hint per namespace the memtable finds each row's place from the last
// one's instead of from its head (a rebuild writes millions of rows).
rocksdb::ColumnFamilyOptions RowsFamilyOptions() {
  rocksdb::ColumnFamilyOptions options = PointLookupFamilyOptions();
  options.memtable_insert_with_hint_prefix_extractor = std::make_shared<NamespacePrefix>();
  return options;
}

}  // namespace

absl::StatusOr<std::unique_ptr<ReadModelStore>> ReadModelStore::Open(const std::string& dir) {
  if (dir.empty()) return absl::InvalidArgumentError("dir: must be set");
  rocksdb::DBOptions db_options;
  db_options.create_if_missing = true;
  db_options.create_missing_column_families = true;
  db_options.IncreaseParallelism(2);
  db_options.info_log_level = rocksdb::InfoLogLevel::WARN_LEVEL;
  std::vector<rocksdb::ColumnFamilyDescriptor> families = {
      {rocksdb::kDefaultColumnFamilyName, rocksdb::ColumnFamilyOptions()},
      {kRowsFamily, RowsFamilyOptions()},
      {kCheckpointsFamily, rocksdb::ColumnFamilyOptions()},
  };
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(db_options, dir, families, &handles, &db);
  if (IsLockError(s)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "read-model directory ", dir, " is in use by another process: ", s.ToString()));
  }
  if (auto status = FromRocks(s, absl::StrCat("opening ", dir)); !status.ok()) return status;
  std::string format;
  s = db->Get(rocksdb::ReadOptions(), handles[0], kFormatVersionKey, &format);
  if (s.IsNotFound()) {
    rocksdb::WriteOptions sync;
    sync.sync = true;
    s = db->Put(sync, handles[0], kFormatVersionKey, kFormatVersion);
    format = kFormatVersion;
  }
  absl::Status status = FromRocks(s, "reading the read-model format version");
  if (status.ok() && format != kFormatVersion) {
    status = absl::FailedPreconditionError(absl::StrCat("read-model directory ", dir,
                                                        " has format version ", format,
                                                        ", expected ", kFormatVersion));
  }
  if (!status.ok()) {
    for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
    delete db;
    return status;
  }
  spdlog::info("read_model_store opened dir={}", dir);
  return std::unique_ptr<ReadModelStore>(new RocksReadModelStore(dir, db, std::move(handles)));
}

}  // namespace haven::storage
