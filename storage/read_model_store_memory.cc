// A ReadModelStore kept in memory: the same contract as the RocksDB store,
// for tests of the layers above.  One ordered map holds every row under its
// stored key, so scans work exactly as in RocksDB.
#include <map>
#include <mutex>
#include <shared_mutex>
#include <utility>

#include "storage/read_model_store.h"

namespace haven::storage {
namespace {

using RowMap = std::map<std::string, std::string, std::less<>>;

class MemoryReadModelStore final : public ReadModelStore {
 public:
  absl::StatusOr<Checkpoints> ListCheckpoints() const override {
    std::shared_lock<std::shared_mutex> lock(mu_);
    return checkpoints_;
  }

 protected:
  std::unique_ptr<ReadModelBatch> DoNewBatch(const ReadModelBatch* below) override;
  absl::StatusOr<std::optional<std::string>> DoGet(std::string_view row_key) const override {
    std::shared_lock<std::shared_mutex> lock(mu_);
    auto it = rows_.find(row_key);
    if (it == rows_.end()) return std::optional<std::string>();
    return std::optional<std::string>(it->second);
  }

  absl::Status DoScan(const RowRange& range, size_t limit, Direction direction, size_t strip,
                      std::vector<KeyValue>* out) const override {
    std::shared_lock<std::shared_mutex> lock(mu_);
    auto emit = [&](const RowMap::value_type& row) {
      out->push_back({row.first.substr(strip), row.second});
    };
    if (direction == Direction::kForwards) {
      for (auto it = rows_.lower_bound(range.lower);
           it != rows_.end() && it->first < range.upper && out->size() < limit; ++it) {
        emit(*it);
      }
    } else {
      const auto first = rows_.lower_bound(range.lower);
      for (auto it = rows_.lower_bound(range.upper); it != first && out->size() < limit;) {
        emit(*--it);
      }
    }
    return absl::OkStatus();
  }

  absl::StatusOr<std::optional<uint64_t>> DoCheckpoint(std::string_view ns) const override {
    std::shared_lock<std::shared_mutex> lock(mu_);
    auto it = checkpoints_.find(ns);
    if (it == checkpoints_.end()) return std::optional<uint64_t>();
    return std::optional<uint64_t>(it->second);
  }

  absl::Status DoCommit(const std::vector<ReadModelBatch*>& batches,
                        const Checkpoints& checkpoints) override;

  absl::Status DoDropNamespace(std::string_view ns) override {
    const RowRange range = NamespaceRange(ns);
    std::unique_lock<std::shared_mutex> lock(mu_);
    rows_.erase(rows_.lower_bound(range.lower), rows_.lower_bound(range.upper));
    checkpoints_.erase(std::string(ns));
    return absl::OkStatus();
  }

 private:
  mutable std::shared_mutex mu_;
  RowMap rows_;              // GUARDED_BY(mu_); by stored key (see RowKey).
  Checkpoints checkpoints_;  // GUARDED_BY(mu_)
};

// Pending writes overlay the committed rows: nullopt marks a deletion.
class MemoryReadModelBatch final : public ReadModelBatch {
 public:
  explicit MemoryReadModelBatch(const MemoryReadModelStore& store)
      : ReadModelBatch(&store) {}

  void SetSavePoint() override { save_points_.push_back(undo_.size()); }

  absl::Status RollbackToSavePoint() override {
    if (save_points_.empty()) return absl::FailedPreconditionError("no save point is set");
    for (size_t i = undo_.size(); i > save_points_.back(); --i) {
      Undo& undo = undo_[i - 1];
      if (undo.before) {
        pending_[undo.key] = std::move(*undo.before);
      } else {
        pending_.erase(undo.key);
      }
    }
    undo_.resize(save_points_.back());
    save_points_.pop_back();
    return absl::OkStatus();
  }

  absl::Status PopSavePoint() override {
    if (save_points_.empty()) return absl::FailedPreconditionError("no save point is set");
    save_points_.pop_back();
    if (save_points_.empty()) undo_.clear();
    return absl::OkStatus();
  }

  const std::map<std::string, std::optional<std::string>, std::less<>>& pending() const {
    return pending_;
  }

 protected:
  void PutRow(std::string_view row_key, std::string_view value) override {
    Write(row_key, std::string(value));
  }
  void DeleteRow(std::string_view row_key) override { Write(row_key, std::nullopt); }
  const std::optional<std::string>* FindPending(std::string_view row_key) const override {
    auto it = pending_.find(row_key);
    return it == pending_.end() ? nullptr : &it->second;
  }

 private:
  struct Undo {
    std::string key;
    // The key's pending entry before the write; nullopt when it had none.
    std::optional<std::optional<std::string>> before;
  };

  void Write(std::string_view row_key, std::optional<std::string> value) {
    auto it = pending_.find(row_key);
    if (!save_points_.empty()) {
      undo_.push_back({std::string(row_key),
                       it == pending_.end() ? std::nullopt : std::make_optional(it->second)});
    }
    if (it == pending_.end()) {
      pending_.emplace(std::string(row_key), std::move(value));
    } else {
      it->second = std::move(value);
    }
  }

  std::map<std::string, std::optional<std::string>, std::less<>> pending_;
  std::vector<Undo> undo_;           // Only while a save point is set.
  std::vector<size_t> save_points_;  // Sizes of undo_ when each was set.
};

std::unique_ptr<ReadModelBatch> MemoryReadModelStore::DoNewBatch(
    const ReadModelBatch* /*below*/) {
  return std::make_unique<MemoryReadModelBatch>(*this);
}

absl::Status MemoryReadModelStore::DoCommit(const std::vector<ReadModelBatch*>& batches,
                                            const Checkpoints& checkpoints) {
  std::unique_lock<std::shared_mutex> lock(mu_);
  for (ReadModelBatch* batch : batches) {
    for (const auto& [key, value] : static_cast<MemoryReadModelBatch*>(batch)->pending()) {
      if (value) {
        rows_.insert_or_assign(key, *value);
      } else {
        rows_.erase(key);
      }
    }
  }
  for (const auto& [ns, position] : checkpoints) checkpoints_.insert_or_assign(ns, position);
  return absl::OkStatus();
}

}  // namespace

std::unique_ptr<ReadModelStore> ReadModelStore::OpenInMemory() {
  return std::make_unique<MemoryReadModelStore>();
}

}  // namespace haven::storage
