#include "storage/append_rules.h"

#include "absl/strings/cord.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "storage/uuid.h"

namespace haven::storage {
namespace {

constexpr char kCurrentVersionPayload[] = "type.haven/current-version";

std::string DescribeVersion(uint64_t next_version) {
  return next_version == 0 ? "does not exist" : absl::StrCat("is at version ", next_version - 1);
}

std::string DescribeExpected(const ExpectedVersion& expected) {
  switch (expected.kind) {
    case ExpectedVersion::Kind::kAny:
      return "any";
    case ExpectedVersion::Kind::kNoStream:
      return "no stream";
    case ExpectedVersion::Kind::kStreamExists:
      return "an existing stream";
    case ExpectedVersion::Kind::kExact:
      return absl::StrCat("version ", expected.version);
  }
  return "?";
}

}  // namespace

absl::StatusOr<std::optional<AppendResult>> ClassifyRetry(
    const std::string& stream, const std::vector<std::optional<StoredEventId>>& stored) {
  size_t found = 0;
  for (const auto& s : stored) found += s.has_value();
  if (found == 0) return std::nullopt;
  for (size_t i = 0; i < stored.size(); ++i) {
    const std::string field = absl::StrCat("events[", i, "].event_id");
    if (!stored[i]) {
      return absl::AlreadyExistsError(absl::StrCat(
          field, ": is new while other ids of this append were already appended; a retry "
                 "must resend exactly the original append"));
    }
    const StoredEventId& s = *stored[i];
    if (s.stream != stream) {
      return absl::AlreadyExistsError(
          absl::StrCat(field, ": was already appended to another stream"));
    }
    if (s.index_in_append != i || s.append_size != stored.size() ||
        (i > 0 && (s.version != stored[0]->version + i ||
                   s.position != stored[0]->position + i))) {
      return absl::AlreadyExistsError(absl::StrCat(
          field, ": was already appended as part of a different append; a retry must resend "
                 "exactly the original events in the original order"));
    }
  }
  AppendResult result;
  result.first_version = stored.front()->version;
  result.last_version = stored.back()->version;
  result.first_position = stored.front()->position;
  result.last_position = stored.back()->position;
  result.replayed = true;
  return std::optional<AppendResult>(result);
}

absl::Status CheckExpectedVersion(const std::string& stream, const ExpectedVersion& expected,
                                  uint64_t next_version) {
  bool ok = false;
  switch (expected.kind) {
    case ExpectedVersion::Kind::kAny:
      ok = true;
      break;
    case ExpectedVersion::Kind::kNoStream:
      ok = next_version == 0;
      break;
    case ExpectedVersion::Kind::kStreamExists:
      ok = next_version > 0;
      break;
    case ExpectedVersion::Kind::kExact:
      ok = next_version > 0 && expected.version == next_version - 1;
      break;
  }
  if (ok) return absl::OkStatus();
  absl::Status status = absl::AbortedError(
      absl::StrCat("expected_version: expected ", DescribeExpected(expected), " but stream \"",
                   stream, "\" ", DescribeVersion(next_version)));
  int64_t current = next_version == 0 ? -1 : static_cast<int64_t>(next_version - 1);
  status.SetPayload(kCurrentVersionPayload, absl::Cord(absl::StrCat(current)));
  return status;
}

RecordedEvent MakeRecorded(NewEvent event, const std::string& id_bytes, const std::string& stream,
                           uint64_t version, uint64_t position, int64_t recorded_time_us) {
  RecordedEvent r;
  r.event_id = FormatUuid(id_bytes);
  r.stream = stream;
  r.version = version;
  r.position = position;
  r.type = std::move(event.type);
  r.payload = std::move(event.payload);
  r.content_type = std::move(event.content_type);
  r.recorded_time_us = recorded_time_us;
  r.actor = std::move(event.actor);
  r.correlation_id = std::move(event.correlation_id);
  r.causation_id = std::move(event.causation_id);
  return r;
}

int64_t CurrentVersionOf(const absl::Status& status) {
  auto payload = status.GetPayload(kCurrentVersionPayload);
  int64_t value;
  if (!payload || !absl::SimpleAtoi(std::string(*payload), &value)) return -2;
  return value;
}

}  // namespace haven::storage
