#include "services/directory/service/directory_view.h"

#include "absl/strings/str_cat.h"
#include "services/directory/domain/events.h"
#include "services/directory/domain/evolve.h"
#include "spdlog/spdlog.h"
#include "storage/validation.h"

namespace haven::services {

absl::Status ApplyRecorded(directory::Directory& state, const storage::RecordedEvent& event) {
  if (event.version != state.next_version()) {
    return absl::InternalError(absl::StrCat("directory stream: expected version ",
                                            state.next_version(), ", read ", event.version));
  }
  directory::v1::DirectoryEvent decoded;
  if (!decoded.ParseFromString(event.payload)) {
    return absl::DataLossError(absl::StrCat("directory stream: the event at version ",
                                            event.version, " (", event.event_id,
                                            ") is not a DirectoryEvent"));
  }
  if (auto s = directory::Evolve(state, decoded); !s.ok()) return s;
  state.set_next_version(event.version + 1);
  return absl::OkStatus();
}

absl::StatusOr<directory::Directory> FoldDirectory(
    const std::vector<storage::RecordedEvent>& events) {
  directory::Directory state;
  for (const storage::RecordedEvent& e : events) {
    if (auto s = ApplyRecorded(state, e); !s.ok()) return s;
  }
  return state;
}

absl::Status DirectoryView::RefreshLocked() {
  // Read the head first: every event at or below it is readable, so once
  // the stream has been read to its end nothing below `head` is missing.
  const uint64_t head = log_.HeadPosition();
  if (head == checked_head_) return absl::OkStatus();
  while (true) {
    auto page = log_.ReadStream(directory::kStream, state_.next_version(),
                                storage::Direction::kForwards, storage::kMaxReadLimit);
    if (page.status().code() == absl::StatusCode::kNotFound) break;  // No directory yet.
    if (!page.ok()) return page.status();
    for (const storage::RecordedEvent& e : page->events) {
      if (auto s = ApplyRecorded(state_, e); !s.ok()) return s;
    }
    if (!page->has_next) break;
  }
  checked_head_ = head;
  return absl::OkStatus();
}

void DirectoryView::RefreshOrWarnLocked() {
  if (auto s = RefreshLocked(); !s.ok()) {
    spdlog::warn("directory view refresh_failed status=\"{}\"; answering from version {}",
                 s.ToString(), state_.next_version());
  }
}

absl::Status DirectoryView::Refresh() {
  absl::MutexLock lock(&mu_);
  return RefreshLocked();
}

absl::Status DirectoryView::Read(absl::FunctionRef<void(const directory::Directory&)> fn) {
  absl::MutexLock lock(&mu_);
  if (auto s = RefreshLocked(); !s.ok()) return s;
  fn(state_);
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::string>> DirectoryView::Subtree(const std::string& unit_id) {
  absl::MutexLock lock(&mu_);
  if (auto s = RefreshLocked(); !s.ok()) return s;
  return state_.Subtree(unit_id);
}

bool DirectoryView::Exists(const std::string& unit_id) {
  absl::MutexLock lock(&mu_);
  RefreshOrWarnLocked();
  return state_.Find(unit_id) != nullptr;
}

bool DirectoryView::IsOpen(const std::string& unit_id) {
  absl::MutexLock lock(&mu_);
  RefreshOrWarnLocked();
  const directory::Unit* unit = state_.Find(unit_id);
  return unit != nullptr && !unit->closed;
}

absl::StatusOr<directory::Unit> DirectoryView::Get(const std::string& unit_id) {
  absl::MutexLock lock(&mu_);
  if (auto s = RefreshLocked(); !s.ok()) return s;
  const directory::Unit* unit = state_.Find(unit_id);
  if (unit == nullptr) {
    return absl::NotFoundError(absl::StrCat("unit_id: no unit \"", unit_id, "\""));
  }
  return *unit;
}

bool DirectoryView::IsInSubtree(const std::string& unit_id, const std::string& root_id) {
  absl::MutexLock lock(&mu_);
  RefreshOrWarnLocked();
  return state_.IsInSubtree(unit_id, root_id);
}

absl::StatusOr<uint64_t> DirectoryView::NextVersion() {
  absl::MutexLock lock(&mu_);
  if (auto s = RefreshLocked(); !s.ok()) return s;
  return state_.next_version();
}

}  // namespace haven::services
