#include "services/children/domain/child_decide.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "services/children/domain/school_terms.h"
#include "services/common/field_rules.h"
#include "services/common/id_number.h"
#include "services/common/status_macros.h"

namespace haven::children {
namespace {

using fields::CheckEnum;
using fields::CheckFen;
using fields::CheckFreeText;
using fields::CheckId;
using fields::CheckLine;
using fields::CheckPastTime;
using fields::InvalidField;
using fields::Presence;
using fields::TimeOrNow;
using units::UnitLevel;
using Events = std::vector<v1::ChildEvent>;
using Decision = absl::StatusOr<Events>;

constexpr int64_t kMaxRegistrationAgeUs = 366 * fields::kMicrosPerDay;
constexpr int64_t kMaxSupportFen = 100'000 * 100;  // 100,000 yuan
constexpr int64_t kMaxStipendFen = 10'000 * 100;   // 10,000 yuan a term
constexpr int kAdultAge = 18;
constexpr int kAgeOutAge = 16;  // compulsory schooling done

absl::Status Refuse(absl::string_view rule, absl::string_view detail) {
  return absl::FailedPreconditionError(absl::StrCat(rule, ": ", detail));
}

v1::ChildEvent NewEvent(const ChildDecideContext& ctx) {
  v1::ChildEvent e;
  e.set_occurred_at_us(ctx.now_us);
  e.set_actor(ctx.actor);
  return e;
}

std::string Path(absl::string_view command, absl::string_view field) {
  return absl::StrCat(command, ".", field);
}

// Resolves a time where 0 means now: not in the future, not before
// `earliest_us`.
absl::Status CheckTime(absl::string_view path, int64_t given_us, int64_t earliest_us,
                       absl::string_view earliest_what, const ChildDecideContext& ctx,
                       int64_t* resolved) {
  *resolved = TimeOrNow(given_us, ctx.now_us);
  return CheckPastTime(path, *resolved, ctx.now_us, earliest_us, earliest_what);
}

// Whole years from `birth` to `day`.
int AgeOn(absl::CivilDay birth, absl::CivilDay day) {
  int age = static_cast<int>(day.year() - birth.year());
  if (day.month() < birth.month() || (day.month() == birth.month() && day.day() < birth.day())) {
    --age;
  }
  return age;
}

// The pairing a command names: it exists (else INVALID_ARGUMENT on `path`)
// and is active (else pairing_ended).
absl::StatusOr<const Pairing*> ActivePairing(const ChildState& s, absl::string_view path,
                                             int32_t no) {
  if (no < 1) return InvalidField(path, "is required (the active pairing's number)");
  const Pairing* p = s.pairing(no);
  if (p == nullptr) {
    return InvalidField(path, absl::StrCat("the child has no pairing ", no));
  }
  if (!p->active()) {
    return Refuse("pairing_ended", absl::StrCat("pairing ", no, " has ended and takes nothing more"));
  }
  return p;
}

Decision Register(const v1::RegisterChild& c, const ChildDecideContext& ctx) {
  constexpr absl::string_view kCmd = "register_child";
  HAVEN_RETURN_IF_ERROR(CheckEnum(Path(kCmd, "category"), c.category(), v1::ChildCategory_IsValid,
                                  Presence::kRequired));
  if (!c.has_child()) return InvalidField(Path(kCmd, "child"), "is required");
  const v1::ChildInput& child = c.child();
  HAVEN_RETURN_IF_ERROR(
      CheckLine(Path(kCmd, "child.name"), child.name(), fields::kMaxNameChars, Presence::kRequired));
  absl::CivilDay birth;
  if (child.birth_date().size() != 10 || !absl::ParseCivilTime(child.birth_date(), &birth) ||
      absl::FormatCivilTime(birth) != child.birth_date()) {
    return InvalidField(Path(kCmd, "child.birth_date"), "is required, a day \"YYYY-MM-DD\"");
  }
  std::string id_number = child.id_number();
  if (!id_number.empty()) {
    auto facts =
        fields::ParseIdNumber(Path(kCmd, "child.id_number"), id_number, ctx.now_us);
    if (!facts.ok()) return facts.status();
    if (id_number[17] == 'x') id_number[17] = 'X';
    if (absl::CivilDay(facts->birth_year, facts->birth_month, facts->birth_day) != birth) {
      return InvalidField(Path(kCmd, "child.id_number"), "its birth date is not child.birth_date");
    }
    if (facts->male == child.girl()) {
      return InvalidField(Path(kCmd, "child.id_number"), "is not of the child's sex (child.girl)");
    }
  }
  if (!child.has_guardian()) return InvalidField(Path(kCmd, "child.guardian"), "is required");
  const v1::GuardianInput& g = child.guardian();
  HAVEN_RETURN_IF_ERROR(CheckLine(Path(kCmd, "child.guardian.name"), g.name(),
                                  fields::kMaxNameChars, Presence::kRequired));
  HAVEN_RETURN_IF_ERROR(CheckLine(Path(kCmd, "child.guardian.relationship"), g.relationship(),
                                  fields::kMaxNameChars, Presence::kRequired));
  HAVEN_RETURN_IF_ERROR(fields::CheckPhone(Path(kCmd, "child.guardian.phone"), g.phone()));
  HAVEN_RETURN_IF_ERROR(CheckLine(Path(kCmd, "child.school"), child.school(),
                                  fields::kMaxShortTextChars, Presence::kOptional));
  HAVEN_RETURN_IF_ERROR(CheckLine(Path(kCmd, "child.address"), child.address(),
                                  fields::kMaxShortTextChars, Presence::kOptional));
  HAVEN_RETURN_IF_ERROR(CheckId(Path(kCmd, "unit_id"), c.unit_id(), Presence::kRequired));
  int64_t at = 0;
  HAVEN_RETURN_IF_ERROR(CheckTime(Path(kCmd, "registered_at_us"), c.registered_at_us(),
                                  ctx.now_us - kMaxRegistrationAgeUs, "366 days ago", ctx, &at));
  const absl::CivilDay registered_day = CstDay(at);
  if (birth > registered_day) {
    return InvalidField(Path(kCmd, "child.birth_date"), "is after the registration");
  }
  if (AgeOn(birth, registered_day) >= kAdultAge) {
    return InvalidField(Path(kCmd, "child.birth_date"),
                        "the child is 18 or older at registration: not a child");
  }
  const units::UnitFacts& unit = ctx.unit;
  if (!unit.exists) {
    return InvalidField(Path(kCmd, "unit_id"), absl::StrCat("unit ", unit.id, " does not exist"));
  }
  if (!unit.open) return Refuse("unit_closed", absl::StrCat("unit ", unit.id, " is closed"));
  if (unit.level != UnitLevel::kVillage && unit.level != UnitLevel::kTownship) {
    return Refuse("unit_level",
                  absl::StrCat("a child is registered where she lives: a village, community, "
                               "township or street; unit ",
                               unit.id, " is ", units::LevelName(unit.level)));
  }
  v1::ChildEvent e = NewEvent(ctx);
  v1::ChildRegistered* r = e.mutable_registered();
  r->set_child_id(ctx.child_id);
  r->set_category(c.category());
  v1::Child* out = r->mutable_child();
  out->set_name(child.name());
  out->set_id_number(id_number);
  out->set_birth_date(child.birth_date());
  out->set_girl(child.girl());
  out->mutable_guardian()->set_name(g.name());
  out->mutable_guardian()->set_relationship(g.relationship());
  out->mutable_guardian()->set_phone(g.phone());
  out->set_school(child.school());
  out->set_address(child.address());
  r->set_unit_id(c.unit_id());
  r->set_registered_at_us(at);
  return Events{std::move(e)};
}

Decision Pair(const ChildState& s, const v1::PairChild& c, const ChildDecideContext& ctx) {
  constexpr absl::string_view kCmd = "pair_child";
  HAVEN_RETURN_IF_ERROR(CheckId(Path(kCmd, "mentor_id"), c.mentor_id(), Presence::kRequired));
  if (const Pairing* active = s.active()) {
    return Refuse("child_already_paired",
                  absl::StrCat("no child has two active mentors; pairing ", active->no,
                               " with mentor ", active->mentor_id, " is active"));
  }
  const MentorFacts& mentor = ctx.mentor;
  if (!mentor.exists) {
    return InvalidField(Path(kCmd, "mentor_id"), absl::StrCat("no mentor ", mentor.id));
  }
  const std::string area = MentorArea(mentor.unit);
  if (!units::IsAtOrUnder(ctx.unit, area)) {
    return Refuse("mentor_out_of_area",
                  absl::StrCat("mentor ", mentor.id, " pairs with children under unit ", area,
                               "; the child's unit ", s.unit_id, " is not"));
  }
  int64_t earliest = std::max(s.registered_at_us, mentor.registered_at_us);
  if (!s.pairings.empty()) earliest = std::max(earliest, s.pairings.back().ended_at_us);
  int64_t at = 0;
  HAVEN_RETURN_IF_ERROR(CheckTime(Path(kCmd, "paired_at_us"), c.paired_at_us(), earliest,
                                  "the registrations and the last pairing's end", ctx, &at));
  v1::ChildEvent e = NewEvent(ctx);
  v1::ChildPaired* p = e.mutable_paired();
  p->set_pairing_no(static_cast<int32_t>(s.pairings.size()) + 1);
  p->set_mentor_id(mentor.id);
  p->set_mentor_kind(mentor.kind);
  p->set_paired_at_us(at);
  return Events{std::move(e)};
}

Decision Visit(const ChildState& s, const v1::RecordVisit& c, const ChildDecideContext& ctx) {
  constexpr absl::string_view kCmd = "record_visit";
  HAVEN_RETURN_IF_ERROR(
      CheckEnum(Path(kCmd, "kind"), c.kind(), v1::VisitKind_IsValid, Presence::kRequired));
  HAVEN_RETURN_IF_ERROR(
      CheckFreeText(Path(kCmd, "note"), c.note(), fields::kMaxReasonChars, Presence::kOptional));
  auto pairing = ActivePairing(s, Path(kCmd, "pairing_no"), c.pairing_no());
  if (!pairing.ok()) return pairing.status();
  int64_t at = 0;
  HAVEN_RETURN_IF_ERROR(CheckTime(Path(kCmd, "visited_at_us"), c.visited_at_us(),
                                  (*pairing)->paired_at_us, "the pairing", ctx, &at));
  v1::ChildEvent e = NewEvent(ctx);
  v1::VisitRecorded* v = e.mutable_visit_recorded();
  v->set_pairing_no(c.pairing_no());
  v->set_kind(c.kind());
  v->set_note(c.note());
  v->set_visited_at_us(at);
  return Events{std::move(e)};
}

Decision Support(const ChildState& s, const v1::DeliverSupport& c, const ChildDecideContext& ctx) {
  constexpr absl::string_view kCmd = "deliver_support";
  HAVEN_RETURN_IF_ERROR(
      CheckEnum(Path(kCmd, "kind"), c.kind(), v1::SupportKind_IsValid, Presence::kRequired));
  HAVEN_RETURN_IF_ERROR(CheckFen(Path(kCmd, "amount_fen"), c.amount_fen(), 1, kMaxSupportFen));
  const bool goods = c.kind() == v1::SUPPORT_KIND_GOODS;
  if (!goods && !c.goods().empty()) {
    return InvalidField(Path(kCmd, "goods"), "is for goods only");
  }
  HAVEN_RETURN_IF_ERROR(CheckLine(Path(kCmd, "goods"), c.goods(), fields::kMaxShortTextChars,
                                  goods ? Presence::kRequired : Presence::kOptional));
  int64_t at = 0;
  HAVEN_RETURN_IF_ERROR(CheckTime(Path(kCmd, "delivered_at_us"), c.delivered_at_us(),
                                  s.registered_at_us, "the registration", ctx, &at));
  v1::ChildEvent e = NewEvent(ctx);
  v1::SupportDelivered* d = e.mutable_support_delivered();
  d->set_pairing_no(s.active() != nullptr ? s.active()->no : 0);
  d->set_kind(c.kind());
  d->set_amount_fen(c.amount_fen());
  d->set_goods(c.goods());
  d->set_delivered_at_us(at);
  return Events{std::move(e)};
}

Decision Stipend(const ChildState& s, const v1::PayStipend& c, const ChildDecideContext& ctx) {
  constexpr absl::string_view kCmd = "pay_stipend";
  const std::optional<SchoolTerm> term = ParseTerm(c.term());
  if (!term) {
    return InvalidField(Path(kCmd, "term"),
                        "is required, a school term \"YYYY-YYYY-1\" (September to February) or "
                        "\"YYYY-YYYY-2\" (March to August)");
  }
  HAVEN_RETURN_IF_ERROR(CheckFen(Path(kCmd, "amount_fen"), c.amount_fen(), 1, kMaxStipendFen));
  auto pairing = ActivePairing(s, Path(kCmd, "pairing_no"), c.pairing_no());
  if (!pairing.ok()) return pairing.status();
  if (s.stipend_terms.count(c.term()) > 0) {
    return Refuse("stipend_term_paid",
                  absl::StrCat("the stipend for term ", c.term(), " is paid already"));
  }
  int64_t at = 0;
  HAVEN_RETURN_IF_ERROR(CheckTime(Path(kCmd, "paid_at_us"), c.paid_at_us(),
                                  (*pairing)->paired_at_us, "the pairing", ctx, &at));
  if (term->index() > TermOf(CstDay(at)).index() + 1) {
    return InvalidField(Path(kCmd, "term"), "is more than one term after the payment");
  }
  if (term->last_day() < CstDay((*pairing)->paired_at_us)) {
    return InvalidField(Path(kCmd, "term"), "ended before the pairing began");
  }
  v1::ChildEvent e = NewEvent(ctx);
  v1::StipendPaid* p = e.mutable_stipend_paid();
  p->set_pairing_no(c.pairing_no());
  p->set_term(c.term());
  p->set_amount_fen(c.amount_fen());
  p->set_paid_at_us(at);
  return Events{std::move(e)};
}

Decision Check(const ChildState& s, const v1::CheckStatus& c, const ChildDecideContext& ctx) {
  constexpr absl::string_view kCmd = "check_status";
  HAVEN_RETURN_IF_ERROR(CheckEnum(Path(kCmd, "schooling"), c.schooling(),
                                  v1::SchoolingStatus_IsValid, Presence::kRequired));
  HAVEN_RETURN_IF_ERROR(CheckEnum(Path(kCmd, "living"), c.living(), v1::LivingStatus_IsValid,
                                  Presence::kRequired));
  HAVEN_RETURN_IF_ERROR(
      CheckFreeText(Path(kCmd, "note"), c.note(), fields::kMaxReasonChars, Presence::kOptional));
  int64_t at = 0;
  HAVEN_RETURN_IF_ERROR(CheckTime(Path(kCmd, "checked_at_us"), c.checked_at_us(),
                                  s.registered_at_us, "the registration", ctx, &at));
  v1::ChildEvent e = NewEvent(ctx);
  v1::StatusChecked* k = e.mutable_status_checked();
  k->set_schooling(c.schooling());
  k->set_living(c.living());
  k->set_note(c.note());
  k->set_checked_at_us(at);
  return Events{std::move(e)};
}

Decision Refer(const ChildState& s, const v1::ReferCounselling& c, const ChildDecideContext& ctx) {
  constexpr absl::string_view kCmd = "refer_counselling";
  HAVEN_RETURN_IF_ERROR(CheckLine(Path(kCmd, "centre"), c.centre(), fields::kMaxShortTextChars,
                                  Presence::kRequired));
  HAVEN_RETURN_IF_ERROR(CheckFreeText(Path(kCmd, "concern"), c.concern(), fields::kMaxReasonChars,
                                      Presence::kRequired));
  int64_t at = 0;
  HAVEN_RETURN_IF_ERROR(CheckTime(Path(kCmd, "referred_at_us"), c.referred_at_us(),
                                  s.registered_at_us, "the registration", ctx, &at));
  v1::ChildEvent e = NewEvent(ctx);
  v1::CounsellingReferred* r = e.mutable_counselling_referred();
  r->set_centre(c.centre());
  r->set_concern(c.concern());
  r->set_referred_at_us(at);
  return Events{std::move(e)};
}

Decision End(const ChildState& s, const v1::EndPairing& c, const ChildDecideContext& ctx) {
  constexpr absl::string_view kCmd = "end_pairing";
  HAVEN_RETURN_IF_ERROR(CheckEnum(Path(kCmd, "reason"), c.reason(), v1::PairingEndReason_IsValid,
                                  Presence::kRequired));
  HAVEN_RETURN_IF_ERROR(
      CheckFreeText(Path(kCmd, "note"), c.note(), fields::kMaxReasonChars, Presence::kOptional));
  auto pairing = ActivePairing(s, Path(kCmd, "pairing_no"), c.pairing_no());
  if (!pairing.ok()) return pairing.status();
  int64_t at = 0;
  HAVEN_RETURN_IF_ERROR(CheckTime(Path(kCmd, "ended_at_us"), c.ended_at_us(),
                                  (*pairing)->last_fact_at_us,
                                  "the pairing's last visit or stipend", ctx, &at));
  if (c.reason() == v1::PAIRING_END_REASON_AGED_OUT &&
      AgeOn(s.birth_day, CstDay(at)) < kAgeOutAge) {
    return Refuse("not_of_age", absl::StrCat("a child ages out at ", kAgeOutAge, "; she is ",
                                             AgeOn(s.birth_day, CstDay(at))));
  }
  v1::ChildEvent e = NewEvent(ctx);
  v1::PairingEnded* end = e.mutable_pairing_ended();
  end->set_pairing_no(c.pairing_no());
  end->set_reason(c.reason());
  end->set_note(c.note());
  end->set_ended_at_us(at);
  end->set_awaits_new_pairing(LeavesChildInNeed(c.reason()));
  return Events{std::move(e)};
}

}  // namespace

std::string MentorArea(const units::UnitFacts& mentor_unit) {
  if (mentor_unit.level == UnitLevel::kCity) return mentor_unit.id;
  std::string county = units::NearestAtLevel(mentor_unit, UnitLevel::kCounty);
  if (!county.empty()) return county;
  std::string city = units::NearestAtLevel(mentor_unit, UnitLevel::kCity);
  return city.empty() ? mentor_unit.id : city;
}

absl::StatusOr<std::vector<v1::ChildEvent>> Decide(const ChildState& state,
                                                   const v1::ChildCommand& command,
                                                   const ChildDecideContext& ctx) {
  if (ctx.now_us <= 0) return absl::InternalError("context.now_us: required");
  if (ctx.actor.empty()) return InvalidField("context.actor", "who acts is required");
  using C = v1::ChildCommand;
  if (command.command_case() == C::COMMAND_NOT_SET) {
    return InvalidField("command", "no command is set");
  }
  if (command.command_case() == C::kRegisterChild) {
    if (ctx.child_id.empty()) return absl::InternalError("context.child_id: required");
    if (state.exists) {
      return absl::AlreadyExistsError(
          absl::StrCat("child_exists: child ", ctx.child_id, " is registered already"));
    }
    return Register(command.register_child(), ctx);
  }
  if (!state.exists) {
    return absl::NotFoundError(absl::StrCat("child_not_found: there is no child ", ctx.child_id));
  }
  if (state.status == ChildStatus::kCareEnded) {
    return Refuse("care_ended", "the child's care has ended (aged out, moved away or returned "
                                "to her parents); her record takes nothing more");
  }
  switch (command.command_case()) {
    case C::kPairChild:
      return Pair(state, command.pair_child(), ctx);
    case C::kRecordVisit:
      return Visit(state, command.record_visit(), ctx);
    case C::kDeliverSupport:
      return Support(state, command.deliver_support(), ctx);
    case C::kPayStipend:
      return Stipend(state, command.pay_stipend(), ctx);
    case C::kCheckStatus:
      return Check(state, command.check_status(), ctx);
    case C::kReferCounselling:
      return Refer(state, command.refer_counselling(), ctx);
    case C::kEndPairing:
      return End(state, command.end_pairing(), ctx);
    case C::kRegisterChild:
    case C::COMMAND_NOT_SET:
      break;
  }
  return absl::InternalError("command: not handled");
}

}  // namespace haven::children
