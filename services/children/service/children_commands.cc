#include "services/children/service/children_commands.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "services/children/domain/child_decide.h"
#include "services/children/domain/children_event_types.h"
#include "services/children/domain/mentor_decide.h"
#include "services/children/service/children_access.h"
#include "services/children/service/children_view.h"
#include "services/children/service/mentor_places.h"
#include "services/common/aggregate_command.h"
#include "services/common/aggregate_ids.h"
#include "services/common/directory_units.h"
#include "services/common/request_ids.h"
#include "spdlog/spdlog.h"

namespace haven::services {
namespace {

namespace v1 = children::v1;

template <typename Event, const absl::string_view* kContentType>
ProposedEvent EncodeForLog(const Event& event) {
  return ProposedEvent{std::string(children::EventTypeOf(event)), children::EncodeEvent(event),
                       std::string(*kContentType)};
}

constexpr const absl::string_view* kChildType = &children::kChildEventContentType;
constexpr const absl::string_view* kMentorType = &children::kMentorEventContentType;

const Aggregate<FoldedChild, v1::ChildEvent> kChildAggregate{
    "child", "register_child", &FoldChild, &EncodeForLog<v1::ChildEvent, kChildType>};
const Aggregate<FoldedMentor, v1::MentorEvent> kMentorAggregate{
    "mentor", "register_mentor", &FoldMentor, &EncodeForLog<v1::MentorEvent, kMentorType>};

absl::Status CheckEnvelope(const ChildrenCommandEnvelope& envelope, bool creates,
                           const char* name, const char* create_command, const char* prefix,
                           const char* id_field) {
  if (auto s = ValidateRequestId(envelope.request_id); !s.ok()) return s;
  if (!(creates && envelope.id.empty())) {
    if (auto s = ValidatePrefixedId(envelope.id, prefix, id_field); !s.ok()) return s;
  }
  return CheckExpectedVersionGiven(name, create_command, creates, envelope.expected_version);
}

// The mentor as the child's decision sees her: her record folded, her unit
// looked up.
children::MentorFacts MentorFactsOf(const storage::EventLog& log, DirectoryView& directory,
                                    const std::string& mentor_id) {
  children::MentorFacts facts;
  facts.id = mentor_id;
  if (!ValidatePrefixedId(mentor_id, kMentorIdPrefix, "mentor_id").ok()) return facts;
  auto history = ReadWholeStream(log, mentor_id);
  if (!history.ok()) return facts;
  auto folded = FoldMentor(*history);
  if (!folded.ok() || !folded->state.exists) return facts;
  facts.exists = true;
  facts.kind = folded->state.kind;
  facts.registered_at_us = folded->state.registered_at_us;
  facts.unit = LookUpUnit(directory, folded->state.unit_id);
  return facts;
}

// Failures after which the child's append may or may not have happened.
bool Ambiguous(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
    case absl::StatusCode::kInternal:
    case absl::StatusCode::kUnknown:
    case absl::StatusCode::kDataLoss:
      return true;
    default:
      return false;
  }
}

// After an end_pairing that is recorded (now or by an earlier try of the
// request): the mentor's place given back.
absl::Status GiveBackAfterEnd(storage::EventLog& log, const storage::Clock& clock,
                              const std::string& child_id, int32_t pairing_no,
                              const std::string& request_id, const std::string& actor) {
  auto history = ReadWholeStream(log, child_id);
  if (!history.ok()) return history.status();
  auto folded = FoldChild(*history);
  if (!folded.ok()) return folded.status();
  const children::Pairing* pairing = folded->state.pairing(pairing_no);
  if (pairing == nullptr || pairing->active()) return absl::OkStatus();
  const PlaceRequest place{pairing->mentor_id, child_id, pairing_no,
                           absl::StrCat(request_id, "/ended"), actor};
  return GiveMentorPlaceBack(log, clock, place, v1::RELEASE_REASON_PAIRING_ENDED);
}

}  // namespace

absl::StatusOr<ChildrenCommandResult> RunChildCommand(storage::EventLog& log,
                                                      DirectoryView& directory,
                                                      const storage::Clock& clock,
                                                      const ChildrenCommandEnvelope& envelope,
                                                      const v1::ChildCommand& command,
                                                      const std::string& actor,
                                                      const ChildrenCommandGate& gate) {
  const bool registers = command.has_register_child();
  if (auto s = CheckEnvelope(envelope, registers, "child", "register_child", kChildIdPrefix,
                             "child_id");
      !s.ok()) {
    return s;
  }
  ChildrenCommandResult result;
  result.id = envelope.id.empty()
                  ? PrefixedIdForRequest(kChildIdPrefix, envelope.request_id, "haven.children/child-id")
                  : envelope.id;
  if (gate) {
    auto unit = ChildUnitOf(log, result.id);
    if (!unit.ok()) return unit.status();
    if (auto s = gate(result.id, *unit); !s.ok()) return s;
  }
  std::optional<PlaceRequest> place;  // a mentor's place taken by this call
  auto decide = [&](const FoldedChild& folded) -> absl::StatusOr<std::vector<v1::ChildEvent>> {
    children::ChildDecideContext ctx;
    ctx.now_us = clock.NowMicros();
    ctx.actor = actor;
    ctx.child_id = result.id;
    ctx.unit = LookUpUnit(directory, registers ? command.register_child().unit_id()
                                               : folded.state.unit_id);
    if (command.has_pair_child()) {
      ctx.mentor = MentorFactsOf(log, directory, command.pair_child().mentor_id());
    }
    auto events = children::Decide(folded.state, command, ctx);
    if (!events.ok() || !command.has_pair_child()) return events;
    PlaceRequest request{ctx.mentor.id, result.id, events->front().paired().pairing_no(),
                         envelope.request_id, actor};
    auto taken_under = TakeMentorPlace(log, clock, request);
    if (!taken_under.ok()) return taken_under.status();
    request.request_id = *taken_under;
    place = request;
    return events;
  };
  const CommandContext context{result.id, envelope.expected_version, envelope.request_id, actor,
                               envelope.request_id};
  auto outcome = RunAggregateCommand(log, kChildAggregate, result.id, context, decide);
  if (!outcome.ok()) {
    if (place && !Ambiguous(outcome.status())) {
      PlaceRequest back = *place;
      back.request_id = absl::StrCat(place->request_id, "/not-made");
      if (auto s = GiveMentorPlaceBack(log, clock, back, v1::RELEASE_REASON_PAIRING_NOT_MADE);
          !s.ok()) {
        spdlog::error("children give_back_failed mentor_id={} child_id={} status=\"{}\"",
                      back.mentor_id, back.child_id, s.ToString());
      }
    }
    return outcome.status();
  }
  if (command.has_end_pairing()) {
    if (auto s = GiveBackAfterEnd(log, clock, result.id, command.end_pairing().pairing_no(),
                                  envelope.request_id, actor);
        !s.ok()) {
      // Recorded, but the mentor still counts the place: a retry with the
      // same request_id gives it back (and replays the end).
      return absl::UnavailableError(absl::StrCat(
          "the pairing has ended but the mentor's place was not given back (", s.message(),
          "); retry with the same request_id"));
    }
  }
  result.outcome = *outcome;
  return result;
}

absl::StatusOr<ChildrenCommandResult> RunMentorCommand(storage::EventLog& log,
                                                       DirectoryView& directory,
                                                       const storage::Clock& clock,
                                                       const ChildrenCommandEnvelope& envelope,
                                                       const v1::MentorCommand& command,
                                                       const std::string& actor,
                                                       const ChildrenCommandGate& gate) {
  if (auto s = CheckEnvelope(envelope, true, "mentor", "register_mentor", kMentorIdPrefix,
                             "mentor_id");
      !s.ok()) {
    return s;
  }
  ChildrenCommandResult result;
  result.id = envelope.id.empty() ? PrefixedIdForRequest(kMentorIdPrefix, envelope.request_id,
                                                         "haven.children/mentor-id")
                                  : envelope.id;
  if (gate) {
    auto unit = MentorUnitOf(log, result.id);
    if (!unit.ok()) return unit.status();
    if (auto s = gate(result.id, *unit); !s.ok()) return s;
  }
  auto decide = [&](const FoldedMentor& folded) {
    children::MentorDecideContext ctx;
    ctx.now_us = clock.NowMicros();
    ctx.actor = actor;
    ctx.mentor_id = result.id;
    ctx.unit = LookUpUnit(directory, command.register_mentor().unit_id());
    return children::Decide(folded.state, command, ctx);
  };
  const CommandContext context{result.id, envelope.expected_version, envelope.request_id, actor,
                               envelope.request_id};
  auto outcome = RunAggregateCommand(log, kMentorAggregate, result.id, context, decide);
  if (!outcome.ok()) return outcome.status();
  result.outcome = *outcome;
  return result;
}

}  // namespace haven::services
