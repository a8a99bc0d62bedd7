#include "services/microhomes/domain/microhome_decide.h"

#include <algorithm>
#include <initializer_list>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/decide_support.h"
#include "services/common/field_rules.h"
#include "services/common/status_macros.h"

namespace haven::microhomes {
namespace {

using fields::CheckCount;
using fields::CheckEnum;
using fields::CheckFreeText;
using fields::CheckId;
using fields::CheckLine;
using fields::InvalidField;
using fields::Presence;
using fields::Refuse;
using units::UnitLevel;
using Events = std::vector<v1::MicroHomeEvent>;
using Decision = absl::StatusOr<Events>;

constexpr int kMaxExecutives = 10;
constexpr int kMaxAttendance = 2'000;
constexpr size_t kMaxTitleIdChars = 64;

v1::MicroHomeEvent NewEvent(const DecideContext &ctx) {
  v1::MicroHomeEvent e;
  e.set_occurred_at_us(ctx.now_us);
  e.set_actor(ctx.actor);
  return e;
}

absl::Status CheckStepTime(absl::string_view path, int64_t given_us,
                           int64_t earliest_us, absl::string_view earliest_what,
                           const DecideContext &ctx, int64_t *resolved) {
  return fields::ResolveStepTime(path, given_us, ctx.now_us, earliest_us,
                                 earliest_what, resolved);
}

absl::Status CheckHost(absl::string_view path, const v1::HostInput &host,
                       bool present) {
  if (!present)
    return InvalidField(path, "is required");
  HAVEN_RETURN_IF_ERROR(CheckLine(fields::FieldPath(path, "name"), host.name(),
                                  fields::kMaxNameChars, Presence::kRequired));
  return fields::CheckPhone(fields::FieldPath(path, "phone"), host.phone());
}

absl::Status CheckExecutive(absl::string_view path,
                            const v1::ExecutiveInput &x) {
  HAVEN_RETURN_IF_ERROR(CheckId(fields::FieldPath(path, "executive_id"),
                                x.executive_id(), Presence::kRequired));
  HAVEN_RETURN_IF_ERROR(CheckLine(fields::FieldPath(path, "name"), x.name(),
                                  fields::kMaxNameChars, Presence::kRequired));
  return fields::CheckPhone(fields::FieldPath(path, "phone"), x.phone());
}

// 1..64 characters of a-z, 0-9 and '-'.
absl::Status CheckTitleId(absl::string_view path, const std::string &id) {
  if (id.empty() || id.size() > kMaxTitleIdChars) {
    return InvalidField(path, "must be 1..64 characters of a-z, 0-9 and '-'");
  }
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
      return InvalidField(path, "must be 1..64 characters of a-z, 0-9 and '-'");
    }
  }
  return absl::OkStatus();
}

v1::Host HostOf(const v1::HostInput &in) {
  v1::Host host;
  host.set_name(in.name());
  host.set_phone(in.phone());
  return host;
}

v1::Executive ExecutiveOf(const v1::ExecutiveInput &in) {
  v1::Executive x;
  x.set_executive_id(in.executive_id());
  x.set_name(in.name());
  x.set_phone(in.phone());
  return x;
}

// The acting unit exists, is open, is of one of `levels` and is over the
// micro-home.
absl::Status CheckActingUnit(absl::string_view command,
                             const DecideContext &ctx,
                             std::initializer_list<UnitLevel> levels,
                             absl::string_view who) {
  const units::UnitFacts &unit = ctx.acting_unit;
  if (!unit.exists) {
    return InvalidField(fields::FieldPath(command, "acting_unit_id"),
                        absl::StrCat("unit ", unit.id, " does not exist"));
  }
  if (!unit.open)
    return Refuse("unit_closed", absl::StrCat("unit ", unit.id, " is closed"));
  if (std::find(levels.begin(), levels.end(), unit.level) == levels.end()) {
    return Refuse("unit_level",
                  absl::StrCat(command, " is done by ", who, "; unit ", unit.id,
                               " is ", units::LevelName(unit.level)));
  }
  if (!units::IsAtOrUnder(ctx.home, unit.id)) {
    return Refuse("unit_not_over_micro_home",
                  absl::StrCat("unit ", unit.id,
                               " is not above the micro-home ", ctx.home.id));
  }
  return absl::OkStatus();
}

// Who grants, re-certifies and revokes a title of `level`.
UnitLevel GrantingLevel(v1::TitleLevel level) {
  return level == v1::TITLE_LEVEL_COUNTY ? UnitLevel::kCounty
                                         : UnitLevel::kCity;
}
const char *GrantingWho(v1::TitleLevel level) {
  return level == v1::TITLE_LEVEL_COUNTY ? "the county or district federation"
                                         : "the city federation";
}

// The title `title_id` names, held (not revoked), or title_not_held.
absl::StatusOr<const TitleState *> HeldTitle(const MicroHomeState &s,
                                             const std::string &title_id) {
  const TitleState *t = s.FindTitle(title_id);
  if (t == nullptr) {
    return Refuse("title_not_held",
                  absl::StrCat("the micro-home has no title ", title_id));
  }
  if (t->revoked) {
    return Refuse("title_not_held",
                  absl::StrCat("title ", title_id, " was revoked"));
  }
  return t;
}

Decision Register(const v1::RegisterMicroHome &c, const DecideContext &ctx) {
  constexpr absl::string_view kCmd = "register_micro_home";
  HAVEN_RETURN_IF_ERROR(CheckEnum(fields::FieldPath(kCmd, "kind"), c.kind(),
                                  v1::MicroHomeKind_IsValid,
                                  Presence::kRequired));
  HAVEN_RETURN_IF_ERROR(CheckEnum(fields::FieldPath(kCmd, "venue"), c.venue(),
                                  v1::Venue_IsValid, Presence::kRequired));
  HAVEN_RETURN_IF_ERROR(
      CheckHost(fields::FieldPath(kCmd, "host"), c.host(), c.has_host()));
  if (c.executives().empty()) {
    return InvalidField(
        fields::FieldPath(kCmd, "executives"),
        "at least one federation executive is paired with a micro-home");
  }
  if (c.executives_size() > kMaxExecutives) {
    return InvalidField(fields::FieldPath(kCmd, "executives"),
                        absl::StrCat("at most ", kMaxExecutives));
  }
  std::set<std::string> ids;
  for (int i = 0; i < c.executives_size(); ++i) {
    const std::string path = absl::StrCat(kCmd, ".executives[", i, "]");
    HAVEN_RETURN_IF_ERROR(CheckExecutive(path, c.executives(i)));
    if (!ids.insert(c.executives(i).executive_id()).second) {
      return InvalidField(fields::FieldPath(path, "executive_id"),
                          "is listed twice");
    }
  }
  HAVEN_RETURN_IF_ERROR(CheckLine(fields::FieldPath(kCmd, "place"), c.place(),
                                  fields::kMaxShortTextChars,
                                  Presence::kOptional));
  int64_t at = 0;
  HAVEN_RETURN_IF_ERROR(CheckStepTime(
      fields::FieldPath(kCmd, "registered_at_us"), c.registered_at_us(),
      ctx.now_us - kMaxRegistrationAgeUs, "five years ago", ctx, &at));
  const units::UnitFacts &home = ctx.home;
  if (!home.exists) {
    return InvalidField(
        "unit_id", absl::StrCat("unit ", home.id,
                                " does not exist; create it in the directory "
                                "first (kind micro-home)"));
  }
  if (!home.open)
    return Refuse("unit_closed", absl::StrCat("unit ", home.id, " is closed"));
  if (!ctx.home_is_micro_home_unit) {
    return Refuse("unit_kind",
                  absl::StrCat("unit ", home.id, " is not of kind micro-home"));
  }
  if (home.ancestor_levels.empty() ||
      home.ancestor_levels.back() != UnitLevel::kVillage) {
    return Refuse(
        "unit_level",
        absl::StrCat("a micro-home hangs under a village or community; "
                     "the parent of unit ",
                     home.id, " is not one"));
  }
  v1::MicroHomeEvent e = NewEvent(ctx);
  v1::MicroHomeRegistered *r = e.mutable_registered();
  r->set_unit_id(home.id);
  r->set_kind(c.kind());
  r->set_venue(c.venue());
  *r->mutable_host() = HostOf(c.host());
  for (const v1::ExecutiveInput &x : c.executives())
    *r->add_executives() = ExecutiveOf(x);
  r->set_place(c.place());
  r->set_registered_at_us(at);
  return Events{std::move(e)};
}

Decision ChangeHost(const MicroHomeState &s, const v1::ChangeHost &c,
                    const DecideContext &ctx) {
  constexpr absl::string_view kCmd = "change_host";
  HAVEN_RETURN_IF_ERROR(
      CheckHost(fields::FieldPath(kCmd, "host"), c.host(), c.has_host()));
  int64_t at = 0;
  HAVEN_RETURN_IF_ERROR(CheckStepTime(fields::FieldPath(kCmd, "changed_at_us"),
                                      c.changed_at_us(), s.registered_at_us,
                                      "the registration", ctx, &at));
  v1::MicroHomeEvent e = NewEvent(ctx);
  *e.mutable_host_changed()->mutable_host() = HostOf(c.host());
  e.mutable_host_changed()->set_changed_at_us(at);
  return Events{std::move(e)};
}

Decision Pair(const MicroHomeState &s, const v1::PairExecutive &c,
              const DecideContext &ctx) {
  constexpr absl::string_view kCmd = "pair_executive";
  if (!c.has_executive())
    return InvalidField(fields::FieldPath(kCmd, "executive"), "is required");
  HAVEN_RETURN_IF_ERROR(
      CheckExecutive(fields::FieldPath(kCmd, "executive"), c.executive()));
  if (s.executive_ids.count(c.executive().executive_id()) > 0) {
    return Refuse("executive_already_paired",
                  absl::StrCat("executive ", c.executive().executive_id(),
                               " is paired already"));
  }
  if (static_cast<int>(s.executive_ids.size()) >= kMaxExecutives) {
    return InvalidField(fields::FieldPath(kCmd, "executive"),
                        absl::StrCat("a micro-home has at most ",
                                     kMaxExecutives, " executives"));
  }
  int64_t at = 0;
  HAVEN_RETURN_IF_ERROR(CheckStepTime(fields::FieldPath(kCmd, "paired_at_us"),
                                      c.paired_at_us(), s.registered_at_us,
                                      "the registration", ctx, &at));
  v1::MicroHomeEvent e = NewEvent(ctx);
  *e.mutable_executive_paired()->mutable_executive() =
      ExecutiveOf(c.executive());
  e.mutable_executive_paired()->set_paired_at_us(at);
  return Events{std::move(e)};
}

Decision Unpair(const MicroHomeState &s, const v1::UnpairExecutive &c,
                const DecideContext &ctx) {
  constexpr absl::string_view kCmd = "unpair_executive";
  HAVEN_RETURN_IF_ERROR(CheckId(fields::FieldPath(kCmd, "executive_id"),
                                c.executive_id(), Presence::kRequired));
  HAVEN_RETURN_IF_ERROR(CheckFreeText(fields::FieldPath(kCmd, "reason"),
                                      c.reason(), fields::kMaxReasonChars,
                                      Presence::kOptional));
  if (s.executive_ids.count(c.executive_id()) == 0) {
    return Refuse(
        "executive_not_paired",
        absl::StrCat("executive ", c.executive_id(), " is not paired with it"));
  }
  if (s.executive_ids.size() == 1) {
    return Refuse(
        "last_executive",
        "a micro-home keeps at least one paired executive; pair another first");
  }
  int64_t at = 0;
  HAVEN_RETURN_IF_ERROR(CheckStepTime(fields::FieldPath(kCmd, "unpaired_at_us"),
                                      c.unpaired_at_us(), s.registered_at_us,
                                      "the registration", ctx, &at));
  v1::MicroHomeEvent e = NewEvent(ctx);
  e.mutable_executive_unpaired()->set_executive_id(c.executive_id());
  e.mutable_executive_unpaired()->set_reason(c.reason());
  e.mutable_executive_unpaired()->set_unpaired_at_us(at);
  return Events{std::move(e)};
}

// The haves a designation lacks, by name.
std::vector<std::string> MissingHaves(const v1::FiveHaves &h) {
  std::vector<std::string> missing;
  if (!h.place())
    missing.push_back("place (有阵地)");
  if (!h.host())
    missing.push_back("host (有主人)");
  if (!h.rules())
    missing.push_back("rules (有机制)");
  if (!h.activities())
    missing.push_back("activities (有活动)");
  if (!h.display())
    missing.push_back("display (有展示)");
  return missing;
}

Decision Designate(const MicroHomeState &s, const v1::DesignateDemonstration &c,
                   const DecideContext &ctx) {
  constexpr absl::string_view kCmd = "designate_demonstration";
  HAVEN_RETURN_IF_ERROR(CheckId(fields::FieldPath(kCmd, "acting_unit_id"),
                                c.acting_unit_id(), Presence::kRequired));
  if (s.demonstration) {
    return Refuse("already_demonstration",
                  "the micro-home is a demonstration site already");
  }
  const std::vector<std::string> missing = MissingHaves(c.five_haves());
  if (!missing.empty()) {
    return Refuse(
        "five_haves_incomplete",
        absl::StrCat("a demonstration micro-home has all five haves; it lacks ",
                     absl::StrJoin(missing, ", ")));
  }
  HAVEN_RETURN_IF_ERROR(CheckActingUnit(
      kCmd, ctx, {UnitLevel::kTownship, UnitLevel::kCounty, UnitLevel::kCity},
      "a township, county or city federation"));
  int64_t at = 0;
  HAVEN_RETURN_IF_ERROR(CheckStepTime(
      fields::FieldPath(kCmd, "designated_at_us"), c.designated_at_us(),
      s.registered_at_us, "the registration", ctx, &at));
  v1::MicroHomeEvent e = NewEvent(ctx);
  v1::DemonstrationDesignated *d = e.mutable_demonstration_designated();
  d->set_unit_id(c.acting_unit_id());
  *d->mutable_five_haves() = c.five_haves();
  d->set_designated_at_us(at);
  return Events{std::move(e)};
}

// The demonstration withdrawn and every title held revoked with it.
Events WithdrawAll(const MicroHomeState &s, const std::string &unit_id,
                   const std::string &reason, int64_t at,
                   const DecideContext &ctx) {
  Events events;
  v1::MicroHomeEvent e = NewEvent(ctx);
  e.mutable_demonstration_withdrawn()->set_unit_id(unit_id);
  e.mutable_demonstration_withdrawn()->set_reason(reason);
  e.mutable_demonstration_withdrawn()->set_withdrawn_at_us(at);
  events.push_back(std::move(e));
  for (const TitleState &t : s.titles) {
    if (t.revoked)
      continue;
    v1::MicroHomeEvent r = NewEvent(ctx);
    r.mutable_title_revoked()->set_title_id(t.title_id);
    r.mutable_title_revoked()->set_unit_id(unit_id);
    r.mutable_title_revoked()->set_reason(reason);
    r.mutable_title_revoked()->set_revoked_at_us(at);
    events.push_back(std::move(r));
  }
  return events;
}

Decision Withdraw(const MicroHomeState &s, const v1::WithdrawDemonstration &c,
                  const DecideContext &ctx) {
  constexpr absl::string_view kCmd = "withdraw_demonstration";
  HAVEN_RETURN_IF_ERROR(CheckId(fields::FieldPath(kCmd, "acting_unit_id"),
                                c.acting_unit_id(), Presence::kRequired));
  HAVEN_RETURN_IF_ERROR(CheckFreeText(fields::FieldPath(kCmd, "reason"),
                                      c.reason(), fields::kMaxReasonChars,
                                      Presence::kRequired));
  if (!s.demonstration) {
    return Refuse("not_demonstration",
                  "the micro-home is not a demonstration site");
  }
  HAVEN_RETURN_IF_ERROR(CheckActingUnit(
      kCmd, ctx, {UnitLevel::kTownship, UnitLevel::kCounty, UnitLevel::kCity},
      "a township, county or city federation"));
  int64_t at = 0;
  HAVEN_RETURN_IF_ERROR(CheckStepTime(
      fields::FieldPath(kCmd, "withdrawn_at_us"), c.withdrawn_at_us(),
      s.designated_at_us, "the designation", ctx, &at));
  return WithdrawAll(s, c.acting_unit_id(), c.reason(), at, ctx);
}

Decision Activity(const MicroHomeState &s, const v1::RecordActivity &c,
                  const DecideContext &ctx) {
  constexpr absl::string_view kCmd = "record_activity";
  HAVEN_RETURN_IF_ERROR(CheckEnum(fields::FieldPath(kCmd, "activity_kind"),
                                  c.activity_kind(), v1::ActivityKind_IsValid,
                                  Presence::kRequired));
  HAVEN_RETURN_IF_ERROR(CheckCount(fields::FieldPath(kCmd, "attendance"),
                                   c.attendance(), 1, kMaxAttendance));
  HAVEN_RETURN_IF_ERROR(CheckLine(fields::FieldPath(kCmd, "topic"), c.topic(),
                                  fields::kMaxShortTextChars,
                                  Presence::kOptional));
  int64_t at = 0;
  HAVEN_RETURN_IF_ERROR(CheckStepTime(fields::FieldPath(kCmd, "held_at_us"),
                                      c.held_at_us(), s.registered_at_us,
                                      "the registration", ctx, &at));
  v1::MicroHomeEvent e = NewEvent(ctx);
  v1::ActivityRecorded *a = e.mutable_activity_recorded();
  a->set_activity_kind(c.activity_kind());
  a->set_held_at_us(at);
  a->set_attendance(c.attendance());
  a->set_topic(c.topic());
  return Events{std::move(e)};
}

Decision Grant(const MicroHomeState &s, const v1::GrantTitle &c,
               const DecideContext &ctx) {
  constexpr absl::string_view kCmd = "grant_title";
  HAVEN_RETURN_IF_ERROR(
      CheckTitleId(fields::FieldPath(kCmd, "title_id"), c.title_id()));
  HAVEN_RETURN_IF_ERROR(CheckEnum(fields::FieldPath(kCmd, "title"), c.title(),
                                  v1::TitleName_IsValid, Presence::kRequired));
  HAVEN_RETURN_IF_ERROR(CheckEnum(fields::FieldPath(kCmd, "level"), c.level(),
                                  v1::TitleLevel_IsValid, Presence::kRequired));
  HAVEN_RETURN_IF_ERROR(CheckId(fields::FieldPath(kCmd, "acting_unit_id"),
                                c.acting_unit_id(), Presence::kRequired));
  if (!s.demonstration) {
    return Refuse(
        "not_demonstration",
        "titles are granted to demonstration micro-homes; designate it first");
  }
  if (s.FindTitle(c.title_id()) != nullptr) {
    return Refuse("title_id_taken",
                  absl::StrCat("the micro-home has had a title ", c.title_id(),
                               " already"));
  }
  if (s.Holds(c.title(), c.level())) {
    return Refuse("title_held",
                  "the micro-home holds this title at this level already; "
                  "re-certify it instead");
  }
  HAVEN_RETURN_IF_ERROR(CheckActingUnit(kCmd, ctx, {GrantingLevel(c.level())},
                                        GrantingWho(c.level())));
  int64_t at = 0;
  HAVEN_RETURN_IF_ERROR(CheckStepTime(fields::FieldPath(kCmd, "granted_at_us"),
                                      c.granted_at_us(), s.designated_at_us,
                                      "the designation", ctx, &at));
  v1::MicroHomeEvent e = NewEvent(ctx);
  v1::TitleGranted *g = e.mutable_title_granted();
  g->set_title_id(c.title_id());
  g->set_title(c.title());
  g->set_level(c.level());
  g->set_unit_id(c.acting_unit_id());
  g->set_granted_at_us(at);
  g->set_expires_at_us(TwoYearsAfter(at));
  return Events{std::move(e)};
}

Decision Recertify(const MicroHomeState &s, const v1::RecertifyTitle &c,
                   const DecideContext &ctx) {
  constexpr absl::string_view kCmd = "recertify_title";
  HAVEN_RETURN_IF_ERROR(
      CheckTitleId(fields::FieldPath(kCmd, "title_id"), c.title_id()));
  HAVEN_RETURN_IF_ERROR(CheckId(fields::FieldPath(kCmd, "acting_unit_id"),
                                c.acting_unit_id(), Presence::kRequired));
  absl::StatusOr<const TitleState *> title = HeldTitle(s, c.title_id());
  if (!title.ok())
    return title.status();
  const TitleState &t = **title;
  HAVEN_RETURN_IF_ERROR(CheckActingUnit(kCmd, ctx, {GrantingLevel(t.level)},
                                        GrantingWho(t.level)));
  int64_t at = 0;
  HAVEN_RETURN_IF_ERROR(CheckStepTime(
      fields::FieldPath(kCmd, "recertified_at_us"), c.recertified_at_us(),
      t.certified_at_us, "the last certification", ctx, &at));
  if (at < t.expires_at_us - kRecertificationWindowUs) {
    return Refuse("recertification_not_due",
                  absl::StrCat("title ", t.title_id, " expires ",
                               fields::FormatCst(t.expires_at_us),
                               "; it is re-certified from 90 days before"));
  }
  v1::MicroHomeEvent e = NewEvent(ctx);
  v1::TitleRecertified *r = e.mutable_title_recertified();
  r->set_title_id(t.title_id);
  r->set_unit_id(c.acting_unit_id());
  r->set_recertified_at_us(at);
  r->set_expires_at_us(TwoYearsAfter(at));
  return Events{std::move(e)};
}

Decision Revoke(const MicroHomeState &s, const v1::RevokeTitle &c,
                const DecideContext &ctx) {
  constexpr absl::string_view kCmd = "revoke_title";
  HAVEN_RETURN_IF_ERROR(
      CheckTitleId(fields::FieldPath(kCmd, "title_id"), c.title_id()));
  HAVEN_RETURN_IF_ERROR(CheckId(fields::FieldPath(kCmd, "acting_unit_id"),
                                c.acting_unit_id(), Presence::kRequired));
  HAVEN_RETURN_IF_ERROR(CheckFreeText(fields::FieldPath(kCmd, "reason"),
                                      c.reason(), fields::kMaxReasonChars,
                                      Presence::kRequired));
  absl::StatusOr<const TitleState *> title = HeldTitle(s, c.title_id());
  if (!title.ok())
    return title.status();
  const TitleState &t = **title;
  HAVEN_RETURN_IF_ERROR(CheckActingUnit(kCmd, ctx, {GrantingLevel(t.level)},
                                        GrantingWho(t.level)));
  int64_t at = 0;
  HAVEN_RETURN_IF_ERROR(CheckStepTime(fields::FieldPath(kCmd, "revoked_at_us"),
                                      c.revoked_at_us(), t.granted_at_us,
                                      "the grant", ctx, &at));
  v1::MicroHomeEvent e = NewEvent(ctx);
  v1::TitleRevoked *r = e.mutable_title_revoked();
  r->set_title_id(t.title_id);
  r->set_unit_id(c.acting_unit_id());
  r->set_reason(c.reason());
  r->set_revoked_at_us(at);
  return Events{std::move(e)};
}

Decision Close(const MicroHomeState &s, const v1::CloseMicroHome &c,
               const DecideContext &ctx) {
  constexpr absl::string_view kCmd = "close_micro_home";
  HAVEN_RETURN_IF_ERROR(CheckFreeText(fields::FieldPath(kCmd, "reason"),
                                      c.reason(), fields::kMaxReasonChars,
                                      Presence::kRequired));
  int64_t at = 0;
  HAVEN_RETURN_IF_ERROR(CheckStepTime(
      fields::FieldPath(kCmd, "closed_at_us"), c.closed_at_us(),
      std::max(s.registered_at_us, s.demonstration ? s.designated_at_us : 0),
      "the registration and designation", ctx, &at));
  Events events;
  if (s.demonstration)
    events = WithdrawAll(s, s.unit_id, c.reason(), at, ctx);
  v1::MicroHomeEvent e = NewEvent(ctx);
  e.mutable_closed()->set_reason(c.reason());
  e.mutable_closed()->set_closed_at_us(at);
  events.push_back(std::move(e));
  return events;
}

} // namespace

absl::StatusOr<std::vector<v1::MicroHomeEvent>>
Decide(const MicroHomeState &state, const v1::MicroHomeCommand &command,
       const DecideContext &ctx) {
  if (ctx.now_us <= 0)
    return absl::InternalError("context.now_us: required");
  if (ctx.actor.empty())
    return InvalidField("context.actor", "who acts is required");
  using C = v1::MicroHomeCommand;
  if (command.command_case() == C::COMMAND_NOT_SET) {
    return InvalidField("command", "no command is set");
  }
  if (command.command_case() == C::kRegisterMicroHome) {
    if (state.exists) {
      return absl::AlreadyExistsError(
          absl::StrCat("micro_home_exists: unit ", ctx.home.id,
                       " has a micro-home already"));
    }
    return Register(command.register_micro_home(), ctx);
  }
  if (!state.exists) {
    return absl::NotFoundError(absl::StrCat("micro_home_not_found: unit ",
                                            ctx.home.id, " has no micro-home"));
  }
  if (state.closed) {
    return Refuse("micro_home_closed",
                  "the micro-home is closed and takes nothing more");
  }
  switch (command.command_case()) {
  case C::kChangeHost:
    return ChangeHost(state, command.change_host(), ctx);
  case C::kPairExecutive:
    return Pair(state, command.pair_executive(), ctx);
  case C::kUnpairExecutive:
    return Unpair(state, command.unpair_executive(), ctx);
  case C::kDesignateDemonstration:
    return Designate(state, command.designate_demonstration(), ctx);
  case C::kWithdrawDemonstration:
    return Withdraw(state, command.withdraw_demonstration(), ctx);
  case C::kRecordActivity:
    return Activity(state, command.record_activity(), ctx);
  case C::kGrantTitle:
    return Grant(state, command.grant_title(), ctx);
  case C::kRecertifyTitle:
    return Recertify(state, command.recertify_title(), ctx);
  case C::kRevokeTitle:
    return Revoke(state, command.revoke_title(), ctx);
  case C::kCloseMicroHome:
    return Close(state, command.close_micro_home(), ctx);
  case C::kRegisterMicroHome:
  case C::COMMAND_NOT_SET:
    break;
  }
  return absl::InternalError("command: not handled");
}

} // namespace haven::microhomes
