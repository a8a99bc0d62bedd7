#include "tests/cases/case_test_util.h"

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/cases/domain/evolve.h"

namespace haven::cases::testing {

int64_t Cst(int year, int month, int day, int hour, int minute) {
  return absl::ToUnixMicros(absl::FromCivil(absl::CivilMinute(year, month, day, hour, minute),
                                            absl::FixedTimeZone(8 * 3600)));
}

int64_t Now() { return Cst(2024, 5, 20, 10, 0); }

std::string WithCheckCharacter(absl::string_view first17) {
  // Positions counted from the right, the check character being position 1:
  // choose c so that sum over i of a_i * 2^(i-1) is 1 modulo 11.
  int sum = 0;
  for (size_t k = 0; k < first17.size(); ++k) {
    const int position = 18 - static_cast<int>(k);
    int weight = 1;
    for (int i = 1; i < position; ++i) weight = weight * 2 % 11;
    sum += (first17[k] - '0') * weight;
  }
  for (int c = 0; c <= 10; ++c) {
    if ((sum + c) % 11 == 1) {
      return std::string(first17) + (c == 10 ? 'X' : static_cast<char>('0' + c));
    }
  }
  return "";
}

v1::Person Seeker() {
  v1::Person p;
  p.set_name("王秀兰");
  p.set_phone("13812345678");
  p.set_id_number(WithCheckCharacter("33010619850312042"));
  p.set_address("浙江省杭州市西湖区文三路 128 号 3 幢 502 室");
  p.set_gender(v1::GENDER_FEMALE);
  p.set_birth_year(1985);
  return p;
}

v1::CaseCommand OpenCaseCommand() {
  v1::CaseCommand command;
  v1::OpenCase* c = command.mutable_open_case();
  c->set_channel(v1::CHANNEL_HOTLINE);
  *c->mutable_seeker() = Seeker();
  c->mutable_respondent()->set_name("张建国");
  c->set_respondent_relationship(v1::RELATIONSHIP_SPOUSE);
  c->set_category(v1::CATEGORY_DOMESTIC_VIOLENCE);
  c->set_subcategory(v1::SUBCATEGORY_INTIMATE_PARTNER_VIOLENCE);
  c->set_urgency(v1::URGENCY_URGENT);
  c->set_priority(true);
  c->add_vulnerability_tags(v1::VULNERABILITY_TAG_LAID_OFF);
  c->set_org_unit_id("unit-xihu-wensan");
  c->set_account(
      "丈夫酗酒后多次殴打我，昨晚用皮带抽打，孩子也很害怕。\n我想离婚，但担心孩子抚养权。");
  c->set_received_at_us(Now() - kHourUs);
  return command;
}

DecideContext Ctx(int64_t now, std::string new_id) {
  DecideContext ctx;
  ctx.now_us = now;
  ctx.actor = "op-lihua";
  ctx.case_id = "case-2024-000731";
  ctx.new_id = std::move(new_id);
  return ctx;
}

::testing::AssertionResult Fails(const absl::StatusOr<Events>& result, absl::StatusCode code,
                                 absl::string_view prefix) {
  if (result.ok()) {
    return ::testing::AssertionFailure()
           << "expected " << absl::StatusCodeToString(code) << " \"" << prefix
           << ": ...\", got OK with " << result->size() << " event(s)";
  }
  const absl::Status& s = result.status();
  const std::string expected_start = std::string(prefix) + ": ";
  if (s.code() != code || s.message().substr(0, expected_start.size()) != expected_start) {
    return ::testing::AssertionFailure() << "expected " << absl::StatusCodeToString(code) << " \""
                                         << expected_start << "...\", got " << s;
  }
  return ::testing::AssertionSuccess() << s;
}

absl::StatusOr<Events> CaseTest::Run(const v1::CaseCommand& command, const DecideContext& ctx) {
  absl::StatusOr<Events> events = Decide(state_, command, ctx);
  if (events.ok()) {
    for (const v1::CaseEvent& e : *events) {
      Evolve(state_, e);
      history_.push_back(e);
    }
  }
  return events;
}

void CaseTest::MustRun(const v1::CaseCommand& command, const DecideContext& ctx) {
  absl::StatusOr<Events> events = Run(command, ctx);
  ASSERT_TRUE(events.ok()) << events.status() << "\n" << command.DebugString();
}

void CaseTest::Open() { MustRun(OpenCaseCommand()); }

void CaseTest::Consent(v1::PartnerType type) {
  v1::CaseCommand c;
  c.mutable_record_consent()->add_scope(type);
  c.mutable_record_consent()->set_form(v1::CONSENT_FORM_ORAL);
  MustRun(c);
}

void CaseTest::Refer(const std::string& referral_id, v1::PartnerType type,
                     const std::string& partner_id) {
  v1::CaseCommand c;
  v1::MakeReferral* r = c.mutable_make_referral();
  r->set_partner_id(partner_id);
  r->set_partner_type(type);
  r->set_partner_name("西湖区法律援助中心");
  r->set_reason("申请离婚诉讼及人身安全保护令，需要律师代理");
  if (type == v1::PARTNER_TYPE_DISPUTE_RESOLUTION_CENTRE) r->set_external_reference("ZZ-2024-0413");
  MustRun(c, Ctx(Now(), referral_id));
}

void CaseTest::AcceptReferral(const std::string& referral_id) {
  v1::CaseCommand c;
  c.mutable_accept_referral()->set_referral_id(referral_id);
  c.mutable_accept_referral()->set_handler_name("陈律师");
  MustRun(c);
}

void CaseTest::ScheduleMediation(const std::string& mediation_id) {
  v1::CaseCommand c;
  v1::ScheduleMediation* m = c.mutable_schedule_mediation();
  m->set_committee_level(v1::COMMITTEE_LEVEL_TOWNSHIP);
  m->set_committee_name("转塘街道人民调解委员会");
  m->set_mediator_name("刘桂芳");
  m->set_invited_mediator(true);
  v1::Party* applicant = m->add_parties();
  applicant->set_role(v1::PARTY_ROLE_APPLICANT);
  applicant->mutable_person()->set_name("王秀兰");
  v1::Party* respondent = m->add_parties();
  respondent->set_role(v1::PARTY_ROLE_RESPONDENT);
  respondent->mutable_person()->set_name("张建国");
  m->set_scheduled_at_us(Now() + kDayUs);
  m->set_location("转塘街道妇女之家");
  MustRun(c, Ctx(Now(), mediation_id));
}

void CaseTest::HoldMediation(const std::string& mediation_id, v1::MediationOutcome outcome) {
  v1::CaseCommand c;
  c.mutable_record_mediation_outcome()->set_mediation_id(mediation_id);
  c.mutable_record_mediation_outcome()->set_outcome(outcome);
  c.mutable_record_mediation_outcome()->set_summary("双方同意分居三个月，男方承诺戒酒。");
  MustRun(c, Ctx(Now() + kDayUs + 2 * kHourUs));
}

}  // namespace haven::cases::testing
