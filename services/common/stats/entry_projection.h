// A projection that keeps one entry per aggregate (a list entry, a record
// of facts) and derives its other rows from the entry before and after
// each event: it wants the events whose type starts with the context's
// prefix, decodes them with the context's type table, keeps the entry
// under "r/" + stream, folds each event into it and calls OnEvent.  Rows
// depend only on their own namespace and the event, so a rebuild gives
// the same rows.  (Loans and children keep their own copies of this in
// loan_projection_base.h and children_projection_base.h.)
//
// Thread safety: as storage::Projection.
#ifndef HAVEN_SERVICES_COMMON_STATS_ENTRY_PROJECTION_H_
#define HAVEN_SERVICES_COMMON_STATS_ENTRY_PROJECTION_H_

#include <optional>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/event_types.h"
#include "storage/projection.h"

namespace haven::stats {

// "r/" + stream: where an EntryProjection keeps the aggregate's entry.
inline std::string EntryKey(const std::string& stream) { return "r/" + stream; }

// `Event` has `oneof event`; `Entry` is a message without map fields (its
// serialization is deterministic).
template <typename Event, typename Entry>
class EntryProjection : public storage::Projection {
 public:
  // Folds one event into the entry (empty before the aggregate's first
  // event).  False if the event cannot apply (anything before the
  // creation, a second creation): the projection skips it.
  using Fold = bool (*)(const storage::RecordedEvent& recorded, const Event& event, Entry* entry);

  // `types` must outlive the projection.  `what` names the entry in
  // messages ("micro-home record").
  EntryProjection(const services::EventTypeTable<Event>& types, std::string type_prefix,
                  Fold fold, std::string what)
      : types_(types), type_prefix_(std::move(type_prefix)), fold_(fold), what_(std::move(what)) {}

  bool Wants(const storage::RecordedEvent& event) const override {
    return absl::StartsWith(event.type, type_prefix_);
  }

  // Decodes (DATA_LOSS stops the projection if the payload is not of its
  // type), folds the entry, calls OnEvent, stores the entry.
  absl::Status Apply(const storage::RecordedEvent& recorded,
                     storage::NamespaceBatch& rows) const final {
    absl::StatusOr<Event> event = types_.Decode(recorded.type, recorded.payload);
    if (!event.ok()) return event.status();
    const std::string key = EntryKey(recorded.stream);
    absl::StatusOr<std::optional<std::string>> stored = rows.Get(key);
    if (!stored.ok()) return stored.status();
    Entry before;
    if (stored->has_value() && !before.ParseFromString(**stored)) {
      return absl::DataLossError(absl::StrCat(name(), ": a stored ", what_, " does not parse"));
    }
    Entry after = before;
    if (!fold_(recorded, *event, &after)) return absl::OkStatus();
    if (absl::Status s = OnEvent(recorded, *event, before, after, rows); !s.ok()) return s;
    rows.Put(key, after.SerializeAsString());
    return absl::OkStatus();
  }

 protected:
  // The rows besides the entry.  `before` is empty for the creation.
  virtual absl::Status OnEvent(const storage::RecordedEvent& recorded, const Event& event,
                               const Entry& before, const Entry& after,
                               storage::NamespaceBatch& rows) const = 0;

 private:
  const services::EventTypeTable<Event>& types_;
  const std::string type_prefix_;
  const Fold fold_;
  const std::string what_;
};

}  // namespace haven::stats

#endif  // HAVEN_SERVICES_COMMON_STATS_ENTRY_PROJECTION_H_
