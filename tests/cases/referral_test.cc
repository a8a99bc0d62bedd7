// Consent and referrals to partners.
#include <string>

#include "gtest/gtest.h"
#include "tests/cases/case_test_util.h"

namespace haven::cases::testing {
namespace {

using absl::StatusCode;

v1::CaseCommand MakeReferral(v1::PartnerType type, const std::string& partner_id) {
  v1::CaseCommand c;
  v1::MakeReferral* r = c.mutable_make_referral();
  r->set_partner_id(partner_id);
  r->set_partner_type(type);
  r->set_reason("需要法律援助律师代理离婚诉讼");
  return c;
}

v1::CaseCommand Withdraw(v1::PartnerType type) {
  v1::CaseCommand c;
  c.mutable_withdraw_consent()->add_scope(type);
  c.mutable_withdraw_consent()->set_reason("担心丈夫知道后报复");
  return c;
}

v1::CaseCommand Accept(const std::string& id) {
  v1::CaseCommand c;
  c.mutable_accept_referral()->set_referral_id(id);
  return c;
}

v1::CaseCommand Decline(const std::string& id, const std::string& reason = "本中心无空余律师") {
  v1::CaseCommand c;
  c.mutable_decline_referral()->set_referral_id(id);
  c.mutable_decline_referral()->set_reason(reason);
  return c;
}

v1::CaseCommand Progress(const std::string& id, v1::ReferralProgressKind kind) {
  v1::CaseCommand c;
  c.mutable_report_referral_progress()->set_referral_id(id);
  c.mutable_report_referral_progress()->set_kind(kind);
  return c;
}

v1::CaseCommand ReferralOutcome(const std::string& id,
                                v1::ReferralOutcome outcome = v1::REFERRAL_OUTCOME_RESOLVED) {
  v1::CaseCommand c;
  c.mutable_report_referral_outcome()->set_referral_id(id);
  c.mutable_report_referral_outcome()->set_outcome(outcome);
  c.mutable_report_referral_outcome()->set_summary("法院判决准予离婚，孩子由女方抚养。");
  return c;
}

class ReferralTest : public CaseTest {
 protected:
  void SetUp() override { Open(); }
};

TEST_F(ReferralTest, ReferralWithoutConsentIsRefused) {
  absl::StatusOr<Events> result =
      Run(MakeReferral(v1::PARTNER_TYPE_LEGAL_AID_CENTRE, "legal-aid-1"), Ctx(Now(), "ref-1"));
  EXPECT_TRUE(Fails(result, StatusCode::kFailedPrecondition, "referral_requires_consent"));
  EXPECT_NE(result.status().message().find("PARTNER_TYPE_LEGAL_AID_CENTRE"), std::string::npos);
}

TEST_F(ReferralTest, ConsentToAnotherPartnerTypeDoesNotCoverTheReferral) {
  Consent(v1::PARTNER_TYPE_CIVIL_AFFAIRS_SHELTER);
  EXPECT_TRUE(Fails(Run(MakeReferral(v1::PARTNER_TYPE_LAWYER, "lawyer-chen"), Ctx(Now(), "ref-1")),
                    StatusCode::kFailedPrecondition, "referral_requires_consent"));
}

TEST_F(ReferralTest, ReferralAfterConsentWithdrawnIsRefused) {
  Consent(v1::PARTNER_TYPE_LEGAL_AID_CENTRE);
  MustRun(Withdraw(v1::PARTNER_TYPE_LEGAL_AID_CENTRE));
  EXPECT_TRUE(state_.consent.empty());
  EXPECT_TRUE(Fails(
      Run(MakeReferral(v1::PARTNER_TYPE_LEGAL_AID_CENTRE, "legal-aid-1"), Ctx(Now(), "ref-1")),
      StatusCode::kFailedPrecondition, "referral_requires_consent"));
}

TEST_F(ReferralTest, ConsentNeedsScope) {
  v1::CaseCommand c;
  c.mutable_record_consent()->set_form(v1::CONSENT_FORM_WRITTEN);
  EXPECT_TRUE(Fails(Run(c), StatusCode::kInvalidArgument, "record_consent.scope"));
}

TEST_F(ReferralTest, ConsentScopeWithRepeatedTypeIsInvalid) {
  v1::CaseCommand c;
  c.mutable_record_consent()->add_scope(v1::PARTNER_TYPE_LAWYER);
  c.mutable_record_consent()->add_scope(v1::PARTNER_TYPE_LAWYER);
  c.mutable_record_consent()->set_form(v1::CONSENT_FORM_WRITTEN);
  EXPECT_TRUE(Fails(Run(c), StatusCode::kInvalidArgument, "record_consent.scope[1]"));
}

TEST_F(ReferralTest, ConsentNeedsForm) {
  v1::CaseCommand c;
  c.mutable_record_consent()->add_scope(v1::PARTNER_TYPE_LAWYER);
  EXPECT_TRUE(Fails(Run(c), StatusCode::kInvalidArgument, "record_consent.form"));
}

TEST_F(ReferralTest, WithdrawingConsentNeverGivenIsRefused) {
  Consent(v1::PARTNER_TYPE_LAWYER);
  EXPECT_TRUE(Fails(Run(Withdraw(v1::PARTNER_TYPE_LABOUR_BUREAU)), StatusCode::kFailedPrecondition,
                    "consent_not_recorded"));
}

TEST_F(ReferralTest, ReferralRecordsPartnerAndTime) {
  Consent(v1::PARTNER_TYPE_LEGAL_AID_CENTRE);
  v1::CaseCommand c = MakeReferral(v1::PARTNER_TYPE_LEGAL_AID_CENTRE, "legal-aid-1");
  c.mutable_make_referral()->set_partner_name("西湖区法律援助中心");
  absl::StatusOr<Events> events = Run(c, Ctx(Now(), "ref-1"));
  ASSERT_TRUE(events.ok()) << events.status();
  const v1::ReferralMade& e = events->front().referral_made();
  EXPECT_EQ(e.referral_id(), "ref-1");
  EXPECT_EQ(e.partner_name(), "西湖区法律援助中心");
  EXPECT_EQ(e.referred_at_us(), Now());
  EXPECT_EQ(state_.OpenReferralIds(), std::vector<std::string>{"ref-1"});
}

TEST_F(ReferralTest, ReferralNeedsPartner) {
  Consent(v1::PARTNER_TYPE_LAWYER);
  EXPECT_TRUE(Fails(Run(MakeReferral(v1::PARTNER_TYPE_LAWYER, ""), Ctx(Now(), "ref-1")),
                    StatusCode::kInvalidArgument, "make_referral.partner_id"));
}

TEST_F(ReferralTest, ReferralNeedsPartnerType) {
  EXPECT_TRUE(Fails(Run(MakeReferral(v1::PARTNER_TYPE_UNSPECIFIED, "p-1"), Ctx(Now(), "ref-1")),
                    StatusCode::kInvalidArgument, "make_referral.partner_type"));
}

TEST_F(ReferralTest, ReferralNeedsReason) {
  Consent(v1::PARTNER_TYPE_LAWYER);
  v1::CaseCommand c = MakeReferral(v1::PARTNER_TYPE_LAWYER, "lawyer-chen");
  c.mutable_make_referral()->clear_reason();
  EXPECT_TRUE(
      Fails(Run(c, Ctx(Now(), "ref-1")), StatusCode::kInvalidArgument, "make_referral.reason"));
}

TEST_F(ReferralTest, TransferToDisputeResolutionNeedsExternalReference) {
  Consent(v1::PARTNER_TYPE_DISPUTE_RESOLUTION_CENTRE);
  EXPECT_TRUE(Fails(Run(MakeReferral(v1::PARTNER_TYPE_DISPUTE_RESOLUTION_CENTRE, "zongzhi-xihu"),
                        Ctx(Now(), "ref-1")),
                    StatusCode::kInvalidArgument, "make_referral.external_reference"));
}

TEST_F(ReferralTest, TransferKeepsTheExternalReference) {
  Consent(v1::PARTNER_TYPE_DISPUTE_RESOLUTION_CENTRE);
  Refer("ref-1", v1::PARTNER_TYPE_DISPUTE_RESOLUTION_CENTRE, "zongzhi-xihu");
  EXPECT_EQ(history_.back().referral_made().external_reference(), "ZZ-2024-0413");
}

TEST_F(ReferralTest, SecondOpenReferralToTheSamePartnerIsRefused) {
  Consent(v1::PARTNER_TYPE_LEGAL_AID_CENTRE);
  Refer("ref-1");
  EXPECT_TRUE(Fails(
      Run(MakeReferral(v1::PARTNER_TYPE_LEGAL_AID_CENTRE, "legal-aid-1"), Ctx(Now(), "ref-2")),
      StatusCode::kFailedPrecondition, "referral_already_open"));
}

TEST_F(ReferralTest, NewReferralAfterADeclineIsAllowed) {
  Consent(v1::PARTNER_TYPE_LEGAL_AID_CENTRE);
  Refer("ref-1");
  MustRun(Decline("ref-1"));
  EXPECT_TRUE(
      Run(MakeReferral(v1::PARTNER_TYPE_LEGAL_AID_CENTRE, "legal-aid-1"), Ctx(Now(), "ref-2"))
          .ok());
}

TEST_F(ReferralTest, AcceptingAnUnknownReferralIsRefused) {
  EXPECT_TRUE(Fails(Run(Accept("ref-404")), StatusCode::kFailedPrecondition, "referral_not_found"));
}

TEST_F(ReferralTest, AcceptanceRecordsHandlerAndTime) {
  Consent(v1::PARTNER_TYPE_LEGAL_AID_CENTRE);
  Refer("ref-1");
  v1::CaseCommand c = Accept("ref-1");
  c.mutable_accept_referral()->set_handler_name("陈静律师");
  MustRun(c, Ctx(Now() + 2 * kHourUs));
  EXPECT_EQ(state_.referrals.at("ref-1").status, ReferralStatus::kAccepted);
  EXPECT_EQ(state_.referrals.at("ref-1").accepted_at_us, Now() + 2 * kHourUs);
}

TEST_F(ReferralTest, AcceptingTwiceIsRefused) {
  Consent(v1::PARTNER_TYPE_LEGAL_AID_CENTRE);
  Refer("ref-1");
  AcceptReferral("ref-1");
  EXPECT_TRUE(
      Fails(Run(Accept("ref-1")), StatusCode::kFailedPrecondition, "referral_already_accepted"));
}

TEST_F(ReferralTest, DecliningAnAcceptedReferralIsRefused) {
  Consent(v1::PARTNER_TYPE_LEGAL_AID_CENTRE);
  Refer("ref-1");
  AcceptReferral("ref-1");
  EXPECT_TRUE(
      Fails(Run(Decline("ref-1")), StatusCode::kFailedPrecondition, "referral_already_accepted"));
}

TEST_F(ReferralTest, DeclineNeedsReason) {
  Consent(v1::PARTNER_TYPE_LEGAL_AID_CENTRE);
  Refer("ref-1");
  EXPECT_TRUE(
      Fails(Run(Decline("ref-1", "")), StatusCode::kInvalidArgument, "decline_referral.reason"));
}

TEST_F(ReferralTest, AcceptingADeclinedReferralIsRefused) {
  Consent(v1::PARTNER_TYPE_LEGAL_AID_CENTRE);
  Refer("ref-1");
  MustRun(Decline("ref-1"));
  EXPECT_TRUE(Fails(Run(Accept("ref-1")), StatusCode::kFailedPrecondition, "referral_declined"));
}

TEST_F(ReferralTest, OutcomeOnADeclinedReferralIsRefused) {
  Consent(v1::PARTNER_TYPE_LEGAL_AID_CENTRE);
  Refer("ref-1");
  MustRun(Decline("ref-1"));
  EXPECT_TRUE(
      Fails(Run(ReferralOutcome("ref-1")), StatusCode::kFailedPrecondition, "referral_declined"));
}

TEST_F(ReferralTest, ProgressBeforeAcceptanceIsRefused) {
  Consent(v1::PARTNER_TYPE_LEGAL_AID_CENTRE);
  Refer("ref-1");
  EXPECT_TRUE(Fails(Run(Progress("ref-1", v1::REFERRAL_PROGRESS_KIND_ADVICE_GIVEN)),
                    StatusCode::kFailedPrecondition, "referral_not_accepted"));
}

TEST_F(ReferralTest, OutcomeBeforeAcceptanceIsRefused) {
  Consent(v1::PARTNER_TYPE_LEGAL_AID_CENTRE);
  Refer("ref-1");
  EXPECT_TRUE(Fails(Run(ReferralOutcome("ref-1")), StatusCode::kFailedPrecondition,
                    "referral_not_accepted"));
}

TEST_F(ReferralTest, ProgressNeedsKind) {
  Consent(v1::PARTNER_TYPE_LEGAL_AID_CENTRE);
  Refer("ref-1");
  AcceptReferral("ref-1");
  EXPECT_TRUE(Fails(Run(Progress("ref-1", v1::REFERRAL_PROGRESS_KIND_UNSPECIFIED)),
                    StatusCode::kInvalidArgument, "report_referral_progress.kind"));
}

TEST_F(ReferralTest, ProgressThenOutcomeClosesTheReferral) {
  Consent(v1::PARTNER_TYPE_LEGAL_AID_CENTRE);
  Refer("ref-1");
  AcceptReferral("ref-1");
  MustRun(Progress("ref-1", v1::REFERRAL_PROGRESS_KIND_SUIT_FILED));
  MustRun(Progress("ref-1", v1::REFERRAL_PROGRESS_KIND_HEARING));
  EXPECT_EQ(state_.referrals.at("ref-1").last_progress, v1::REFERRAL_PROGRESS_KIND_HEARING);
  MustRun(ReferralOutcome("ref-1"));
  EXPECT_EQ(state_.referrals.at("ref-1").status, ReferralStatus::kClosed);
  EXPECT_TRUE(state_.OpenReferralIds().empty());
}

TEST_F(ReferralTest, OutcomeNeedsOutcome) {
  Consent(v1::PARTNER_TYPE_LEGAL_AID_CENTRE);
  Refer("ref-1");
  AcceptReferral("ref-1");
  EXPECT_TRUE(Fails(Run(ReferralOutcome("ref-1", v1::REFERRAL_OUTCOME_UNSPECIFIED)),
                    StatusCode::kInvalidArgument, "report_referral_outcome.outcome"));
}

TEST_F(ReferralTest, ProgressAfterTheOutcomeIsRefused) {
  Consent(v1::PARTNER_TYPE_LEGAL_AID_CENTRE);
  Refer("ref-1");
  AcceptReferral("ref-1");
  MustRun(ReferralOutcome("ref-1"));
  EXPECT_TRUE(Fails(Run(Progress("ref-1", v1::REFERRAL_PROGRESS_KIND_JUDGMENT)),
                    StatusCode::kFailedPrecondition, "referral_closed"));
  EXPECT_TRUE(
      Fails(Run(ReferralOutcome("ref-1")), StatusCode::kFailedPrecondition, "referral_closed"));
}

TEST_F(ReferralTest, AcceptanceDatedBeforeTheReferralIsInvalid) {
  Consent(v1::PARTNER_TYPE_LEGAL_AID_CENTRE);
  Refer("ref-1");
  v1::CaseCommand c = Accept("ref-1");
  c.mutable_accept_referral()->set_accepted_at_us(Now() - kMinuteUs);
  EXPECT_TRUE(Fails(Run(c), StatusCode::kInvalidArgument, "accept_referral.accepted_at_us"));
}

TEST_F(ReferralTest, ReferralWithoutANewIdIsInternal) {
  Consent(v1::PARTNER_TYPE_LAWYER);
  EXPECT_TRUE(Fails(Run(MakeReferral(v1::PARTNER_TYPE_LAWYER, "lawyer-chen")),
                    StatusCode::kInternal, "context.new_id"));
}

}  // namespace
}  // namespace haven::cases::testing
