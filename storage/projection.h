// A projection: a fold of the event log into rows of one ReadModelStore
// namespace, run by a ProjectionRunner.
#ifndef HAVEN_STORAGE_PROJECTION_H_
#define HAVEN_STORAGE_PROJECTION_H_

#include <string>

#include "absl/status/status.h"
#include "storage/event.h"
#include "storage/read_model_store.h"

namespace haven::storage {

// Implementations must be deterministic and pure with respect to their rows:
// everything Apply reads or writes goes through `rows` (no caches, clocks or
// other state), so that replaying the log into an empty namespace (a
// rebuild) produces byte-identical rows.  Changing what Apply writes for an
// event means the namespace must be rebuilt.
//
// Thread safety: the runner calls Wants and Apply from its one thread, in
// log position order; name() may be called from any thread.
class Projection {
 public:
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
};

}  // namespace haven::storage

#endif  // HAVEN_STORAGE_PROJECTION_H_
