#include "services/cases/service/case_summary.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "services/cases/domain/field_rules.h"
#include "services/cases/service/case_labels.h"

namespace haven::services {
namespace {

namespace v1 = cases::v1;
using Event = v1::CaseEvent;

// The pieces of a summary line, each in both languages.
class Line {
 public:
  Line(absl::string_view zh, absl::string_view en) : zh_(zh), en_(en) {}

  // Appends a clause: "，" between clauses in Chinese, ", " in English.  The
  // first clause follows "：" / ": ".
  Line& Add(absl::string_view zh, absl::string_view en) {
    absl::StrAppend(&zh_, clauses_ == 0 ? "：" : "，", zh);
    absl::StrAppend(&en_, clauses_ == 0 ? ": " : ", ", en);
    ++clauses_;
    return *this;
  }
  Line& Add(const Label& label) { return Add(label.zh, label.en); }
  Line& AddIf(bool condition, absl::string_view zh, absl::string_view en) {
    return condition ? Add(zh, en) : *this;
  }

  EventSummary Done() const { return {zh_, en_}; }

 private:
  std::string zh_;
  std::string en_;
  int clauses_ = 0;
};

std::string Time(int64_t us) { return cases::FormatCst(us); }

// Integer fen as yuan: 123456 -> "1234.56".
std::string Yuan(int64_t fen) {
  const char* sign = fen < 0 ? "-" : "";
  const uint64_t abs = fen < 0 ? -static_cast<uint64_t>(fen) : static_cast<uint64_t>(fen);
  return absl::StrFormat("%s%d.%02d", sign, abs / 100, abs % 100);
}

Label Scope(const google::protobuf::RepeatedField<int>& scope) {
  std::vector<std::string> zh, en;
  for (int type : scope) {
    Label l = LabelOf(static_cast<v1::PartnerType>(type));
    zh.push_back(std::move(l.zh));
    en.push_back(std::move(l.en));
  }
  return {absl::StrJoin(zh, "、"), absl::StrJoin(en, ", ")};
}

EventSummary Opened(const v1::CaseOpened& e) {
  return Line("立案", "Case opened")
      .Add(LabelOf(e.channel()))
      .Add(LabelOf(e.category()))
      .Add(LabelOf(e.urgency()))
      .AddIf(e.priority(), "优先接待", "priority")
      .Add(absl::StrCat("单位 ", e.org_unit_id()), absl::StrCat("unit ", e.org_unit_id()))
      .Done();
}

EventSummary Assigned(const v1::CaseAssigned& e) {
  if (e.previous_operator_id().empty()) {
    return Line(absl::StrCat("分派给 ", e.operator_id()),
                absl::StrCat("Assigned to ", e.operator_id()))
        .Done();
  }
  return Line(absl::StrCat("改派给 ", e.operator_id(), "（原 ", e.previous_operator_id(), "）"),
              absl::StrCat("Reassigned to ", e.operator_id(), " (was ", e.previous_operator_id(),
                           ")"))
      .Done();
}

EventSummary RiskAssessed(const v1::RiskAssessed& e) {
  Line line("风险评估", "Risk assessed");
  Label level = LabelOf(e.level());
  if (e.previous_level() != v1::RISK_LEVEL_UNSPECIFIED) {
    Label previous = LabelOf(e.previous_level());
    level.zh = absl::StrCat(level.zh, "（原 ", previous.zh, "）");
    level.en = absl::StrCat(level.en, " (was ", previous.en, ")");
  }
  return line.Add(level)
      .AddIf(e.community_early_warning(), "社区预警", "community early warning")
      .Done();
}

EventSummary MediationScheduled(const v1::MediationScheduled& e) {
  const Label level = LabelOf(e.committee_level());
  return Line(absl::StrCat("安排调解 ", e.mediation_id()),
              absl::StrCat("Mediation ", e.mediation_id(), " scheduled"))
      .Add(absl::StrCat(level.zh, " ", e.committee_name()),
           absl::StrCat(level.en, " committee ", e.committee_name()))
      .Add(Time(e.scheduled_at_us()), Time(e.scheduled_at_us()))
      .AddIf(e.invited_mediator(), "特邀调解员", "invited mediator")
      .Done();
}

EventSummary ReferralMade(const v1::ReferralMade& e) {
  const Label type = LabelOf(e.partner_type());
  const std::string& partner = e.partner_name().empty() ? e.partner_id() : e.partner_name();
  return Line(absl::StrCat("转介 ", e.referral_id()),
              absl::StrCat("Referral ", e.referral_id(), " made"))
      .Add(absl::StrCat(type.zh, " ", partner), absl::StrCat(type.en, " ", partner))
      .AddIf(!e.external_reference().empty(), absl::StrCat("外部编号 ", e.external_reference()),
             absl::StrCat("reference ", e.external_reference()))
      .Done();
}

EventSummary AssistanceGranted(const v1::AssistanceGranted& e) {
  const Label kind = LabelOf(e.kind());
  return Line("发放帮扶", "Assistance granted")
      .Add(kind)
      .AddIf(e.amount_fen() != 0, absl::StrCat(Yuan(e.amount_fen()), " 元"),
             absl::StrCat("CNY ", Yuan(e.amount_fen())))
      .AddIf(e.fund_year() != 0, absl::StrCat(e.fund_year(), " 年度"),
             absl::StrCat("fund year ", e.fund_year()))
      .Done();
}

EventSummary Closed(const v1::CaseClosed& e) {
  const int open = e.pending_referral_ids_size();
  return Line("结案", "Case closed")
      .Add(LabelOf(e.resolution()))
      .Add(LabelOf(e.satisfaction()))
      .AddIf(open > 0, absl::StrCat("转介未结 ", open, " 件"),
             absl::StrCat(open, " referral(s) still open"))
      .Done();
}

}  // namespace

EventSummary SummarizeCaseEvent(const Event& event, absl::string_view type) {
  switch (event.event_case()) {
    case Event::kOpened:
      return Opened(event.opened());
    case Event::kAssigned:
      return Assigned(event.assigned());
    case Event::kContactRecorded: {
      const auto& e = event.contact_recorded();
      return Line("联系记录", "Contact recorded")
          .Add(LabelOf(e.method()))
          .Add(e.inbound() ? "当事人来联系" : "主动联系", e.inbound() ? "inbound" : "outbound")
          .Add(Time(e.contacted_at_us()), Time(e.contacted_at_us()))
          .Done();
    }
    case Event::kNoteAdded:
      return event.note_added().internal() ? EventSummary{"添加内部备注", "Internal note added"}
                                           : EventSummary{"添加备注", "Note added"};
    case Event::kRiskAssessed:
      return RiskAssessed(event.risk_assessed());
    case Event::kMediationScheduled:
      return MediationScheduled(event.mediation_scheduled());
    case Event::kMediationHeld: {
      const auto& e = event.mediation_held();
      return Line(absl::StrCat("调解 ", e.mediation_id(), " 结果"),
                  absl::StrCat("Mediation ", e.mediation_id(), " held"))
          .Add(LabelOf(e.outcome()))
          .Done();
    }
    case Event::kMediationAgreementFollowedUp: {
      const auto& e = event.mediation_agreement_followed_up();
      return Line(absl::StrCat("调解协议回访 ", e.mediation_id()),
                  absl::StrCat("Agreement of mediation ", e.mediation_id(), " checked"))
          .Add(LabelOf(e.compliance()))
          .Done();
    }
    case Event::kConsentRecorded: {
      const auto& e = event.consent_recorded();
      const Label form = LabelOf(e.form());
      return Line(absl::StrCat("记录转介同意（", form.zh, "）"),
                  absl::StrCat("Consent recorded (", form.en, ")"))
          .Add(Scope(e.scope()))
          .Done();
    }
    case Event::kConsentWithdrawn:
      return Line("撤回转介同意", "Consent withdrawn")
          .Add(Scope(event.consent_withdrawn().scope()))
          .Done();
    case Event::kReferralMade:
      return ReferralMade(event.referral_made());
    case Event::kReferralAccepted: {
      const std::string& id = event.referral_accepted().referral_id();
      return {absl::StrCat("转介 ", id, " 已接收"), absl::StrCat("Referral ", id, " accepted")};
    }
    case Event::kReferralDeclined: {
      const std::string& id = event.referral_declined().referral_id();
      return {absl::StrCat("转介 ", id, " 被拒绝"), absl::StrCat("Referral ", id, " declined")};
    }
    case Event::kReferralProgressReported: {
      const auto& e = event.referral_progress_reported();
      return Line(absl::StrCat("转介 ", e.referral_id(), " 进展"),
                  absl::StrCat("Referral ", e.referral_id(), " progress"))
          .Add(LabelOf(e.kind()))
          .Done();
    }
    case Event::kReferralOutcomeReported: {
      const auto& e = event.referral_outcome_reported();
      return Line(absl::StrCat("转介 ", e.referral_id(), " 办结"),
                  absl::StrCat("Referral ", e.referral_id(), " outcome"))
          .Add(LabelOf(e.outcome()))
          .Done();
    }
    case Event::kDvAlarmRecorded: {
      const auto& e = event.dv_alarm_recorded();
      return Line("家暴报警", "Domestic-violence alarm")
          .Add(absl::StrCat("报警点 ", e.alarm_point_id()),
               absl::StrCat("alarm point ", e.alarm_point_id()))
          .Add(Time(e.alarmed_at_us()), Time(e.alarmed_at_us()))
          .Done();
    }
    case Event::kInjuryAssessmentRequested: {
      const std::string& centre = event.injury_assessment_requested().assessment_centre_id();
      return {absl::StrCat("申请伤情鉴定：", centre),
              absl::StrCat("Injury assessment requested: ", centre)};
    }
    case Event::kShelterAdmitted: {
      const auto& e = event.shelter_admitted();
      const int children = e.accompanying_children();
      return Line(absl::StrCat("入住庇护中心 ", e.shelter_id()),
                  absl::StrCat("Admitted to shelter ", e.shelter_id()))
          .AddIf(children > 0, absl::StrCat("随行子女 ", children, " 名"),
                 absl::StrCat("with ", children, " child(ren)"))
          .Done();
    }
    case Event::kShelterDischarged: {
      const std::string& id = event.shelter_discharged().shelter_id();
      return {absl::StrCat("离开庇护中心 ", id), absl::StrCat("Discharged from shelter ", id)};
    }
    case Event::kProtectionOrderApplied: {
      const auto& e = event.protection_order_applied();
      return Line(absl::StrCat("申请人身安全保护令 ", e.order_id()),
                  absl::StrCat("Protection order ", e.order_id(), " applied for"))
          .Add(e.court_name(), e.court_name())
          .AddIf(e.emergency(), "紧急", "emergency")
          .Done();
    }
    case Event::kProtectionOrderGranted: {
      const auto& e = event.protection_order_granted();
      return Line(absl::StrCat("人身安全保护令 ", e.order_id(), " 获准"),
                  absl::StrCat("Protection order ", e.order_id(), " granted"))
          .Add(absl::StrCat("有效至 ", Time(e.expires_at_us())),
               absl::StrCat("expires ", Time(e.expires_at_us())))
          .Done();
    }
    case Event::kProtectionOrderDenied: {
      const std::string& id = event.protection_order_denied().order_id();
      return {absl::StrCat("人身安全保护令 ", id, " 被驳回"),
              absl::StrCat("Protection order ", id, " denied")};
    }
    case Event::kWarningLetterIssued: {
      const std::string& station = event.warning_letter_issued().police_station();
      return {absl::StrCat("公安告诫书：", station),
              absl::StrCat("Warning letter issued: ", station)};
    }
    case Event::kAssistanceGranted:
      return AssistanceGranted(event.assistance_granted());
    case Event::kFollowUpScheduled: {
      const auto& e = event.follow_up_scheduled();
      return {absl::StrCat("安排回访 ", e.follow_up_id(), "：", Time(e.due_at_us())),
              absl::StrCat("Follow-up ", e.follow_up_id(), " due ", Time(e.due_at_us()))};
    }
    case Event::kFollowUpDone: {
      const auto& e = event.follow_up_done();
      return Line(absl::StrCat("完成回访 ", e.follow_up_id()),
                  absl::StrCat("Follow-up ", e.follow_up_id(), " done"))
          .Add(LabelOf(e.method()))
          .Done();
    }
    case Event::kClosed:
      return Closed(event.closed());
    case Event::kReopened:
      return {"重新开案", "Case reopened"};
    case Event::EVENT_NOT_SET:
      break;
  }
  return {absl::StrCat("未知事件 ", type), absl::StrCat("Unknown event ", type)};
}

}  // namespace haven::services
