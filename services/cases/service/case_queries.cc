#include "services/cases/service/case_queries.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/cases/domain/event_types.h"
#include "services/cases/domain/field_rules.h"
#include "services/cases/service/case_ids.h"
#include "services/cases/service/case_summary.h"
#include "services/cases/service/case_view.h"
#include "services/common/command_executor.h"

namespace haven::services {
namespace {

namespace v1 = cases::v1;

constexpr uint32_t kDefaultHistoryPageSize = 100;
constexpr uint32_t kMaxHistoryPageSize = 1000;
// A history page token is this prefix and the version the page starts at.
constexpr char kPageTokenPrefix[] = "v";

absl::Status NoCase(const std::string& case_id, absl::string_view when = "") {
  return absl::NotFoundError(absl::StrCat("case_not_found: there is no case ", case_id, when));
}

}  // namespace

absl::Status WaitForPosition(const storage::EventLog& log, uint64_t min_position,
                             std::chrono::system_clock::time_point deadline) {
  if (min_position == 0 || log.HeadPosition() >= min_position) return absl::OkStatus();
  using std::chrono::steady_clock;
  using std::chrono::system_clock;
  // Compare before subtracting: a call without a deadline has the largest
  // time point, and `deadline - now` would overflow.
  const system_clock::time_point now = system_clock::now();
  system_clock::duration wait = kMaxMinPositionWait;
  if (deadline < now + kMaxMinPositionWait) wait = std::max(deadline - now, wait.zero());
  const uint64_t head = log.WaitForHeadAfter(
      min_position - 1,
      steady_clock::now() + std::chrono::duration_cast<steady_clock::duration>(wait));
  if (head >= min_position) return absl::OkStatus();
  return absl::DeadlineExceededError(absl::StrCat("min_position: the log reached position ", head,
                                                  ", not ", min_position,
                                                  ", within the call's deadline"));
}

absl::StatusOr<v1::GetCaseResponse> GetCase(const storage::EventLog& log,
                                            const v1::GetCaseRequest& request) {
  if (auto s = ValidateCaseId(request.case_id()); !s.ok()) return s;
  if (request.has_as_of_position() && request.has_as_of_time_us()) {
    return absl::InvalidArgumentError(
        "as_of_time_us: give at most one of as_of_position and as_of_time_us");
  }
  std::optional<uint64_t> up_to;
  if (request.has_as_of_position()) up_to = request.as_of_position();
  auto history = ReadWholeStream(log, CaseStream(request.case_id()), up_to);
  if (!history.ok()) return history.status();
  if (request.has_as_of_time_us()) {
    // Recorded times follow positions; stop at the first one too late.
    auto late = std::find_if(history->begin(), history->end(), [&](const auto& e) {
      return e.recorded_time_us > request.as_of_time_us();
    });
    history->erase(late, history->end());
  }
  if (history->empty()) {
    if (request.has_as_of_position()) {
      return NoCase(request.case_id(), absl::StrCat(" at position ", request.as_of_position()));
    }
    if (request.has_as_of_time_us()) {
      return NoCase(request.case_id(),
                    absl::StrCat(" at ", cases::FormatCst(request.as_of_time_us())));
    }
    return NoCase(request.case_id());
  }
  auto folded = FoldRecorded(*history);
  if (!folded.ok()) return folded.status();
  v1::GetCaseResponse response;
  *response.mutable_case_view() = ToCaseView(*folded);
  return response;
}

absl::StatusOr<v1::GetCaseHistoryResponse> GetCaseHistory(
    const storage::EventLog& log, const v1::GetCaseHistoryRequest& request) {
  if (auto s = ValidateCaseId(request.case_id()); !s.ok()) return s;
  if (request.page_size() > kMaxHistoryPageSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("page_size: must be at most ", kMaxHistoryPageSize));
  }
  const uint32_t page_size =
      request.page_size() == 0 ? kDefaultHistoryPageSize : request.page_size();
  uint64_t from = 0;
  if (!request.page_token().empty()) {
    absl::string_view token = request.page_token();
    if (!absl::ConsumePrefix(&token, kPageTokenPrefix) || !absl::SimpleAtoi(token, &from)) {
      return absl::InvalidArgumentError("page_token: not a token this service gave");
    }
  }
  auto page =
      log.ReadStream(CaseStream(request.case_id()), from, storage::Direction::kForwards, page_size);
  if (page.status().code() == absl::StatusCode::kNotFound) return NoCase(request.case_id());
  if (!page.ok()) return page.status();

  v1::GetCaseHistoryResponse response;
  for (const storage::RecordedEvent& recorded : page->events) {
    auto event = cases::DecodeCaseEvent(recorded.type, recorded.payload);
    if (!event.ok()) {
      return absl::DataLossError(absl::StrCat("stream ", recorded.stream, " version ",
                                              recorded.version, ": ", event.status().message()));
    }
    v1::CaseHistoryEntry* entry = response.add_entries();
    entry->set_version(recorded.version);
    entry->set_position(recorded.position);
    entry->set_recorded_at_us(recorded.recorded_time_us);
    entry->set_actor(recorded.actor);
    entry->set_event_type(recorded.type);
    EventSummary summary = SummarizeCaseEvent(*event, recorded.type);
    entry->set_summary_zh(std::move(summary.zh));
    entry->set_summary_en(std::move(summary.en));
    *entry->mutable_event() = std::move(*event);
    entry->set_event_id(recorded.event_id);
    entry->set_request_id(recorded.causation_id);
  }
  if (page->has_next) {
    response.set_next_page_token(absl::StrCat(kPageTokenPrefix, page->next_version));
  }
  response.set_case_version(page->last_version);
  return response;
}

}  // namespace haven::services
