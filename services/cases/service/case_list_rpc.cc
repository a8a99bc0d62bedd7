// CaseService::ListCases: the caller authorised and the list scoped to her
// unit subtree, the request checked field by field, then one page
// read by the case_list projection's CaseListReader once the projections
// have reached min_position.
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/cases/projections/case_list_query.h"
#include "services/cases/service/case_service.h"
#include "services/common/status_convert.h"
#include "spdlog/spdlog.h"

namespace haven::services {
namespace {

namespace v1 = cases::v1;

constexpr uint32_t kDefaultListPageSize = 50;
constexpr uint32_t kMaxListPageSize = 1000;

grpc::Status FinishList(const absl::Status& status, grpc::ServerContext& context) {
  if (status.code() == absl::StatusCode::kInternal ||
      status.code() == absl::StatusCode::kDataLoss ||
      status.code() == absl::StatusCode::kUnknown) {
    spdlog::error("cases ListCases failed status=\"{}\"", status.ToString());
  }
  return ToGrpcStatus(status, context);
}

// The reader's request for `request`, or INVALID_ARGUMENT naming the field.
absl::StatusOr<cases::ListCasesRequest> ToListRequest(const v1::ListCasesRequest& request,
                                                      DirectoryView& directory, int64_t now_us) {
  const v1::CaseListFilter& in = request.filter();
  cases::ListCasesRequest out;
  switch (in.status()) {
    case v1::CASE_STATUS_UNSPECIFIED: break;
    case v1::CASE_STATUS_OPEN: out.filter.status = cases::CaseStatus::kOpen; break;
    case v1::CASE_STATUS_CLOSED: out.filter.status = cases::CaseStatus::kClosed; break;
    default: return absl::InvalidArgumentError("filter.status: not a CaseStatus");
  }
  if (in.category() != v1::CATEGORY_UNSPECIFIED) {
    if (!v1::Category_IsValid(in.category())) {
      return absl::InvalidArgumentError("filter.category: not a Category");
    }
    out.filter.category = in.category();
  }
  if (in.channel() != v1::CHANNEL_UNSPECIFIED) {
    if (!v1::Channel_IsValid(in.channel())) {
      return absl::InvalidArgumentError("filter.channel: not a Channel");
    }
    out.filter.channel = in.channel();
  }
  if (!in.unit_subtree().empty()) {
    auto subtree = directory.Subtree(in.unit_subtree());
    if (!subtree.ok()) {
      if (subtree.status().code() == absl::StatusCode::kNotFound ||
          subtree.status().code() == absl::StatusCode::kInvalidArgument) {
        return absl::InvalidArgumentError(
            absl::StrCat("filter.unit_subtree: no unit ", in.unit_subtree()));
      }
      return subtree.status();
    }
    out.filter.unit_subtree = in.unit_subtree();
  }
  out.filter.assignee = in.assignee_operator_id();
  if (in.has_opened_from_us()) out.filter.opened_from_us = in.opened_from_us();
  if (in.has_opened_before_us()) {
    if (in.has_opened_from_us() && in.opened_before_us() <= in.opened_from_us()) {
      return absl::InvalidArgumentError(
          "filter.opened_before_us: must be after filter.opened_from_us");
    }
    out.filter.opened_before_us = in.opened_before_us();
  }
  out.filter.overdue_follow_up = in.overdue_follow_up();
  out.filter.now_us = now_us;
  switch (request.sort()) {
    case v1::CASE_LIST_SORT_UNSPECIFIED:
    case v1::CASE_LIST_SORT_OPENED_NEWEST_FIRST:
      out.sort = cases::CaseListSort::kOpenedNewestFirst;
      break;
    case v1::CASE_LIST_SORT_FOLLOW_UP_DUE_SOONEST_FIRST:
      out.sort = cases::CaseListSort::kFollowUpDueSoonestFirst;
      break;
    default: return absl::InvalidArgumentError("sort: not a CaseListSort");
  }
  if (request.page_size() > kMaxListPageSize) {
    return absl::InvalidArgumentError(absl::StrCat("page_size: must be at most ", kMaxListPageSize));
  }
  out.page_size = request.page_size() == 0 ? kDefaultListPageSize : request.page_size();
  out.cursor = request.cursor();
  return out;
}

void ToItem(const cases::CaseListItem& in, v1::CaseListItem& out) {
  out.set_case_id(in.case_id);
  out.set_status(in.status == cases::CaseStatus::kClosed ? v1::CASE_STATUS_CLOSED
                                                         : v1::CASE_STATUS_OPEN);
  out.set_category(in.category);
  out.set_channel(in.channel);
  out.set_org_unit_id(in.org_unit_id);
  out.set_assignee_operator_id(in.assignee);
  out.set_opened_at_us(in.opened_at_us);
  if (in.next_follow_up_due_us) out.set_next_follow_up_due_at_us(*in.next_follow_up_due_us);
  out.set_urgency(in.urgency);
  out.set_priority(in.priority);
  out.set_risk(in.risk);
}

}  // namespace

grpc::Status CaseService::ListCases(grpc::ServerContext* context,
                                    const v1::ListCasesRequest* request,
                                    v1::ListCasesResponse* response) {
  auto caller = authoriser_->Authorize(*context, access::Permission::kReadCases);
  if (!caller.ok()) return FinishList(caller.status(), *context);
  auto scope = authoriser_->ScopeUnit(*caller, request->filter().unit_subtree());
  if (!scope.ok()) return FinishList(scope.status(), *context);
  v1::ListCasesRequest scoped;
  if (*scope != request->filter().unit_subtree()) {
    scoped = *request;
    scoped.mutable_filter()->set_unit_subtree(*scope);
    request = &scoped;
  }
  auto list_request = ToListRequest(*request, *directory_, clock_->NowMicros());
  if (!list_request.ok()) return FinishList(list_request.status(), *context);
  if (auto s = AwaitProjections(*context, request->min_position()); !s.ok()) {
    return FinishList(s, *context);
  }
  cases::CaseListReader reader(*read_models_, directory_.get(), projections_);
  auto page = reader.ListCases(*list_request);
  if (!page.ok()) return FinishList(page.status(), *context);
  for (const cases::CaseListItem& item : page->cases) ToItem(item, *response->add_cases());
  response->set_next_cursor(std::move(page->next_cursor));
  return grpc::Status::OK;
}

}  // namespace haven::services
