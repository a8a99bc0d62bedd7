#include "services/loans/service/loan_commands.h"

#include <vector>

#include "services/common/aggregate_command.h"
#include "services/common/request_ids.h"
#include "services/loans/domain/loan_decide.h"
#include "services/loans/domain/loan_event_types.h"
#include "services/loans/service/loan_ids.h"
#include "services/loans/service/loan_view.h"

namespace haven::services {
namespace {

namespace v1 = loans::v1;
using directory::v1::UnitKind;

loans::UnitLevel LevelOf(UnitKind kind) {
  switch (kind) {
    case directory::v1::UNIT_KIND_CITY:
      return loans::UnitLevel::kCity;
    case directory::v1::UNIT_KIND_COUNTY:
    case directory::v1::UNIT_KIND_DISTRICT:
      return loans::UnitLevel::kCounty;
    case directory::v1::UNIT_KIND_TOWNSHIP:
    case directory::v1::UNIT_KIND_STREET:
      return loans::UnitLevel::kTownship;
    case directory::v1::UNIT_KIND_VILLAGE:
    case directory::v1::UNIT_KIND_COMMUNITY:
      return loans::UnitLevel::kVillage;
    default:
      return loans::UnitLevel::kOther;
  }
}

// What the directory says about `unit_id`; `exists` false if nothing (or
// the directory cannot be read: the rules then refuse the unit).
loans::UnitFacts LookUp(DirectoryView& directory, const std::string& unit_id) {
  loans::UnitFacts facts;
  facts.id = unit_id;
  if (unit_id.empty()) return facts;
  directory.Read([&](const directory::Directory& d) {
    const directory::Unit* unit = d.Find(unit_id);
    if (unit == nullptr) return;
    facts.exists = true;
    facts.open = !unit->closed;
    facts.level = LevelOf(unit->kind);
    auto ancestors = d.Ancestors(unit_id);
    if (ancestors.ok()) facts.ancestors = std::move(*ancestors);
  }).IgnoreError();
  return facts;
}

ProposedEvent EncodeForLog(const v1::LoanEvent& event) {
  return ProposedEvent{std::string(loans::EventTypeOf(event)), loans::EncodeLoanEvent(event),
                       std::string(loans::kLoanEventContentType)};
}

const Aggregate<FoldedLoan, v1::LoanEvent> kLoanAggregate{"loan", "apply_for_loan", &FoldLoan,
                                                          &EncodeForLog};

}  // namespace

std::string ActingUnitOf(const v1::LoanCommand& command) {
  using C = v1::LoanCommand;
  switch (command.command_case()) {
    case C::kCertifyLoan:
      return command.certify_loan().acting_unit_id();
    case C::kSubmitLoan:
      return command.submit_loan().acting_unit_id();
    case C::kGiveCountyOpinion:
      return command.give_county_opinion().acting_unit_id();
    case C::kRecordLenderDecision:
      return command.record_lender_decision().acting_unit_id();
    case C::kDisburseLoan:
      return command.disburse_loan().acting_unit_id();
    case C::kPaySubsidy:
      return command.pay_subsidy().acting_unit_id();
    case C::kRecordRepayment:
      return command.record_repayment().acting_unit_id();
    case C::kMarkOverdue:
      return command.mark_overdue().acting_unit_id();
    case C::kSettleLoan:
      return command.settle_loan().acting_unit_id();
    case C::kReportJobsCreated:
      return command.report_jobs_created().acting_unit_id();
    case C::kWithdrawLoan:
      return command.withdraw_loan().acting_unit_id();
    case C::kApplyForLoan:
      return command.apply_for_loan().village_unit_id();
    case C::COMMAND_NOT_SET:
      break;
  }
  return "";
}


absl::StatusOr<LoanCommandResult> RunLoanCommand(storage::EventLog& log, DirectoryView& directory,
                                                 const storage::Clock& clock,
                                                 const LoanCommandEnvelope& envelope,
                                                 const v1::LoanCommand& command,
                                                 const std::string& actor) {
  const bool applies = command.has_apply_for_loan();
  if (auto s = ValidateRequestId(envelope.request_id); !s.ok()) return s;
  if (!(applies && envelope.loan_id.empty())) {
    if (auto s = ValidateLoanId(envelope.loan_id); !s.ok()) return s;
  }
  if (auto s = CheckExpectedVersionGiven("loan", "apply_for_loan", applies,
                                         envelope.expected_version);
      !s.ok()) {
    return s;
  }
  LoanCommandResult result;
  result.loan_id =
      envelope.loan_id.empty() ? LoanIdForRequest(envelope.request_id) : envelope.loan_id;
  auto decide = [&](const FoldedLoan& folded) {
    loans::DecideContext ctx;
    ctx.now_us = clock.NowMicros();
    ctx.actor = actor;
    ctx.loan_id = result.loan_id;
    ctx.village = LookUp(directory, applies ? command.apply_for_loan().village_unit_id()
                                            : folded.state.village_unit_id);
    ctx.acting_unit = LookUp(directory, applies ? "" : ActingUnitOf(command));
    return loans::Decide(folded.state, command, ctx);
  };
  const CommandContext context{result.loan_id, envelope.expected_version, envelope.request_id,
                               actor, envelope.request_id};
  auto outcome = RunAggregateCommand(log, kLoanAggregate, result.loan_id, context, decide);
  if (!outcome.ok()) return outcome.status();
  result.outcome = *outcome;
  return result;
}

}  // namespace haven::services
