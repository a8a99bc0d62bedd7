#include "services/audit/audit_service.h"

#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/audit/access_by_user.h"
#include "services/audit/access_log.h"
#include "services/common/projection_wait.h"
#include "services/common/status_convert.h"
#include "spdlog/spdlog.h"

namespace haven::audit {
namespace {

constexpr uint32_t kDefaultPageSize = 100;
constexpr uint32_t kMaxPageSize = 1000;
constexpr size_t kMaxIdBytes = 128;

absl::Status ValidateId(const std::string& id, const char* field) {
  if (id.empty()) return absl::InvalidArgumentError(absl::StrCat(field, ": required"));
  if (id.size() > kMaxIdBytes) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": at most 128 bytes"));
  }
  return absl::OkStatus();
}

grpc::Status Finish(const absl::Status& status, grpc::ServerContext& context, const char* rpc) {
  if (!status.ok()) {
    spdlog::info("audit {} code={}", rpc, absl::StatusCodeToString(status.code()));
  }
  return services::ToGrpcStatus(status, context);
}

// One page of the case's access stream, from the version in `page_token`.
absl::Status ReadCaseAccess(const storage::EventLog& log, const v1::ListCaseAccessRequest& request,
                            v1::ListAccessResponse* response) {
  if (request.page_size() > kMaxPageSize) {
    return absl::InvalidArgumentError("page_size: at most 1000");
  }
  const uint32_t limit = request.page_size() == 0 ? kDefaultPageSize : request.page_size();
  uint64_t from = 0;
  if (!request.page_token().empty() && !absl::SimpleAtoi(request.page_token(), &from)) {
    return absl::InvalidArgumentError("page_token: not a token from a previous page");
  }
  auto page = log.ReadStream(AccessStream(request.case_id()), from, storage::Direction::kForwards,
                             limit);
  if (page.status().code() == absl::StatusCode::kNotFound) return absl::OkStatus();  // never read
  if (!page.ok()) return page.status();
  for (const storage::RecordedEvent& event : page->events) {
    v1::AccessEntry* entry = response->add_entries();
    entry->set_position(event.position);
    if (!entry->mutable_record()->ParseFromString(event.payload)) {
      return absl::DataLossError("an access record does not parse");
    }
  }
  if (page->has_next) response->set_next_page_token(absl::StrCat(page->next_version));
  return absl::OkStatus();
}

}  // namespace

AuditService::AuditService(const storage::EventLog& log,
                           const storage::ReadModelStore& read_models,
                           storage::ProjectionRunner& projections,
                           std::shared_ptr<const AuditReadPolicy> policy)
    : log_(log), read_models_(read_models), projections_(projections), policy_(std::move(policy)) {}

grpc::Status AuditService::ListCaseAccess(grpc::ServerContext* context,
                                          const v1::ListCaseAccessRequest* request,
                                          v1::ListAccessResponse* response) {
  absl::Status status = ValidateId(request->case_id(), "case_id");
  if (status.ok()) status = policy_->MayReadCaseAccess(*context, request->case_id());
  if (status.ok()) status = services::WaitForProjections(projections_, *context, request->min_position());
  if (status.ok()) status = ReadCaseAccess(log_, *request, response);
  if (!status.ok()) response->Clear();
  return Finish(status, *context, "ListCaseAccess");
}

grpc::Status AuditService::ListUserAccess(grpc::ServerContext* context,
                                          const v1::ListUserAccessRequest* request,
                                          v1::ListAccessResponse* response) {
  absl::Status status = ValidateId(request->user_id(), "user_id");
  if (status.ok() && request->to_us() != 0 && request->to_us() < request->from_us()) {
    status = absl::InvalidArgumentError("to_us: the period ends before it starts");
  }
  if (status.ok()) status = policy_->MayReadUserAccess(*context, request->user_id());
  if (status.ok()) status = services::WaitForProjections(projections_, *context, request->min_position());
  if (status.ok()) {
    auto page = ReadUserAccess(read_models_, request->user_id(), request->from_us(),
                               request->to_us(), request->page_size(), request->page_token());
    if (page.ok()) {
      for (v1::AccessEntry& entry : page->entries) *response->add_entries() = std::move(entry);
      response->set_next_page_token(page->next_page_token);
    }
    status = page.status();
  }
  if (!status.ok()) response->Clear();
  return Finish(status, *context, "ListUserAccess");
}

}  // namespace haven::audit
