#include "services/common/command_executor.h"

#include "absl/strings/str_cat.h"
#include "services/common/request_ids.h"
#include "storage/append_rules.h"
#include "storage/validation.h"

namespace haven::services {
namespace {

// The first result of a request already committed, or nullopt.
absl::StatusOr<std::optional<CommandOutcome>> FindEarlierResult(const storage::EventLog& log,
                                                                const CommandContext& context) {
  std::optional<CommandOutcome> outcome;
  for (size_t i = 0; i <= storage::kMaxEventsPerAppend; ++i) {
    auto event = log.ReadEvent(EventIdFor(context.request_id, context.stream, i));
    if (!event.ok()) return event.status();
    if (!event->has_value()) break;
    outcome = CommandOutcome{(*event)->version, (*event)->position, true};
  }
  return outcome;
}

}  // namespace

absl::StatusOr<std::vector<storage::RecordedEvent>> ReadWholeStream(
    const storage::EventLog& log, const std::string& stream,
    std::optional<uint64_t> up_to_position) {
  std::vector<storage::RecordedEvent> events;
  uint64_t from = 0;
  while (true) {
    auto page = log.ReadStream(stream, from, storage::Direction::kForwards,
                               storage::kMaxReadLimit);
    if (page.status().code() == absl::StatusCode::kNotFound) return events;
    if (!page.ok()) return page.status();
    for (auto& e : page->events) {
      if (up_to_position && e.position > *up_to_position) return events;
      events.push_back(std::move(e));
    }
    if (!page->has_next) return events;
    from = page->next_version;
  }
}

absl::StatusOr<CommandOutcome> ExecuteCommand(storage::EventLog& log,
                                              const CommandContext& context,
                                              const DecideFunction& decide) {
  if (auto s = ValidateRequestId(context.request_id); !s.ok()) return s;
  auto earlier = FindEarlierResult(log, context);
  if (!earlier.ok()) return earlier.status();
  if (earlier->has_value()) return **earlier;

  auto history = ReadWholeStream(log, context.stream);
  if (!history.ok()) return history.status();
  const uint64_t next_version = history->size();
  if (context.expected_version && next_version == 0) {
    return absl::NotFoundError(absl::StrCat("\"", context.stream, "\" does not exist"));
  }
  const storage::ExpectedVersion expected =
      context.expected_version ? storage::ExpectedVersion::Exact(*context.expected_version)
                               : storage::ExpectedVersion::NoStream();
  if (auto s = storage::CheckExpectedVersion(context.stream, expected, next_version); !s.ok()) {
    return s;
  }
  auto proposed = decide(*history);
  if (!proposed.ok()) return proposed.status();
  if (proposed->empty()) return absl::InternalError("a command decided no events");

  std::vector<storage::NewEvent> events;
  for (size_t i = 0; i < proposed->size(); ++i) {
    ProposedEvent& p = (*proposed)[i];
    events.push_back(storage::NewEvent{EventIdFor(context.request_id, context.stream, i),
                                       std::move(p.type), std::move(p.payload),
                                       std::move(p.content_type), context.actor,
                                       context.correlation_id, context.request_id});
  }
  // The exact version we decided on: a concurrent command in between makes
  // this ABORTED, and the client retries on the new state.
  auto appended = log.Append(context.stream, expected, std::move(events));
  if (!appended.ok()) return appended.status();
  return CommandOutcome{appended->last_version, appended->last_position, appended->replayed};
}

}  // namespace haven::services
