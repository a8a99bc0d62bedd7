#include "services/access/service/access_view.h"

#include "absl/strings/str_cat.h"
#include "services/access/domain/events.h"
#include "services/access/domain/evolve.h"
#include "storage/validation.h"

namespace haven::services {

absl::Status ApplyRecorded(access::AccessState& state, const storage::RecordedEvent& event) {
  if (event.version != state.next_version()) {
    return absl::InternalError(absl::StrCat("access stream: expected version ",
                                            state.next_version(), ", read ", event.version));
  }
  access::v1::AccessEvent decoded;
  if (!decoded.ParseFromString(event.payload)) {
    return absl::DataLossError(absl::StrCat("access stream: the event at version ", event.version,
                                            " (", event.event_id, ") is not an AccessEvent"));
  }
  if (auto s = access::Evolve(state, decoded); !s.ok()) return s;
  state.set_next_version(event.version + 1);
  return absl::OkStatus();
}

absl::StatusOr<access::AccessState> FoldAccess(const std::vector<storage::RecordedEvent>& events) {
  access::AccessState state;
  for (const storage::RecordedEvent& e : events) {
    if (auto s = ApplyRecorded(state, e); !s.ok()) return s;
  }
  return state;
}

absl::Status AccessView::RefreshLocked() {
  // Read the head first: every event at or below it is readable, so once
  // the stream has been read to its end nothing below `head` is missing.
  const uint64_t head = log_.HeadPosition();
  if (head == checked_head_) return absl::OkStatus();
  while (true) {
    auto page = log_.ReadStream(access::kStream, state_.next_version(),
                                storage::Direction::kForwards, storage::kMaxReadLimit);
    if (page.status().code() == absl::StatusCode::kNotFound) break;  // No user yet.
    if (!page.ok()) return page.status();
    for (const storage::RecordedEvent& e : page->events) {
      if (auto s = ApplyRecorded(state_, e); !s.ok()) return s;
    }
    if (!page->has_next) break;
  }
  checked_head_ = head;
  return absl::OkStatus();
}

absl::Status AccessView::Refresh() {
  absl::MutexLock lock(&mu_);
  return RefreshLocked();
}

absl::Status AccessView::Read(absl::FunctionRef<void(const access::AccessState&)> fn) {
  absl::MutexLock lock(&mu_);
  if (auto s = RefreshLocked(); !s.ok()) return s;
  fn(state_);
  return absl::OkStatus();
}

absl::StatusOr<std::optional<access::User>> AccessView::FindUser(const std::string& user_id) {
  absl::MutexLock lock(&mu_);
  if (auto s = RefreshLocked(); !s.ok()) return s;
  const access::User* user = state_.FindUser(user_id);
  if (user == nullptr) return std::nullopt;
  return *user;
}

absl::StatusOr<uint64_t> AccessView::NextVersion() {
  absl::MutexLock lock(&mu_);
  if (auto s = RefreshLocked(); !s.ok()) return s;
  return state_.next_version();
}

}  // namespace haven::services
