// A projection: a fold of the event log into rows of one ReadModelStore
// namespace, run by a ProjectionRunner.
#ifndef HAVEN_STORAGE_PROJECTION_H_
#define HAVEN_STORAGE_PROJECTION_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "storage/event.h"
#include "storage/read_model_store.h"

namespace haven::storage {

// Implementations must be deterministic and pure with respect to their rows:
// everything Apply reads or writes goes through `rows` (no clocks or other
// state; in-memory state only for the length of one batch, see StartBatch),
// so that replaying the log into an empty namespace (a rebuild) produces
// byte-identical rows, whatever the batches.  Changing what Apply writes
// for an event means the namespace must be rebuilt.
//
// Thread safety: for one pass of the log, the runner calls a projection's
// Wants, StartBatch and the batch's methods from one thread, in log position
// order, but different projections (and the same one in successive passes)
// on different threads at once: a projection must keep no state outside its
// batches.  name() may be called from any thread.
class Projection {
 public:
  // The events of one commit, as one projection folds them: made by
  // StartBatch, given the batch's events in order (Apply), then finished
  // (Finish) before the runner commits the rows with the checkpoint, and
  // destroyed after.  A projection that would read and rewrite the same rows
  // for many events (counters, a record per stream) keeps them here in
  // memory and writes each once, in Finish.
  class Batch {
   public:
    Batch() = default;
    Batch(const Batch&) = delete;
    Batch& operator=(const Batch&) = delete;
    virtual ~Batch() = default;

    // Folds `event`, as Projection::Apply.  On a non-OK status the runner
    // rolls back the rows written during this call, so the batch must leave
    // its own state as it was before the call (change it only once nothing
    // can fail), and it gets no more events; Finish is still called, for
    // the events before.
    virtual absl::Status Apply(const RecordedEvent& event) = 0;

    // Writes what the batch kept in memory.  A non-OK status fails the
    // whole commit, for every projection, like a store error: nothing of the
    // batch is written and the runner retries it later with new batches.
    // So only transient errors belong here; checks that may find bad data
    // belong in Apply, which stops just this projection at the event.
    virtual absl::Status Finish() { return absl::OkStatus(); }
  };

  virtual ~Projection() = default;

  // The namespace of its rows (see ValidateNamespace); must never change.
  virtual std::string name() const = 0;

  // False for events Apply would ignore; they are skipped without a call.
  // Default: every event.
  virtual bool Wants(const RecordedEvent& /*event*/) const { return true; }

  // Folds `event` into the rows.  A non-OK status stops this projection at
  // `event`: its writes for this event are discarded, its checkpoint stays
  // just before it, and it applies nothing more until it is rebuilt or the
  // runner restarts.  The status message is logged, so it must not contain
  // payload contents (they may hold personal data).
  virtual absl::Status Apply(const RecordedEvent& event, NamespaceBatch& rows) const = 0;

  // A batch over `rows`, which outlives it.  Default: one that calls Apply
  // for each event and keeps nothing.
  virtual std::unique_ptr<Batch> StartBatch(NamespaceBatch& rows) const;
};

namespace projection_internal {

// Projection's default batch.
class ApplyEach final : public Projection::Batch {
 public:
  ApplyEach(const Projection& projection, NamespaceBatch& rows)
      : projection_(projection), rows_(rows) {}
  absl::Status Apply(const RecordedEvent& event) override {
    return projection_.Apply(event, rows_);
  }

 private:
  const Projection& projection_;
  NamespaceBatch& rows_;
};

}  // namespace projection_internal

inline std::unique_ptr<Projection::Batch> Projection::StartBatch(NamespaceBatch& rows) const {
  return std::make_unique<projection_internal::ApplyEach>(*this, rows);
}

}  // namespace haven::storage

#endif  // HAVEN_STORAGE_PROJECTION_H_
