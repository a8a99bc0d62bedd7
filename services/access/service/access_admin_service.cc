#include "services/access/service/access_admin_service.h"

#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "services/access/domain/events.h"
#include "services/access/service/access_commands.h"
#include "services/common/status_convert.h"
#include "spdlog/spdlog.h"

namespace haven::services {
namespace {

namespace v1 = access::v1;
using access::Permission;

// Converts `status` where it leaves the server, logging what is our fault.
grpc::Status Finish(const absl::Status& status, grpc::ServerContext& context, const char* rpc) {
  if (status.code() == absl::StatusCode::kInternal ||
      status.code() == absl::StatusCode::kDataLoss || status.code() == absl::StatusCode::kUnknown) {
    spdlog::error("access {} failed status=\"{}\"", rpc, status.ToString());
  }
  return ToGrpcStatus(status, context);
}

void ToProto(const access::User& in, v1::User* out) {
  out->set_user_id(in.id);
  out->set_display_name(in.display_name);
  out->set_role(in.role);
  out->set_org_unit_id(in.org_unit_id);
  out->set_partner_id(in.partner_id);
  out->set_disabled(in.disabled);
  out->set_disabled_reason(in.disabled_reason);
}

void ToProto(const access::AccessState& state, const access::Partner& in, v1::Partner* out) {
  out->set_partner_id(in.id);
  out->set_name(in.name);
  out->set_org_unit_id(in.org_unit_id);
  out->set_user_count(state.UsersOfPartner(in.id));
}

access::Assignment AssignmentOf(v1::Role role, const std::string& unit,
                                const std::string& partner) {
  return access::Assignment{role, unit, partner};
}

}  // namespace

AccessAdminService::AccessAdminService(storage::EventLog& log, std::shared_ptr<AccessView> view,
                                       std::shared_ptr<DirectoryView> directory,
                                       std::shared_ptr<access::Authoriser> authoriser)
    : log_(log),
      view_(std::move(view)),
      directory_(std::move(directory)),
      authoriser_(std::move(authoriser)) {}

template <typename Request>
grpc::Status AccessAdminService::Run(grpc::ServerContext& context, const char* rpc,
                                     const Request& request, const access::Command& command,
                                     v1::CommandResponse* response) {
  auto caller = authoriser_->Authorize(context, Permission::kAdministerAccess);
  if (!caller.ok()) return Finish(caller.status(), context, rpc);
  std::optional<uint64_t> expected;
  if (request.has_expected_version()) expected = request.expected_version();
  auto outcome = RunAccessCommand(log_, *view_, *directory_, command, expected,
                                  request.request_id(), caller->user_id);
  if (!outcome.ok()) {
    spdlog::info("access {} actor={} code={}", rpc, caller->user_id,
                 absl::StatusCodeToString(outcome.status().code()));
    return Finish(outcome.status(), context, rpc);
  }
  spdlog::info("access {} actor={} version={} position={} replayed={} code=OK", rpc,
               caller->user_id, outcome->version, outcome->position, outcome->replayed);
  response->set_version(outcome->version);
  response->set_position(outcome->position);
  response->set_replayed(outcome->replayed);
  return grpc::Status::OK;
}

grpc::Status AccessAdminService::RegisterUser(grpc::ServerContext* context,
                                              const v1::RegisterUserRequest* request,
                                              v1::CommandResponse* response) {
  return Run(*context, "RegisterUser", *request,
             access::RegisterUser{
                 request->user_id(), request->display_name(),
                 AssignmentOf(request->role(), request->org_unit_id(), request->partner_id())},
             response);
}

grpc::Status AccessAdminService::UpdateUser(grpc::ServerContext* context,
                                            const v1::UpdateUserRequest* request,
                                            v1::CommandResponse* response) {
  access::UpdateUser command{request->user_id(), std::nullopt, std::nullopt};
  if (request->has_display_name()) command.display_name = request->display_name();
  if (request->role() != v1::ROLE_UNSPECIFIED) {
    command.assignment =
        AssignmentOf(request->role(), request->org_unit_id(), request->partner_id());
  }
  return Run(*context, "UpdateUser", *request, command, response);
}

grpc::Status AccessAdminService::DisableUser(grpc::ServerContext* context,
                                             const v1::DisableUserRequest* request,
                                             v1::CommandResponse* response) {
  return Run(*context, "DisableUser", *request,
             access::DisableUser{request->user_id(), request->reason()}, response);
}

grpc::Status AccessAdminService::EnableUser(grpc::ServerContext* context,
                                            const v1::EnableUserRequest* request,
                                            v1::CommandResponse* response) {
  return Run(*context, "EnableUser", *request, access::EnableUser{request->user_id()}, response);
}

grpc::Status AccessAdminService::RegisterPartner(grpc::ServerContext* context,
                                                 const v1::RegisterPartnerRequest* request,
                                                 v1::CommandResponse* response) {
  return Run(*context, "RegisterPartner", *request,
             access::RegisterPartner{request->partner_id(), request->name(),
                                     request->org_unit_id()},
             response);
}

grpc::Status AccessAdminService::GetUser(grpc::ServerContext* context,
                                         const v1::GetUserRequest* request,
                                         v1::GetUserResponse* response) {
  auto caller = authoriser_->Authorize(*context, Permission::kAdministerAccess);
  if (!caller.ok()) return Finish(caller.status(), *context, "GetUser");
  if (request->user_id().empty()) {
    return Finish(absl::InvalidArgumentError("user_id: is required"), *context, "GetUser");
  }
  absl::Status result;
  absl::Status read = view_->Read([&](const access::AccessState& state) {
    const access::User* user = state.FindUser(request->user_id());
    if (user == nullptr) {
      result = absl::NotFoundError(absl::StrCat("user_id: no user \"", request->user_id(), "\""));
      return;
    }
    ToProto(*user, response->mutable_user());
    response->set_access_version(state.next_version() - 1);
  });
  return Finish(read.ok() ? result : read, *context, "GetUser");
}

grpc::Status AccessAdminService::ListUsers(grpc::ServerContext* context,
                                           const v1::ListUsersRequest* request,
                                           v1::ListUsersResponse* response) {
  auto caller = authoriser_->Authorize(*context, Permission::kAdministerAccess);
  if (!caller.ok()) return Finish(caller.status(), *context, "ListUsers");
  absl::Status read = view_->Read([&](const access::AccessState& state) {
    for (const auto& [id, user] : state.users()) {
      if (request->role() != v1::ROLE_UNSPECIFIED && user.role != request->role()) continue;
      if (user.disabled && !request->include_disabled()) continue;
      ToProto(user, response->add_users());
    }
    if (state.next_version() > 0) response->set_access_version(state.next_version() - 1);
  });
  return Finish(read, *context, "ListUsers");
}

grpc::Status AccessAdminService::GetPartner(grpc::ServerContext* context,
                                            const v1::GetPartnerRequest* request,
                                            v1::GetPartnerResponse* response) {
  auto caller = authoriser_->Authorize(*context, Permission::kAdministerAccess);
  if (!caller.ok()) return Finish(caller.status(), *context, "GetPartner");
  if (request->partner_id().empty()) {
    return Finish(absl::InvalidArgumentError("partner_id: is required"), *context, "GetPartner");
  }
  absl::Status result;
  absl::Status read = view_->Read([&](const access::AccessState& state) {
    const access::Partner* partner = state.FindPartner(request->partner_id());
    if (partner == nullptr) {
      result = absl::NotFoundError(
          absl::StrCat("partner_id: no partner \"", request->partner_id(), "\""));
      return;
    }
    ToProto(state, *partner, response->mutable_partner());
    response->set_access_version(state.next_version() - 1);
  });
  return Finish(read.ok() ? result : read, *context, "GetPartner");
}

grpc::Status AccessAdminService::ListPartners(grpc::ServerContext* context,
                                              const v1::ListPartnersRequest* /*request*/,
                                              v1::ListPartnersResponse* response) {
  auto caller = authoriser_->Authorize(*context, Permission::kAdministerAccess);
  if (!caller.ok()) return Finish(caller.status(), *context, "ListPartners");
  absl::Status read = view_->Read([&](const access::AccessState& state) {
    for (const auto& [id, partner] : state.partners()) {
      ToProto(state, partner, response->add_partners());
    }
    if (state.next_version() > 0) response->set_access_version(state.next_version() - 1);
  });
  return Finish(read, *context, "ListPartners");
}

grpc::Status AccessAdminService::GetCaller(grpc::ServerContext* context,
                                           const v1::GetCallerRequest* /*request*/,
                                           v1::GetCallerResponse* response) {
  auto caller = authoriser_->Authorize(*context, Permission::kIdentifySelf);
  if (!caller.ok()) return Finish(caller.status(), *context, "GetCaller");
  response->set_development(caller->development);
  v1::User* user = response->mutable_user();
  user->set_user_id(caller->user_id);
  if (caller->development) return grpc::Status::OK;
  // The display name is hers to see; the rest is what authorisation used.
  auto found = view_->FindUser(caller->user_id);
  if (found.ok() && found->has_value()) ToProto(**found, user);
  return grpc::Status::OK;
}

}  // namespace haven::services
