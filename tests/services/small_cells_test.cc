// Small cells: counts of 1..4 withheld with what is derived from them, zero
// and large counts kept, the paths listed.
#include "services/common/small_cells.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "haven/cases/v1/case_service.pb.h"

namespace haven::services {
namespace {

using ::testing::UnorderedElementsAre;
namespace v1 = cases::v1;

SmallCellRules CaseRules() {
  SmallCellRules rules;
  rules.derived_from = {{"median_days_to_close", "closed"}, {"assistance_fen", "assistance_grants"}};
  return rules;
}

TEST(SmallCellsTest, CountsOfOneToFourAreWithheldAndListed) {
  v1::CaseStatistics s;
  s.set_opened(120);
  s.set_dv_alarms(3);
  s.set_shelter_admissions(0);
  s.set_warning_letters(5);
  auto* hotline = s.add_opened_by_channel();
  hotline->set_channel(v1::CHANNEL_HOTLINE);
  hotline->set_count(118);
  auto* visit = s.add_opened_by_channel();
  visit->set_channel(v1::CHANNEL_VISIT);
  visit->set_count(2);

  std::vector<std::string> withheld = SuppressSmallCells(s, CaseRules());

  EXPECT_THAT(withheld, UnorderedElementsAre("dv_alarms", "opened_by_channel[1].count"));
  EXPECT_EQ(s.dv_alarms(), 0);
  EXPECT_EQ(s.opened_by_channel(1).count(), 0);
  EXPECT_EQ(s.opened_by_channel(1).channel(), v1::CHANNEL_VISIT);  // the key stays
  EXPECT_EQ(s.opened(), 120);
  EXPECT_EQ(s.warning_letters(), 5);
  EXPECT_EQ(s.opened_by_channel(0).count(), 118);
}

TEST(SmallCellsTest, WhatIsDerivedFromASmallCountGoesWithIt) {
  v1::CaseStatistics s;
  s.set_closed(4);
  s.set_median_days_to_close(12.5);
  s.set_assistance_grants(7);
  s.set_assistance_fen(350000);
  s.mutable_closure_rate()->set_numerator(4);
  s.mutable_closure_rate()->set_denominator(4);
  s.mutable_satisfaction_rate()->set_numerator(3);
  s.mutable_satisfaction_rate()->set_denominator(40);

  std::vector<std::string> withheld = SuppressSmallCells(s, CaseRules());

  EXPECT_THAT(withheld, UnorderedElementsAre("closed", "median_days_to_close", "closure_rate"));
  EXPECT_FALSE(s.has_median_days_to_close());
  EXPECT_FALSE(s.has_closure_rate());
  EXPECT_EQ(s.assistance_fen(), 350000);  // 7 grants: published
  // A rate over 40 is published even with a small numerator.
  EXPECT_EQ(s.satisfaction_rate().numerator(), 3);
}

TEST(SmallCellsTest, NestedMessagesAndBucketBoundsAreHandled) {
  v1::CaseStatistics s;
  auto* partner = s.add_partners();
  partner->set_partner_id("legal-aid-xw");
  partner->set_made(9);
  partner->set_accepted(1);
  auto* bucket = partner->add_hours_to_acceptance();
  bucket->set_bucket(3);   // a bound, not a count
  bucket->set_count(1);

  std::vector<std::string> withheld = SuppressSmallCells(s, CaseRules());

  EXPECT_THAT(withheld, UnorderedElementsAre("partners[0].accepted",
                                             "partners[0].hours_to_acceptance[0].count"));
  EXPECT_EQ(s.partners(0).hours_to_acceptance(0).bucket(), 3);
  EXPECT_EQ(s.partners(0).made(), 9);
}

}  // namespace
}  // namespace haven::services
