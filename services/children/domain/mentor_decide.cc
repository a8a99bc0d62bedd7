#include "services/children/domain/mentor_decide.h"

#include "absl/strings/str_cat.h"
#include "services/common/field_rules.h"
#include "services/common/status_macros.h"

namespace haven::children {
namespace {

using fields::InvalidField;
using fields::Presence;

constexpr int64_t kMaxRegistrationAgeUs = 366 * fields::kMicrosPerDay;

v1::MentorEvent NewEvent(const MentorDecideContext& ctx) {
  v1::MentorEvent e;
  e.set_occurred_at_us(ctx.now_us);
  e.set_actor(ctx.actor);
  return e;
}

absl::StatusOr<std::vector<v1::MentorEvent>> Register(const v1::RegisterMentor& c,
                                                      const MentorDecideContext& ctx) {
  HAVEN_RETURN_IF_ERROR(fields::CheckEnum("register_mentor.kind", c.kind(), v1::MentorKind_IsValid,
                                          Presence::kRequired));
  if (!c.has_mentor()) return InvalidField("register_mentor.mentor", "is required");
  const v1::MentorInput& m = c.mentor();
  HAVEN_RETURN_IF_ERROR(fields::CheckLine("register_mentor.mentor.name", m.name(),
                                          fields::kMaxNameChars, Presence::kRequired));
  HAVEN_RETURN_IF_ERROR(fields::CheckPhone("register_mentor.mentor.phone", m.phone()));
  HAVEN_RETURN_IF_ERROR(fields::CheckLine("register_mentor.mentor.organisation", m.organisation(),
                                          fields::kMaxShortTextChars, Presence::kOptional));
  HAVEN_RETURN_IF_ERROR(
      fields::CheckId("register_mentor.unit_id", c.unit_id(), Presence::kRequired));
  const int32_t capacity = c.capacity() == 0 ? 1 : c.capacity();
  HAVEN_RETURN_IF_ERROR(
      fields::CheckCount("register_mentor.capacity", capacity, 1, kMaxMentorCapacity));
  const int64_t at = fields::TimeOrNow(c.registered_at_us(), ctx.now_us);
  HAVEN_RETURN_IF_ERROR(fields::CheckPastTime("register_mentor.registered_at_us", at, ctx.now_us,
                                              ctx.now_us - kMaxRegistrationAgeUs,
                                              "366 days ago"));
  if (!ctx.unit.exists) {
    return InvalidField("register_mentor.unit_id",
                        absl::StrCat("unit ", ctx.unit.id, " does not exist"));
  }
  if (!ctx.unit.open) {
    return absl::FailedPreconditionError(
        absl::StrCat("unit_closed: unit ", ctx.unit.id, " is closed"));
  }
  v1::MentorEvent e = NewEvent(ctx);
  v1::MentorRegistered* r = e.mutable_registered();
  r->set_mentor_id(ctx.mentor_id);
  r->set_kind(c.kind());
  r->mutable_mentor()->set_name(m.name());
  r->mutable_mentor()->set_phone(m.phone());
  r->mutable_mentor()->set_organisation(m.organisation());
  r->set_unit_id(c.unit_id());
  r->set_capacity(capacity);
  r->set_registered_at_us(at);
  return std::vector<v1::MentorEvent>{std::move(e)};
}

}  // namespace

absl::StatusOr<std::vector<v1::MentorEvent>> Decide(const MentorState& state,
                                                    const v1::MentorCommand& command,
                                                    const MentorDecideContext& ctx) {
  if (ctx.now_us <= 0) return absl::InternalError("context.now_us: required");
  if (ctx.actor.empty()) return InvalidField("context.actor", "who acts is required");
  if (!command.has_register_mentor()) return InvalidField("command", "no command is set");
  if (ctx.mentor_id.empty()) return absl::InternalError("context.mentor_id: required");
  if (state.exists) {
    return absl::AlreadyExistsError(
        absl::StrCat("mentor_exists: mentor ", ctx.mentor_id, " is registered already"));
  }
  return Register(command.register_mentor(), ctx);
}

absl::StatusOr<std::vector<v1::MentorEvent>> DecideAssignment(const MentorState& state,
                                                              const std::string& child_id,
                                                              int32_t pairing_no,
                                                              const MentorDecideContext& ctx) {
  if (!state.exists) {
    return absl::NotFoundError(
        absl::StrCat("mentor_not_found: there is no mentor ", ctx.mentor_id));
  }
  auto held = state.assigned.find(child_id);
  if (held != state.assigned.end() && held->second == pairing_no) {
    return std::vector<v1::MentorEvent>{};
  }
  if (state.full()) {
    return absl::FailedPreconditionError(
        absl::StrCat("mentor_full: mentor ", state.mentor_id, " takes ", state.capacity,
                     state.capacity == 1 ? " child" : " children", " at once and has ",
                     state.assigned.size()));
  }
  v1::MentorEvent e = NewEvent(ctx);
  e.mutable_child_assigned()->set_child_id(child_id);
  e.mutable_child_assigned()->set_pairing_no(pairing_no);
  e.mutable_child_assigned()->set_assigned_at_us(ctx.now_us);
  return std::vector<v1::MentorEvent>{std::move(e)};
}

std::vector<v1::MentorEvent> DecideRelease(const MentorState& state, const std::string& child_id,
                                           int32_t pairing_no, v1::ReleaseReason reason,
                                           const MentorDecideContext& ctx) {
  auto held = state.assigned.find(child_id);
  if (held == state.assigned.end() || held->second != pairing_no) return {};
  v1::MentorEvent e = NewEvent(ctx);
  e.mutable_child_released()->set_child_id(child_id);
  e.mutable_child_released()->set_pairing_no(pairing_no);
  e.mutable_child_released()->set_reason(reason);
  e.mutable_child_released()->set_released_at_us(ctx.now_us);
  return {std::move(e)};
}

}  // namespace haven::children
