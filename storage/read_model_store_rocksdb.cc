// The RocksDB ReadModelStore: its own database, separate from the event log's
// so that the log's write path stays lean.  Layout in READ_MODELS.md.
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "rocksdb/db.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/table.h"
#include "rocksdb/utilities/write_batch_with_index.h"
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

  std::unique_ptr<ReadModelBatch> NewBatch() override;

 protected:
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

  absl::Status DoCommit(ReadModelBatch& batch, const Checkpoints& checkpoints) override;

  absl::Status DoDropNamespace(std::string_view ns) override {
    const RowRange range = NamespaceRange(ns);
    rocksdb::WriteBatch batch;
    rocksdb::Status s = batch.DeleteRange(rows_, range.lower, range.upper);
    if (s.ok()) s = batch.Delete(checkpoints_, ns);
    if (s.ok()) s = db_->Write(write_options_, &batch);
    return FromRocks(s, absl::StrCat("dropping read-model namespace ", std::string(ns)));
  }

 private:
  friend class RocksReadModelBatch;

  const std::string dir_;
  rocksdb::DB* const db_;
  rocksdb::ColumnFamilyHandle* const default_;
  rocksdb::ColumnFamilyHandle* const rows_;
  rocksdb::ColumnFamilyHandle* const checkpoints_;
  rocksdb::WriteOptions write_options_;
};

// Pending writes in a WriteBatchWithIndex, whose index lets Get see them.
class RocksReadModelBatch final : public ReadModelBatch {
 public:
  explicit RocksReadModelBatch(const RocksReadModelStore& store)
      : ReadModelBatch(&store),
        store_(store),
        batch_(rocksdb::BytewiseComparator(), 0, /*overwrite_key=*/true) {}

  void SetSavePoint() override {
    batch_.SetSavePoint();
    ++save_points_;
  }

  absl::Status RollbackToSavePoint() override {
    if (save_points_ == 0) return absl::FailedPreconditionError("no save point is set");
    --save_points_;
    return FromRocks(batch_.RollbackToSavePoint(), "rolling back a read-model batch");
  }

  absl::Status PopSavePoint() override {
    if (save_points_ == 0) return absl::FailedPreconditionError("no save point is set");
    --save_points_;
    return FromRocks(batch_.PopSavePoint(), "popping a read-model save point");
  }

  rocksdb::WriteBatchWithIndex& batch() { return batch_; }

 protected:
  void PutRow(std::string_view row_key, std::string_view value) override {
    // Fails only past a size limit, and this batch has none.
    batch_.Put(store_.rows_, row_key, value).PermitUncheckedError();
  }

  void DeleteRow(std::string_view row_key) override {
    batch_.Delete(store_.rows_, row_key).PermitUncheckedError();
  }

  absl::StatusOr<std::optional<std::string>> GetRow(std::string_view row_key) const override {
    std::string value;
    rocksdb::Status s =
        batch_.GetFromBatchAndDB(store_.db_, rocksdb::ReadOptions(), store_.rows_, row_key, &value);
    if (s.IsNotFound()) return std::optional<std::string>();
    if (auto status = FromRocks(s, "reading a read-model row"); !status.ok()) return status;
    return std::optional<std::string>(std::move(value));
  }

 private:
  const RocksReadModelStore& store_;
  // GetFromBatchAndDB is not const, though it changes nothing visible.
  mutable rocksdb::WriteBatchWithIndex batch_;
  int save_points_ = 0;
};

std::unique_ptr<ReadModelBatch> RocksReadModelStore::NewBatch() {
  return std::make_unique<RocksReadModelBatch>(*this);
}

absl::Status RocksReadModelStore::DoCommit(ReadModelBatch& batch, const Checkpoints& checkpoints) {
  // The index holds only each key's last write: writing just those spares
  // the memtable and the WAL every superseded write (a rebuild rewrites the
  // same rows thousands of times per commit).
  rocksdb::WriteBatch write;
  std::unique_ptr<rocksdb::WBWIIterator> it(
      static_cast<RocksReadModelBatch&>(batch).batch().NewIterator(rows_));
  rocksdb::Status s;
  for (it->SeekToFirst(); s.ok() && it->Valid(); it->Next()) {
    const rocksdb::WriteEntry entry = it->Entry();
    if (entry.type == rocksdb::kPutRecord) {
      s = write.Put(rows_, entry.key, entry.value);
    } else if (entry.type == rocksdb::kDeleteRecord) {
      s = write.Delete(rows_, entry.key);
    } else {
      return absl::InternalError("a read-model batch holds an unexpected write type");
    }
  }
  if (s.ok()) s = it->status();
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
      {kRowsFamily, PointLookupFamilyOptions()},
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
