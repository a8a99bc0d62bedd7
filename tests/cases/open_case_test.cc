// Opening a case: what open_case records and the rules of its fields.
#include <string>

#include "gtest/gtest.h"
#include "tests/cases/case_test_util.h"

namespace haven::cases::testing {
namespace {

using absl::StatusCode;

absl::StatusOr<Events> OpenWith(void (*edit)(v1::OpenCase*)) {
  v1::CaseCommand command = OpenCaseCommand();
  edit(command.mutable_open_case());
  return Decide(CaseState{}, command, Ctx());
}

TEST(OpenCaseTest, OpenCaseRecordsTheCallAsGiven) {
  absl::StatusOr<Events> events = Decide(CaseState{}, OpenCaseCommand(), Ctx());
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_EQ(events->size(), 1u);
  const v1::CaseEvent& event = events->front();
  EXPECT_EQ(event.occurred_at_us(), Now());
  EXPECT_EQ(event.actor(), "op-lihua");
  const v1::CaseOpened& opened = event.opened();
  EXPECT_EQ(opened.case_id(), "case-2024-000731");
  EXPECT_EQ(opened.channel(), v1::CHANNEL_HOTLINE);
  EXPECT_EQ(opened.seeker().name(), "王秀兰");
  EXPECT_EQ(opened.seeker().id_number(), Seeker().id_number());
  EXPECT_EQ(opened.respondent_relationship(), v1::RELATIONSHIP_SPOUSE);
  EXPECT_EQ(opened.category(), v1::CATEGORY_DOMESTIC_VIOLENCE);
  EXPECT_EQ(opened.vulnerability_tags_size(), 1);
  EXPECT_EQ(opened.account(), OpenCaseCommand().open_case().account());
  EXPECT_EQ(opened.received_at_us(), Now() - kHourUs);
}

TEST(OpenCaseTest, OpenCaseWithAssigneeAlsoAssigns) {
  v1::CaseCommand command = OpenCaseCommand();
  command.mutable_open_case()->set_assignee_operator_id("op-zhaomin");
  absl::StatusOr<Events> events = Decide(CaseState{}, command, Ctx());
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[1].assigned().operator_id(), "op-zhaomin");
  EXPECT_EQ((*events)[1].assigned().previous_operator_id(), "");
}

TEST(OpenCaseTest, ReceivedAtZeroMeansNow) {
  absl::StatusOr<Events> events = OpenWith([](v1::OpenCase* c) { c->set_received_at_us(0); });
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_EQ(events->front().opened().received_at_us(), Now());
}

TEST(OpenCaseTest, LetterFromAVillageCongressWithoutIdNumberIsAccepted) {
  absl::StatusOr<Events> events = OpenWith([](v1::OpenCase* c) {
    c->set_channel(v1::CHANNEL_VILLAGE_CONGRESS_REFERRAL);
    c->mutable_seeker()->clear_id_number();
    c->mutable_seeker()->clear_phone();
    c->clear_respondent();
    c->set_respondent_relationship(v1::RELATIONSHIP_VILLAGE_COLLECTIVE);
    c->set_category(v1::CATEGORY_LAND_PROPERTY);
    c->set_subcategory(v1::SUBCATEGORY_CONTRACTED_LAND);
    c->set_urgency(v1::URGENCY_ROUTINE);
    c->set_account("出嫁后村里收回了我的承包地，村委会不给分红。");
  });
  EXPECT_TRUE(events.ok()) << events.status();
}

TEST(OpenCaseTest, OpenCaseNeedsChannel) {
  EXPECT_TRUE(Fails(OpenWith([](v1::OpenCase* c) { c->clear_channel(); }),
                    StatusCode::kInvalidArgument, "open_case.channel"));
}

TEST(OpenCaseTest, UnknownChannelValueIsInvalid) {
  EXPECT_TRUE(Fails(OpenWith([](v1::OpenCase* c) { c->set_channel(static_cast<v1::Channel>(42)); }),
                    StatusCode::kInvalidArgument, "open_case.channel"));
}

TEST(OpenCaseTest, OpenCaseNeedsSeeker) {
  EXPECT_TRUE(Fails(OpenWith([](v1::OpenCase* c) { c->clear_seeker(); }),
                    StatusCode::kInvalidArgument, "open_case.seeker"));
}

TEST(OpenCaseTest, SeekerNeedsName) {
  EXPECT_TRUE(Fails(OpenWith([](v1::OpenCase* c) { c->mutable_seeker()->clear_name(); }),
                    StatusCode::kInvalidArgument, "open_case.seeker.name"));
}

TEST(OpenCaseTest, BlankSeekerNameIsInvalid) {
  absl::StatusOr<Events> result =
      OpenWith([](v1::OpenCase* c) { c->mutable_seeker()->set_name("\u3000 "); });
  EXPECT_TRUE(Fails(result, StatusCode::kInvalidArgument, "open_case.seeker.name"));
  EXPECT_NE(result.status().message().find("blank"), std::string::npos);
}

TEST(OpenCaseTest, NameWithLineBreakIsInvalid) {
  EXPECT_TRUE(Fails(OpenWith([](v1::OpenCase* c) { c->mutable_seeker()->set_name("王秀\n兰"); }),
                    StatusCode::kInvalidArgument, "open_case.seeker.name"));
}

TEST(OpenCaseTest, NameLongerThanSixtyFourCharactersIsInvalid) {
  EXPECT_TRUE(Fails(OpenWith([](v1::OpenCase* c) {
                      std::string name;
                      for (int i = 0; i < 65; ++i) name += "兰";
                      c->mutable_seeker()->set_name(name);
                    }),
                    StatusCode::kInvalidArgument, "open_case.seeker.name"));
}

TEST(OpenCaseTest, RespondentNeedsNameWhenGiven) {
  EXPECT_TRUE(Fails(OpenWith([](v1::OpenCase* c) { c->mutable_respondent()->clear_name(); }),
                    StatusCode::kInvalidArgument, "open_case.respondent.name"));
}

TEST(OpenCaseTest, OpenCaseNeedsCategory) {
  EXPECT_TRUE(Fails(OpenWith([](v1::OpenCase* c) {
                      c->clear_category();
                      c->clear_subcategory();
                    }),
                    StatusCode::kInvalidArgument, "open_case.category"));
}

TEST(OpenCaseTest, SubcategoryMustBelongToCategory) {
  absl::StatusOr<Events> result = OpenWith([](v1::OpenCase* c) {
    c->set_category(v1::CATEGORY_LABOUR_RIGHTS);
    c->set_subcategory(v1::SUBCATEGORY_DIVORCE);
  });
  EXPECT_TRUE(Fails(result, StatusCode::kInvalidArgument, "open_case.subcategory"));
  EXPECT_NE(result.status().message().find("CATEGORY_LABOUR_RIGHTS"), std::string::npos);
}

TEST(OpenCaseTest, FourPeriodsDismissalIsALabourRightsCase) {
  EXPECT_TRUE(OpenWith([](v1::OpenCase* c) {
                c->set_category(v1::CATEGORY_LABOUR_RIGHTS);
                c->set_subcategory(v1::SUBCATEGORY_FOUR_PERIODS_DISMISSAL);
              }).ok());
}

TEST(OpenCaseTest, OpenCaseNeedsUrgency) {
  EXPECT_TRUE(Fails(OpenWith([](v1::OpenCase* c) { c->clear_urgency(); }),
                    StatusCode::kInvalidArgument, "open_case.urgency"));
}

TEST(OpenCaseTest, UnspecifiedVulnerabilityTagIsInvalid) {
  EXPECT_TRUE(Fails(OpenWith([](v1::OpenCase* c) {
                      c->add_vulnerability_tags(v1::VULNERABILITY_TAG_UNSPECIFIED);
                    }),
                    StatusCode::kInvalidArgument, "open_case.vulnerability_tags[1]"));
}

TEST(OpenCaseTest, RepeatedVulnerabilityTagIsInvalid) {
  EXPECT_TRUE(Fails(OpenWith([](v1::OpenCase* c) {
                      c->add_vulnerability_tags(v1::VULNERABILITY_TAG_SUBSISTENCE_ALLOWANCE);
                      c->add_vulnerability_tags(v1::VULNERABILITY_TAG_LAID_OFF);
                    }),
                    StatusCode::kInvalidArgument, "open_case.vulnerability_tags[2]"));
}

TEST(OpenCaseTest, OpenCaseNeedsOrgUnit) {
  EXPECT_TRUE(Fails(OpenWith([](v1::OpenCase* c) { c->clear_org_unit_id(); }),
                    StatusCode::kInvalidArgument, "open_case.org_unit_id"));
}

TEST(OpenCaseTest, OrgUnitIdWithSpacesIsInvalid) {
  EXPECT_TRUE(Fails(OpenWith([](v1::OpenCase* c) { c->set_org_unit_id("unit xihu"); }),
                    StatusCode::kInvalidArgument, "open_case.org_unit_id"));
}

TEST(OpenCaseTest, OpenCaseNeedsAccount) {
  EXPECT_TRUE(Fails(OpenWith([](v1::OpenCase* c) { c->clear_account(); }),
                    StatusCode::kInvalidArgument, "open_case.account"));
}

TEST(OpenCaseTest, AccountLimitIsTenThousandCharactersNotBytes) {
  EXPECT_TRUE(OpenWith([](v1::OpenCase* c) {
                std::string account;
                for (int i = 0; i < 10'000; ++i) account += "打";  // 30,000 bytes
                c->set_account(account);
              }).ok());
  EXPECT_TRUE(Fails(OpenWith([](v1::OpenCase* c) {
                      std::string account;
                      for (int i = 0; i < 10'001; ++i) account += "打";
                      c->set_account(account);
                    }),
                    StatusCode::kInvalidArgument, "open_case.account"));
}

TEST(OpenCaseTest, AccountThatIsNotUtf8IsInvalid) {
  absl::StatusOr<Events> result =
      OpenWith([](v1::OpenCase* c) { c->set_account(std::string("\xe6\x89", 2) + "被打"); });
  EXPECT_TRUE(Fails(result, StatusCode::kInvalidArgument, "open_case.account"));
  EXPECT_NE(result.status().message().find("UTF-8"), std::string::npos);
}

TEST(OpenCaseTest, AccountWithControlCharacterIsInvalid) {
  EXPECT_TRUE(Fails(OpenWith([](v1::OpenCase* c) { c->set_account("被打\x07了"); }),
                    StatusCode::kInvalidArgument, "open_case.account"));
}

TEST(OpenCaseTest, ReceivedInTheFutureIsInvalid) {
  EXPECT_TRUE(Fails(OpenWith([](v1::OpenCase* c) { c->set_received_at_us(Now() + kHourUs); }),
                    StatusCode::kInvalidArgument, "open_case.received_at_us"));
}

TEST(OpenCaseTest, ReceivedMoreThanAYearAgoIsInvalid) {
  EXPECT_TRUE(Fails(OpenWith([](v1::OpenCase* c) { c->set_received_at_us(Cst(2023, 5, 1)); }),
                    StatusCode::kInvalidArgument, "open_case.received_at_us"));
}

TEST(OpenCaseTest, OpeningAnExistingCaseIsRefused) {
  const CaseState state = [] {
    CaseState s;
    s.exists = true;
    s.case_id = "case-2024-000731";
    s.opened_at_us = Now() - kDayUs;
    return s;
  }();
  EXPECT_TRUE(
      Fails(Decide(state, OpenCaseCommand(), Ctx()), StatusCode::kAlreadyExists, "case_exists"));
}

TEST(OpenCaseTest, CommandWithNothingSetIsInvalid) {
  EXPECT_TRUE(Fails(Decide(CaseState{}, v1::CaseCommand{}, Ctx()), StatusCode::kInvalidArgument,
                    "command"));
}

TEST(OpenCaseTest, CommandWithoutActorIsInvalid) {
  DecideContext ctx = Ctx();
  ctx.actor.clear();
  EXPECT_TRUE(Fails(Decide(CaseState{}, OpenCaseCommand(), ctx), StatusCode::kInvalidArgument,
                    "context.actor"));
}

TEST(OpenCaseTest, ChineseActorIsRecorded) {
  DecideContext ctx = Ctx();
  ctx.actor = "李华（12338 热线）";
  absl::StatusOr<Events> events = Decide(CaseState{}, OpenCaseCommand(), ctx);
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_EQ(events->front().actor(), "李华（12338 热线）");
}

TEST(OpenCaseTest, ContextWithoutClockOrCaseIdIsInternal) {
  DecideContext no_clock = Ctx();
  no_clock.now_us = 0;
  EXPECT_TRUE(Fails(Decide(CaseState{}, OpenCaseCommand(), no_clock), StatusCode::kInternal,
                    "context.now_us"));
  DecideContext no_case = Ctx();
  no_case.case_id.clear();
  EXPECT_TRUE(Fails(Decide(CaseState{}, OpenCaseCommand(), no_case), StatusCode::kInternal,
                    "context.case_id"));
}

}  // namespace
}  // namespace haven::cases::testing
