// What both read-model stores share: argument checks, the key layout and
// scan bounds.  The stores themselves are in read_model_store_{memory,rocksdb}.cc.
#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "storage/read_model_store.h"

namespace haven::storage {
namespace {

constexpr size_t kMaxNamespaceBytes = 64;

// The least string greater than every string beginning with `prefix`;
// nullopt when there is none (prefix is all 0xff bytes).
std::optional<std::string> PrefixSuccessor(std::string prefix) {
  while (!prefix.empty() && static_cast<unsigned char>(prefix.back()) == 0xff) prefix.pop_back();
  if (prefix.empty()) return std::nullopt;
  prefix.back() = static_cast<char>(static_cast<unsigned char>(prefix.back()) + 1);
  return prefix;
}

}  // namespace

absl::Status ValidateNamespace(std::string_view ns) {
  if (ns.empty() || ns.size() > kMaxNamespaceBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("namespace: must be 1-", kMaxNamespaceBytes, " bytes, got ", ns.size()));
  }
  for (char c : ns) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
    if (!ok) {
      return absl::InvalidArgumentError(
          absl::StrCat("namespace: \"", std::string(ns), "\" may hold only [a-z0-9_.-]"));
    }
  }
  return absl::OkStatus();
}

void ReadModelBatch::NoteWritten(std::string_view ns) {
  if (std::find(written_.begin(), written_.end(), ns) != written_.end()) return;
  if (auto s = ValidateNamespace(ns); !s.ok()) {
    if (error_.ok()) error_ = std::move(s);
    return;
  }
  written_.emplace_back(ns);
}

void ReadModelBatch::Put(std::string_view ns, std::string_view key, std::string_view value) {
  NoteWritten(ns);
  PutRow(ReadModelStore::RowKey(ns, key), value);
}

void ReadModelBatch::Delete(std::string_view ns, std::string_view key) {
  NoteWritten(ns);
  DeleteRow(ReadModelStore::RowKey(ns, key));
}

absl::StatusOr<std::optional<std::string>> ReadModelBatch::Get(std::string_view ns,
                                                               std::string_view key) const {
  if (auto s = ValidateNamespace(ns); !s.ok()) return s;
  return GetRow(ReadModelStore::RowKey(ns, key));
}

absl::StatusOr<std::optional<std::string>> ReadModelBatch::GetRow(std::string_view row_key) const {
  for (const ReadModelBatch* batch = this; batch != nullptr; batch = batch->below_) {
    if (const std::optional<std::string>* pending = batch->FindPending(row_key)) return *pending;
  }
  return store_->DoGet(row_key);
}

NamespaceBatch::NamespaceBatch(ReadModelBatch& batch, std::string_view ns)
    : batch_(batch),
      ns_(ns),
      ns_status_(ValidateNamespace(ns)),
      row_key_(ReadModelStore::RowKey(ns, "")) {}

std::string_view NamespaceBatch::RowKey(std::string_view key) const {
  row_key_.resize(ns_.size() + 1);
  row_key_.append(key);
  return row_key_;
}

void NamespaceBatch::Put(std::string_view key, std::string_view value) {
  if (!written_) batch_.NoteWritten(ns_);
  written_ = true;
  batch_.PutRow(RowKey(key), value);
}

void NamespaceBatch::Delete(std::string_view key) {
  if (!written_) batch_.NoteWritten(ns_);
  written_ = true;
  batch_.DeleteRow(RowKey(key));
}

absl::StatusOr<std::optional<std::string>> NamespaceBatch::Get(std::string_view key) const {
  if (!ns_status_.ok()) return ns_status_;
  return batch_.GetRow(RowKey(key));
}

std::string ReadModelStore::RowKey(std::string_view ns, std::string_view key) {
  std::string row_key;
  row_key.reserve(ns.size() + 1 + key.size());
  row_key.append(ns);
  row_key.push_back('\0');
  row_key.append(key);
  return row_key;
}

ReadModelStore::RowRange ReadModelStore::NamespaceRange(std::string_view ns) {
  RowRange range{RowKey(ns, ""), std::string(ns)};
  range.upper.push_back('\x01');
  return range;
}

absl::StatusOr<std::optional<std::string>> ReadModelStore::Get(std::string_view ns,
                                                               std::string_view key) const {
  if (auto s = ValidateNamespace(ns); !s.ok()) return s;
  return DoGet(RowKey(ns, key));
}

absl::StatusOr<std::vector<KeyValue>> ReadModelStore::Scan(std::string_view ns,
                                                           const ScanOptions& options) const {
  if (auto s = ValidateNamespace(ns); !s.ok()) return s;
  RowRange range = NamespaceRange(ns);
  range.lower = RowKey(ns, std::max(options.start, options.prefix));
  std::optional<std::string> upper;
  if (!options.end.empty()) upper = options.end;
  if (!options.prefix.empty()) {
    std::optional<std::string> past_prefix = PrefixSuccessor(options.prefix);
    if (past_prefix && (!upper || *past_prefix < *upper)) upper = std::move(past_prefix);
  }
  if (upper) range.upper = RowKey(ns, *upper);
  std::vector<KeyValue> rows;
  if (options.limit == 0 || range.lower >= range.upper) return rows;
  if (auto s = DoScan(range, options.limit, options.direction, ns.size() + 1, &rows); !s.ok()) {
    return s;
  }
  return rows;
}

absl::StatusOr<uint64_t> ReadModelStore::Checkpoint(std::string_view ns) const {
  if (auto s = ValidateNamespace(ns); !s.ok()) return s;
  absl::StatusOr<std::optional<uint64_t>> checkpoint = DoCheckpoint(ns);
  if (!checkpoint.ok()) return checkpoint.status();
  return checkpoint->value_or(0);
}

std::unique_ptr<ReadModelBatch> ReadModelStore::NewBatch(const ReadModelBatch* below) {
  if (below != nullptr && below->store_ != this) below = nullptr;
  std::unique_ptr<ReadModelBatch> batch = DoNewBatch(below);
  batch->below_ = below;
  return batch;
}

absl::Status ReadModelStore::Commit(std::unique_ptr<ReadModelBatch> batch,
                                    const Checkpoints& checkpoints) {
  std::vector<std::unique_ptr<ReadModelBatch>> batches;
  batches.push_back(std::move(batch));
  return Commit(batches, checkpoints);
}

absl::Status ReadModelStore::Commit(const std::vector<std::unique_ptr<ReadModelBatch>>& batches,
                                    const Checkpoints& checkpoints) {
  for (const auto& [ns, position] : checkpoints) {
    if (auto s = ValidateNamespace(ns); !s.ok()) return s;
  }
  std::vector<ReadModelBatch*> written;
  for (const std::unique_ptr<ReadModelBatch>& batch : batches) {
    if (batch == nullptr || batch->store_ != this) {
      return absl::InvalidArgumentError("batch: must come from this store's NewBatch");
    }
    if (!batch->error_.ok()) return batch->error_;
    for (const std::string& ns : batch->written_) {
      if (checkpoints.find(ns) == checkpoints.end()) {
        return absl::InvalidArgumentError(
            absl::StrCat("checkpoints: namespace \"", ns, "\" is written but has no checkpoint"));
      }
    }
    written.push_back(batch.get());
  }
  // The batches below are committed (NewBatch's contract) and may go.
  for (const std::unique_ptr<ReadModelBatch>& batch : batches) batch->below_ = nullptr;
  return DoCommit(written, checkpoints);
}

absl::Status ReadModelStore::DropNamespace(std::string_view ns) {
  if (auto s = ValidateNamespace(ns); !s.ok()) return s;
  return DoDropNamespace(ns);
}

}  // namespace haven::storage
