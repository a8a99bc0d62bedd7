// The children-and-mentors service under authorisation, beyond the matrix:
// commands act on the child's registered unit and write nothing out of
// reach, a taken id out of reach answers like a missing one, lists default
// to the caller's unit, statistics of another unit withhold small cells.
#include <algorithm>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_replace.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "tests/access/access_fixture.h"

namespace haven::access::testing {
namespace {

namespace chv1 = children::v1;
using grpc::StatusCode;

// Today and 30 days before, CST.
std::string CstDay(int days_ago) {
  const absl::TimeZone cst = absl::FixedTimeZone(8 * 3600);
  return absl::FormatCivilTime(absl::ToCivilDay(absl::Now(), cst) - days_ago);
}

class ChildrenAccessTest : public AccessTest {
 protected:
  // The child's version as `user_id` sees it (-1 if refused).
  int64_t ChildVersion(const std::string& user_id, const std::string& child_id) {
    grpc::ClientContext context;
    As(user_id, &context);
    chv1::GetChildRequest request;
    request.set_child_id(child_id);
    chv1::GetChildResponse response;
    if (!clients_.children->GetChild(&context, request, &response).ok()) return -1;
    return static_cast<int64_t>(response.child().version());
  }

  grpc::Status CheckStatus(const std::string& user_id, const std::string& child_id,
                           int64_t version) {
    grpc::ClientContext context;
    As(user_id, &context);
    chv1::CheckStatusRequest request;
    request.set_request_id("check-" + child_id + "-" + std::to_string(++checks_));
    request.set_child_id(child_id);
    request.set_expected_version(version);
    request.mutable_check_status()->set_schooling(chv1::SCHOOLING_STATUS_IN_SCHOOL);
    request.mutable_check_status()->set_living(chv1::LIVING_STATUS_GOOD);
    chv1::CommandResponse response;
    return clients_.children->CheckStatus(&context, request, &response);
  }

  grpc::Status RegisterChildAs(const std::string& user_id, const std::string& child_id,
                               const std::string& unit) {
    grpc::ClientContext context;
    As(user_id, &context);
    chv1::RegisterChildRequest request;
    request.set_request_id("again-" + child_id);
    request.set_child_id(child_id);
    request.mutable_register_child()->set_category(chv1::CHILD_CATEGORY_ORPHAN);
    request.mutable_register_child()->mutable_child()->set_name("儿童");
    request.mutable_register_child()->mutable_child()->set_birth_date("2015-03-01");
    request.mutable_register_child()->mutable_child()->mutable_guardian()->set_name("监护人");
    request.mutable_register_child()->mutable_child()->mutable_guardian()->set_relationship("外婆");
    request.mutable_register_child()->set_unit_id(unit);
    chv1::CommandResponse response;
    return clients_.children->RegisterChild(&context, request, &response);
  }

  absl::StatusOr<chv1::GetChildrenStatisticsResponse> Statistics(const std::string& user_id,
                                                                 const std::string& unit) {
    grpc::ClientContext context;
    As(user_id, &context);
    chv1::GetChildrenStatisticsRequest request;
    request.set_unit_subtree(unit);
    request.set_from_day(CstDay(30));
    request.set_to_day(CstDay(0));
    request.set_min_position(server_->log().HeadPosition());
    chv1::GetChildrenStatisticsResponse response;
    const grpc::Status status =
        clients_.children->GetChildrenStatistics(&context, request, &response);
    if (!status.ok()) return absl::UnknownError(status.error_message());
    return response;
  }

  std::vector<std::string> ListChildIds(const std::string& user_id, const std::string& unit) {
    grpc::ClientContext context;
    As(user_id, &context);
    chv1::ListChildrenRequest request;
    request.set_unit_subtree(unit);
    request.set_min_position(server_->log().HeadPosition());
    chv1::ListChildrenResponse response;
    const grpc::Status status = clients_.children->ListChildren(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    std::vector<std::string> ids;
    for (const auto& child : response.children()) ids.push_back(child.child_id());
    return ids;
  }

  int checks_ = 0;
};

TEST_F(ChildrenAccessTest, CommandsActOnTheChildsUnitAndWriteNothingOutOfReach) {
  const int64_t out_version = ChildVersion("op-nj", kChildOut);
  ASSERT_GE(out_version, 0);
  const uint64_t head = server_->log().HeadPosition();
  const grpc::Status refused = CheckStatus("op-xw", kChildOut, out_version);
  EXPECT_EQ(refused.error_code(), StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(refused.error_message(),
            "rule operator_unit_subtree: child child-out is outside the subtree of your unit "
            "nj-xw");
  EXPECT_EQ(server_->log().HeadPosition(), head);
  // Supervisors read but do not work.
  EXPECT_EQ(CheckStatus("sup-xw", kChildIn, ChildVersion("sup-xw", kChildIn)).error_code(),
            StatusCode::PERMISSION_DENIED);
  // Inside her subtree it goes through, recorded as hers.
  ASSERT_TRUE(CheckStatus("op-xw", kChildIn, ChildVersion("op-xw", kChildIn)).ok());
  grpc::ClientContext context;
  As("sup-xw", &context);
  chv1::GetChildHistoryRequest request;
  request.set_child_id(kChildIn);
  chv1::GetChildHistoryResponse response;
  ASSERT_TRUE(clients_.children->GetChildHistory(&context, request, &response).ok());
  ASSERT_EQ(response.entries_size(), 2);
  EXPECT_EQ(response.entries(1).actor(), "op-xw");
}

TEST_F(ChildrenAccessTest, MissingOutOfReachAndTakenElsewhereAnswerAlike) {
  auto same = [](const grpc::Status& a, const std::string& a_id, const grpc::Status& b,
                 const std::string& b_id) {
    EXPECT_EQ(a.error_code(), StatusCode::PERMISSION_DENIED);
    EXPECT_EQ(b.error_code(), StatusCode::PERMISSION_DENIED);
    EXPECT_EQ(absl::StrReplaceAll(a.error_message(), {{a_id, "X"}}),
              absl::StrReplaceAll(b.error_message(), {{b_id, "X"}}));
  };
  same(CheckStatus("op-xw", kChildOut, 1), kChildOut, CheckStatus("op-xw", kChildMissing, 1),
       kChildMissing);
  EXPECT_EQ(ChildVersion("sup-gc", kChildIn), -1);
  // A client-chosen id taken by a child out of her reach: the denial, not
  // child_exists; a free id in her subtree registers.
  const uint64_t head = server_->log().HeadPosition();
  same(RegisterChildAs("op-xw", kChildOut, "nj-xw-my"), kChildOut,
       CheckStatus("op-xw", kChildMissing, 1), kChildMissing);
  EXPECT_EQ(server_->log().HeadPosition(), head);
  EXPECT_EQ(RegisterChildAs("op-xw", kChildIn, "nj-xw-my").error_code(),
            StatusCode::ALREADY_EXISTS);
  EXPECT_TRUE(RegisterChildAs("op-xw", "child-new", "nj-xw-my-lj").ok());
  // Registering in a unit out of reach is refused whatever the id.
  EXPECT_EQ(RegisterChildAs("op-xw", "child-newer", "nj-gc-cx").error_code(),
            StatusCode::PERMISSION_DENIED);
  // From the root a missing child is simply missing.
  EXPECT_EQ(CheckStatus("op-nj", kChildMissing, 1).error_code(), StatusCode::NOT_FOUND);
}

TEST_F(ChildrenAccessTest, ListsDefaultToTheCallersUnit) {
  EXPECT_EQ(ListChildIds("sup-xw", ""), std::vector<std::string>{kChildIn});
  EXPECT_EQ(ListChildIds("sup-gc", ""), std::vector<std::string>{kChildOut});
  EXPECT_EQ(ListChildIds("op-nj", "").size(), 2u);
}

TEST_F(ChildrenAccessTest, StatisticsOfAnotherUnitWithholdSmallCells) {
  auto inside = Statistics("sup-xw", "nj-xw");
  ASSERT_TRUE(inside.ok()) << inside.status();
  EXPECT_EQ(inside->statistics().registered(), 1);
  EXPECT_EQ(inside->statistics().mentors_registered(), 1);
  EXPECT_TRUE(inside->suppressed_cells().empty());

  auto outside = Statistics("sup-gc", "nj-xw");
  ASSERT_TRUE(outside.ok()) << outside.status();
  EXPECT_EQ(outside->statistics().registered(), 0);
  EXPECT_EQ(outside->statistics().mentors_registered(), 0);
  EXPECT_EQ(outside->statistics().unpaired_at_end(), 0);
  const std::vector<std::string> cells(outside->suppressed_cells().begin(),
                                       outside->suppressed_cells().end());
  for (const char* cell : {"registered", "mentors_registered", "unpaired_at_end", "in_care_at_end",
                           "registered_by_category[0].count"}) {
    EXPECT_NE(std::find(cells.begin(), cells.end(), cell), cells.end()) << cell;
  }
}

// A loan step acting for her own unit on a loan out of her reach: the
// denial, the same as for a loan that does not exist (not ABORTED, not the
// loan's own rules, which would tell her it exists).
TEST_F(ChildrenAccessTest, LoanStepOnALoanOutOfReachAnswersLikeAMissingLoan) {
  auto certify = [&](const std::string& loan_id) {
    grpc::ClientContext context;
    As("op-xw", &context);
    loans::v1::CertifyLoanRequest request;
    request.set_request_id("leak-" + loan_id);
    request.set_loan_id(loan_id);
    request.set_expected_version(999);
    request.mutable_certify_loan()->set_acting_unit_id("nj-xw-my-lj");
    loans::v1::CommandResponse response;
    return clients_.loans->CertifyLoan(&context, request, &response);
  };
  const uint64_t head = server_->log().HeadPosition();
  const grpc::Status out = certify(kLoanOut);
  const grpc::Status missing = certify("loan-missing");
  EXPECT_EQ(out.error_code(), StatusCode::PERMISSION_DENIED) << out.error_message();
  EXPECT_EQ(missing.error_code(), StatusCode::PERMISSION_DENIED) << missing.error_message();
  EXPECT_EQ(absl::StrReplaceAll(out.error_message(), {{kLoanOut, "X"}}),
            absl::StrReplaceAll(missing.error_message(), {{"loan-missing", "X"}}));
  EXPECT_EQ(certify(kLoanIn).error_code(), StatusCode::ABORTED);  // hers: the stale version
  EXPECT_EQ(server_->log().HeadPosition(), head);
}

}  // namespace
}  // namespace haven::access::testing
