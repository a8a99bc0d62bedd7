// Read models: the rows that projections derive from the event log, kept in
// a store of their own and rebuildable from the log at any time.
// Domain-agnostic: namespaces (one per projection) of opaque byte keys and
// values, each namespace with a checkpoint, the last log position its rows
// reflect.  The key layout and guarantees are specified in READ_MODELS.md.
#ifndef HAVEN_STORAGE_READ_MODEL_STORE_H_
#define HAVEN_STORAGE_READ_MODEL_STORE_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "storage/event_log.h"

namespace haven::storage {

class ReadModelStore;

// OK if `ns` can name a namespace: 1-64 bytes of [a-z0-9_.-].  Otherwise
// INVALID_ARGUMENT naming "namespace".
absl::Status ValidateNamespace(std::string_view ns);

struct KeyValue {
  std::string key;
  std::string value;

  friend bool operator==(const KeyValue& a, const KeyValue& b) {
    return a.key == b.key && a.value == b.value;
  }
};

// New checkpoints by namespace, for ReadModelStore::Commit.
using Checkpoints = std::map<std::string, uint64_t, std::less<>>;

// Which rows of one namespace a Scan returns: keys in [start, end) that begin
// with `prefix`, in `direction` order, at most `limit` of them.
// To page on: forwards, set `start` to the last key returned plus a 0x00
// byte; backwards, set `end` to the last key returned.
struct ScanOptions {
  // Inclusive lower bound.  Default: "" (the namespace's first key).
  std::string start;
  // Exclusive upper bound.  Default: "" (no upper bound).
  std::string end;
  // Only keys that begin with it.  Default: "" (every key).
  std::string prefix;
  // Default: 1000.
  size_t limit = 1000;
  // kForwards: ascending bytewise from the lower bound; kBackwards:
  // descending from the upper bound.  Default: kForwards.
  Direction direction = Direction::kForwards;

  static constexpr size_t kNoLimit = std::numeric_limits<size_t>::max();
};

// The writes of one commit, with point reads that see them.  Obtained from
// ReadModelStore::NewBatch, handed back to that store's Commit.  Nothing is
// visible to other readers until Commit.  Scans do not see a batch's pending
// writes (only Get does): a projection that needs to enumerate its own rows
// mid-batch must keep an index row it reads with Get.
//
// A batch may be stacked on another one that is not committed yet (see
// NewBatch): its Get sees the writes of the one below as if they were
// committed, so the next batch can be folded while the last one is being
// written.
//
// Thread safety: one thread at a time.  The store must outlive the batch.
class ReadModelBatch {
 public:
  ReadModelBatch(const ReadModelBatch&) = delete;
  ReadModelBatch& operator=(const ReadModelBatch&) = delete;
  virtual ~ReadModelBatch() = default;

  // Stages a write.  A write to an invalid namespace makes Commit fail with
  // INVALID_ARGUMENT (and write nothing).
  void Put(std::string_view ns, std::string_view key, std::string_view value);
  void Delete(std::string_view ns, std::string_view key);

  // The value `key` would have if the batch were committed now: the batch's
  // own last write of it, else that of the batch below, else the committed
  // row.  INVALID_ARGUMENT for an invalid namespace; errors reading the
  // store.
  absl::StatusOr<std::optional<std::string>> Get(std::string_view ns, std::string_view key) const;

  // Save points, nestable: RollbackToSavePoint undoes every write since the
  // matching SetSavePoint; PopSavePoint forgets it and keeps the writes.  Both
  // return FAILED_PRECONDITION when no save point is set.  The runner
  // brackets each Projection::Apply with one, so a failed Apply leaves
  // nothing behind.
  virtual void SetSavePoint() = 0;
  virtual absl::Status RollbackToSavePoint() = 0;
  virtual absl::Status PopSavePoint() = 0;

 protected:
  explicit ReadModelBatch(const ReadModelStore* store) : store_(store) {}

  // `row_key` is the stored key: see RowKey below.
  virtual void PutRow(std::string_view row_key, std::string_view value) = 0;
  virtual void DeleteRow(std::string_view row_key) = 0;
  // The batch's own last write of `row_key`: nullptr if it has none, else
  // the value written (nullopt for a Delete).  Valid until the next write.
  virtual const std::optional<std::string>* FindPending(std::string_view row_key) const = 0;

 private:
  friend class ReadModelStore;
  friend class NamespaceBatch;

  // Get with a stored key.
  absl::StatusOr<std::optional<std::string>> GetRow(std::string_view row_key) const;

  // Remembers that `ns` is written (Commit needs its checkpoint), or the
  // first invalid namespace seen.
  void NoteWritten(std::string_view ns);

  const ReadModelStore* const store_;
  const ReadModelBatch* below_ = nullptr;  // Set by NewBatch.
  absl::Status error_;
  std::vector<std::string> written_;  // Namespaces written; few per batch.
};

// A ReadModelBatch seen through one namespace: what a Projection gets, so it
// can neither read nor write another projection's rows.  Cheap to make; the
// batch must outlive it.  Thread safety as ReadModelBatch.
class NamespaceBatch {
 public:
  // An invalid `ns` fails every Get and the Commit of anything written.
  NamespaceBatch(ReadModelBatch& batch, std::string_view ns);

  void Put(std::string_view key, std::string_view value);
  void Delete(std::string_view key);
  // As ReadModelBatch::Get.
  absl::StatusOr<std::optional<std::string>> Get(std::string_view key) const;

  const std::string& name() const { return ns_; }

 private:
  std::string_view RowKey(std::string_view key) const;

  ReadModelBatch& batch_;
  const std::string ns_;
  const absl::Status ns_status_;  // ValidateNamespace(ns_)
  bool written_ = false;
  mutable std::string row_key_;  // ns, 0x00, then the key being accessed.
};

// The store of every projection's rows and checkpoints.
//
// Thread safety: every method may be called concurrently.  Each Get, Scan and
// Checkpoint sees the store as some Commit left it (never half a commit);
// separate calls may see different commits.  Commits to different namespaces
// may run concurrently; a namespace should have one writer (its projection's
// runner), since concurrent commits to one namespace interleave in an
// unspecified order.
class ReadModelStore {
 public:
  // Opens (creating if needed) the RocksDB store in `dir`, which must not be
  // the event log's directory.  FAILED_PRECONDITION if another process holds
  // it or it has another format version.
  static absl::StatusOr<std::unique_ptr<ReadModelStore>> Open(const std::string& dir);
  // A store kept in memory only, with the same contract (for tests).
  static std::unique_ptr<ReadModelStore> OpenInMemory();

  ReadModelStore() = default;
  ReadModelStore(const ReadModelStore&) = delete;
  ReadModelStore& operator=(const ReadModelStore&) = delete;
  virtual ~ReadModelStore() = default;

  // The committed value of `key`, nullopt if absent.  INVALID_ARGUMENT for an
  // invalid namespace.
  absl::StatusOr<std::optional<std::string>> Get(std::string_view ns, std::string_view key) const;

  // Committed rows of `ns` selected by `options`, from one consistent view.
  // INVALID_ARGUMENT for an invalid namespace.
  absl::StatusOr<std::vector<KeyValue>> Scan(std::string_view ns, const ScanOptions& options) const;

  // The last log position the rows of `ns` reflect; 0 if nothing was ever
  // committed to it (or it was dropped since).
  absl::StatusOr<uint64_t> Checkpoint(std::string_view ns) const;
  // Every namespace that has a checkpoint, with it.
  virtual absl::StatusOr<Checkpoints> ListCheckpoints() const = 0;

  // A new, empty batch for Commit, stacked on `below` if given: a batch of
  // this store that is being committed, or will be.  `below` must stay
  // unchanged and alive until the new batch is committed or freed, and must
  // be committed first (a batch on one whose commit failed is to be
  // dropped).
  std::unique_ptr<ReadModelBatch> NewBatch(const ReadModelBatch* below = nullptr);

  // Writes the batch's rows and `checkpoints` in one atomic write: after a
  // crash, either all of it is there or none of it.  Not synced: read models
  // are rebuilt from the log, so a crash may lose the last commits (leaving
  // rows and checkpoints consistent, only behind).  Every namespace the batch
  // writes must have a checkpoint in `checkpoints`; others may too.
  // INVALID_ARGUMENT, writing nothing, if a namespace is invalid, lacks a
  // checkpoint, or the batch came from another store; errors writing the
  // store (nothing is written then either).
  absl::Status Commit(std::unique_ptr<ReadModelBatch> batch, const Checkpoints& checkpoints);
  // As Commit, for the writes of several batches in one atomic write, in
  // their order: where two write the same row, the later one's write stands.
  // The batches are of no more use after (the caller frees them when it
  // likes: the projection runner, which folds each projection into its own
  // batch on its own thread, frees them during its next folds).
  absl::Status Commit(const std::vector<std::unique_ptr<ReadModelBatch>>& batches,
                      const Checkpoints& checkpoints);

  // Deletes every row of `ns` and its checkpoint, atomically; other
  // namespaces are untouched.  INVALID_ARGUMENT for an invalid namespace.
  absl::Status DropNamespace(std::string_view ns);

 protected:
  // A half-open range of stored keys, [lower, upper).
  struct RowRange {
    std::string lower;
    std::string upper;
  };

  // The stored key of `key` in `ns`: ns, 0x00, key.  Namespaces hold no 0x00,
  // so the rows of a namespace are exactly the keys in NamespaceRange(ns).
  static std::string RowKey(std::string_view ns, std::string_view key);
  static RowRange NamespaceRange(std::string_view ns);

  // Implementations get validated arguments and stored keys.  `below` is
  // the batch the new one will be stacked on (nullptr if none): the batch
  // before it of the same writer, by whose size the new one may be sized.
  virtual std::unique_ptr<ReadModelBatch> DoNewBatch(const ReadModelBatch* below) = 0;
  virtual absl::StatusOr<std::optional<std::string>> DoGet(std::string_view row_key) const = 0;
  // Appends up to `limit` rows of `range` to `out`, with their first
  // `strip` bytes (the namespace prefix) removed from the keys.
  virtual absl::Status DoScan(const RowRange& range, size_t limit, Direction direction,
                              size_t strip, std::vector<KeyValue>* out) const = 0;
  virtual absl::StatusOr<std::optional<uint64_t>> DoCheckpoint(std::string_view ns) const = 0;
  virtual absl::Status DoCommit(const std::vector<ReadModelBatch*>& batches,
                                const Checkpoints& checkpoints) = 0;
  virtual absl::Status DoDropNamespace(std::string_view ns) = 0;

 private:
  friend class ReadModelBatch;
  friend class NamespaceBatch;
};

}  // namespace haven::storage

#endif  // HAVEN_STORAGE_READ_MODEL_STORE_H_
