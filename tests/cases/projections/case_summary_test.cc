// case_summary: every case's summary against the fold of its own events,
// NOT_FOUND for unknown cases, and read-your-writes.
#include <chrono>
#include <sstream>

#include "services/cases/domain/event_types.h"
#include "services/common/request_ids.h"
#include "tests/cases/projections/projection_fixture.h"

namespace haven::cases::testing {
namespace {

std::string Describe(const CaseSummary& s) {
  std::ostringstream os;
  os << "{case " << s.case_id << " status " << static_cast<int>(s.status) << " assignee "
     << s.assignee << " unit " << s.org_unit_id << " risk " << s.risk << " closed_at "
     << s.closed_at_us << " reopen " << s.reopen_count << " next_due "
     << s.next_follow_up_due_us.value_or(0) << " pending_fu " << s.pending_follow_ups
     << " pending_ref " << s.pending_referrals << "/" << s.referrals_awaiting_acceptance
     << " pending_med " << s.pending_mediations << " shelter " << s.in_shelter << " pos "
     << s.last_position << " v" << s.version << "}";
  return os.str();
}

TEST_F(CaseProjectionsTest, SummaryOfEveryCaseMatchesTheFoldOfItsEvents) {
  SetUpWorld();
  AppendAll();
  StartRunner();
  const CaseSummaryReader reader = Summaries();
  int closed = 0;
  int reopened = 0;
  int with_due = 0;
  for (const SyntheticCase& c : cases_) {
    auto summary = reader.GetSummary(c.case_id);
    ASSERT_TRUE(summary.ok()) << c.case_id << ": " << summary.status();
    const CaseSummary expected = ExpectedSummary(c);
    EXPECT_EQ(*summary, expected) << Describe(*summary) << "\n" << Describe(expected);
    closed += summary->status == CaseStatus::kClosed;
    reopened += summary->reopen_count > 0;
    with_due += summary->next_follow_up_due_us.has_value();
  }
  // The data exercise what they should.
  EXPECT_GT(closed, 500);
  EXPECT_GT(reopened, 50);
  EXPECT_GT(with_due, 200);
}

TEST_F(CaseProjectionsTest, UnknownCaseIsNotFound) {
  SetUpWorld(false, 10);
  AppendAll();
  StartRunner();
  EXPECT_EQ(Summaries().GetSummary("no-such-case").status().code(), absl::StatusCode::kNotFound);
}

TEST_F(CaseProjectionsTest, QueryWithAPositionSeesTheCommandsItFollows) {
  SetUpWorld(false, 50);
  AppendAll();
  StartRunner();
  // A new event: a query that carries its position sees it.
  v1::CaseEvent event;
  event.set_occurred_at_us(clock_->NowMicros() + kHourUs);
  event.mutable_assigned()->set_operator_id("op-new");
  clock_->Set(event.occurred_at_us());
  storage::NewEvent e{services::EventIdFor("rw", "case-c000003", 0),
                      std::string(EventTypeOf(event)), EncodeCaseEvent(event),
                      std::string(kCaseEventContentType), "op-new"};
  ASSERT_OK_AND_ASSIGN(storage::AppendResult result,
                       log_->Append("case-c000003", storage::ExpectedVersion::Any(), {e}));
  ReadOptions read;
  read.min_position = result.last_position;
  read.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  ASSERT_OK_AND_ASSIGN(CaseSummary summary, Summaries().GetSummary("c000003", read));
  EXPECT_EQ(summary.assignee, "op-new");
  EXPECT_EQ(summary.last_position, result.last_position);

  // Without a runner, a reader only checks the checkpoint.
  CaseSummaryReader no_runner(*store_);
  read.min_position = log_->HeadPosition() + 1;
  EXPECT_EQ(no_runner.GetSummary("c000003", read).status().code(), absl::StatusCode::kUnavailable);
  read.deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(50);
  EXPECT_EQ(Summaries().GetSummary("c000003", read).status().code(),
            absl::StatusCode::kDeadlineExceeded);
}

}  // namespace
}  // namespace haven::cases::testing
