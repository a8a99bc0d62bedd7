#include "services/children/service/mentor_places.h"

#include <functional>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/children/domain/children_event_types.h"
#include "services/children/domain/mentor_decide.h"
#include "services/children/service/children_view.h"
#include "services/common/command_executor.h"
#include "services/common/request_ids.h"
#include "spdlog/spdlog.h"

namespace haven::services {
namespace {

namespace v1 = children::v1;

// Concurrent writes to one mentor's stream retried; places re-taken after
// a retry found its first one given back.
constexpr int kConcurrencyAttempts = 8;
constexpr int kGenerations = 4;

using MentorDecision =
    std::function<absl::StatusOr<std::vector<v1::MentorEvent>>(const children::MentorState&)>;

struct MentorRun {
  bool written = false;
  bool replayed = false;
};

absl::StatusOr<FoldedMentor> ReadMentor(const storage::EventLog& log, const std::string& id) {
  auto history = ReadWholeStream(log, id);
  if (!history.ok()) return history.status();
  auto folded = FoldMentor(*history);
  if (!folded.ok()) return folded.status();
  if (!folded->state.exists) {
    return absl::NotFoundError(absl::StrCat("mentor_not_found: there is no mentor ", id));
  }
  return folded;
}

std::vector<ProposedEvent> Encode(const std::vector<v1::MentorEvent>& events) {
  std::vector<ProposedEvent> out;
  for (const v1::MentorEvent& e : events) {
    out.push_back({std::string(children::EventTypeOf(e)), children::EncodeEvent(e),
                   std::string(children::kMentorEventContentType)});
  }
  return out;
}

// Runs `decide` on the mentor's stream as it is now, under `request_id`:
// a replay if that request wrote already; nothing if decide wants no
// events; read again after a concurrent write.
absl::StatusOr<MentorRun> RunOnMentor(storage::EventLog& log, const std::string& mentor_id,
                                      const std::string& request_id, const std::string& actor,
                                      const MentorDecision& decide) {
  for (int attempt = 0; attempt < kConcurrencyAttempts; ++attempt) {
    auto earlier = log.ReadEvent(EventIdFor(request_id, mentor_id, 0));
    if (!earlier.ok()) return earlier.status();
    if (earlier->has_value()) return MentorRun{false, true};
    auto folded = ReadMentor(log, mentor_id);
    if (!folded.ok()) return folded.status();
    auto events = decide(folded->state);
    if (!events.ok()) return events.status();
    if (events->empty()) return MentorRun{};
    const CommandContext context{mentor_id, static_cast<uint64_t>(folded->state.version),
                                 request_id, actor, request_id};
    auto outcome = ExecuteCommand(log, context, [&](const std::vector<storage::RecordedEvent>&) {
      return Encode(*events);  // decided on exactly this version: the append checks it
    });
    if (outcome.status().code() == absl::StatusCode::kAborted) continue;
    if (!outcome.ok()) return outcome.status();
    return MentorRun{true, outcome->replayed};
  }
  return absl::UnavailableError(
      absl::StrCat("mentor ", mentor_id, " changed too often meanwhile; retry the request"));
}

children::MentorDecideContext ContextOf(const storage::Clock& clock, const PlaceRequest& request) {
  children::MentorDecideContext ctx;
  ctx.now_us = clock.NowMicros();
  ctx.actor = request.actor;
  ctx.mentor_id = request.mentor_id;
  return ctx;
}

// Gives back the places the children's own records show ended (their
// release was not written).  True if any was.
absl::StatusOr<bool> GiveBackEndedPlaces(storage::EventLog& log, const storage::Clock& clock,
                                         const PlaceRequest& request) {
  auto folded = ReadMentor(log, request.mentor_id);
  if (!folded.ok()) return folded.status();
  bool any = false;
  for (const auto& [child_id, pairing_no] : folded->state.assigned) {
    auto history = ReadWholeStream(log, child_id);
    if (!history.ok()) return history.status();
    auto child = FoldChild(*history);
    if (!child.ok()) return child.status();
    const children::Pairing* pairing = child->state.pairing(pairing_no);
    if (pairing == nullptr || pairing->active()) continue;  // held, or not yet recorded
    PlaceRequest found = request;
    found.child_id = child_id;
    found.pairing_no = pairing_no;
    found.request_id = absl::StrCat(request.request_id, "/found-ended/", child_id);
    if (auto s = GiveMentorPlaceBack(log, clock, found, v1::RELEASE_REASON_FOUND_ENDED); !s.ok()) {
      return s;
    }
    spdlog::warn("children mentor_place_found_ended mentor_id={} child_id={} pairing_no={}",
                 request.mentor_id, child_id, pairing_no);
    any = true;
  }
  return any;
}

}  // namespace

absl::StatusOr<std::string> TakeMentorPlace(storage::EventLog& log, const storage::Clock& clock,
                                            const PlaceRequest& request) {
  const children::MentorDecideContext ctx = ContextOf(clock, request);
  auto assign = [&](const children::MentorState& mentor) {
    return children::DecideAssignment(mentor, request.child_id, request.pairing_no, ctx);
  };
  bool repaired = false;
  for (int generation = 0; generation < kGenerations; ++generation) {
    const std::string request_id =
        generation == 0 ? request.request_id : absl::StrCat(request.request_id, "#", generation);
    auto run = RunOnMentor(log, request.mentor_id, request_id, request.actor, assign);
    if (!run.ok() && !repaired &&
        absl::StartsWith(run.status().message(), "mentor_full") &&
        run.status().code() == absl::StatusCode::kFailedPrecondition) {
      auto gave_back = GiveBackEndedPlaces(log, clock, request);
      if (!gave_back.ok()) return gave_back.status();
      repaired = true;
      if (*gave_back) run = RunOnMentor(log, request.mentor_id, request_id, request.actor, assign);
    }
    if (!run.ok()) return run.status();
    if (!run->replayed) return request_id;
    // A retry of a request that took a place before: is it still held?
    auto folded = ReadMentor(log, request.mentor_id);
    if (!folded.ok()) return folded.status();
    auto held = folded->state.assigned.find(request.child_id);
    if (held != folded->state.assigned.end() && held->second == request.pairing_no) {
      return request_id;
    }
  }
  return absl::AbortedError("the mentor's place was given back after each try; send a new request");
}

absl::Status GiveMentorPlaceBack(storage::EventLog& log, const storage::Clock& clock,
                                 const PlaceRequest& request, v1::ReleaseReason reason) {
  const children::MentorDecideContext ctx = ContextOf(clock, request);
  auto run = RunOnMentor(
      log, request.mentor_id, request.request_id, request.actor,
      [&](const children::MentorState& mentor)
          -> absl::StatusOr<std::vector<v1::MentorEvent>> {
        return children::DecideRelease(mentor, request.child_id, request.pairing_no, reason, ctx);
      });
  return run.status();
}

}  // namespace haven::services
