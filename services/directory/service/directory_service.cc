#include "services/directory/service/directory_service.h"

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/common/status_convert.h"
#include "services/directory/domain/validation.h"
#include "services/directory/service/directory_commands.h"
#include "services/directory/service/unit_convert.h"
#include "spdlog/spdlog.h"

namespace haven::services {
namespace {

namespace v1 = directory::v1;

constexpr uint32_t kDefaultPageSize = 100;
constexpr uint32_t kMaxPageSize = 1000;

// Converts `status` where it leaves the server, logging what is our fault.
grpc::Status Finish(const absl::Status& status, grpc::ServerContext& context, const char* method) {
  if (status.code() == absl::StatusCode::kInternal ||
      status.code() == absl::StatusCode::kDataLoss || status.code() == absl::StatusCode::kUnknown) {
    spdlog::error("directory {} failed status=\"{}\"", method, status.ToString());
  }
  return ToGrpcStatus(status, context);
}

absl::Status UnknownUnit(const std::string& field, const std::string& unit_id) {
  return absl::NotFoundError(absl::StrCat(field, ": no unit \"", unit_id, "\""));
}

}  // namespace

DirectoryService::DirectoryService(storage::EventLog& log)
    : DirectoryService(log, std::make_shared<DirectoryView>(log)) {}

DirectoryService::DirectoryService(storage::EventLog& log, std::shared_ptr<DirectoryView> view,
                                   std::shared_ptr<access::Authoriser> authoriser)
    : log_(log), view_(std::move(view)), authoriser_(std::move(authoriser)) {}

template <typename Request>
grpc::Status DirectoryService::Run(grpc::ServerContext& context, const Request& request,
                                   const directory::Command& command,
                                   v1::CommandResponse* response) {
  auto caller = authoriser_->Authorize(context, access::Permission::kWriteDirectory);
  if (!caller.ok()) return Finish(caller.status(), context, "command");
  std::optional<uint64_t> expected;
  if (request.has_expected_version()) expected = request.expected_version();
  auto outcome =
      RunDirectoryCommand(log_, *view_, command, expected, request.request_id(), caller->user_id);
  if (!outcome.ok()) return Finish(outcome.status(), context, "command");
  response->set_version(outcome->version);
  response->set_position(outcome->position);
  response->set_replayed(outcome->replayed);
  return grpc::Status::OK;
}

grpc::Status DirectoryService::CreateUnit(grpc::ServerContext* context,
                                          const v1::CreateUnitRequest* request,
                                          v1::CommandResponse* response) {
  return Run(*context, *request,
             directory::CreateUnit{request->unit_id(), request->name(), request->kind(),
                                   request->parent_id(), request->statistical_code()},
             response);
}

grpc::Status DirectoryService::RenameUnit(grpc::ServerContext* context,
                                          const v1::RenameUnitRequest* request,
                                          v1::CommandResponse* response) {
  return Run(*context, *request, directory::RenameUnit{request->unit_id(), request->name()},
             response);
}

grpc::Status DirectoryService::MoveUnit(grpc::ServerContext* context,
                                        const v1::MoveUnitRequest* request,
                                        v1::CommandResponse* response) {
  return Run(*context, *request,
             directory::MoveUnit{request->unit_id(), request->new_parent_id(),
                                 request->statistical_code()},
             response);
}

grpc::Status DirectoryService::CloseUnit(grpc::ServerContext* context,
                                         const v1::CloseUnitRequest* request,
                                         v1::CommandResponse* response) {
  return Run(*context, *request, directory::CloseUnit{request->unit_id(), request->reason()},
             response);
}

grpc::Status DirectoryService::GetUnit(grpc::ServerContext* context,
                                       const v1::GetUnitRequest* request,
                                       v1::GetUnitResponse* response) {
  auto caller = authoriser_->Authorize(*context, access::Permission::kReadDirectory);
  if (!caller.ok()) return Finish(caller.status(), *context, "GetUnit");
  if (request->unit_id().empty()) {
    return Finish(absl::InvalidArgumentError("unit_id: is required"), *context, "GetUnit");
  }
  absl::Status result;
  absl::Status read = view_->Read([&](const directory::Directory& state) {
    const directory::Unit* unit = state.Find(request->unit_id());
    if (unit == nullptr) {
      result = UnknownUnit("unit_id", request->unit_id());
      return;
    }
    FillGetUnitResponse(state, *unit, response);
  });
  return Finish(read.ok() ? result : read, *context, "GetUnit");
}

grpc::Status DirectoryService::ListChildren(grpc::ServerContext* context,
                                            const v1::ListChildrenRequest* request,
                                            v1::ListChildrenResponse* response) {
  auto caller = authoriser_->Authorize(*context, access::Permission::kReadDirectory);
  if (!caller.ok()) return Finish(caller.status(), *context, "ListChildren");
  absl::Status result;
  absl::Status read = view_->Read([&](const directory::Directory& state) {
    if (state.next_version() > 0) response->set_directory_version(state.next_version() - 1);
    std::vector<std::string> ids;
    if (request->unit_id().empty()) {
      if (state.root() != nullptr) ids.push_back(state.root()->id);
    } else if (const directory::Unit* parent = state.Find(request->unit_id())) {
      ids = parent->children;
    } else {
      result = UnknownUnit("unit_id", request->unit_id());
      return;
    }
    for (const std::string& id : ids) {
      const directory::Unit& unit = *state.Find(id);
      if (!unit.closed || request->include_closed()) ToProto(state, unit, response->add_units());
    }
  });
  return Finish(read.ok() ? result : read, *context, "ListChildren");
}

grpc::Status DirectoryService::ListSubtree(grpc::ServerContext* context,
                                           const v1::ListSubtreeRequest* request,
                                           v1::ListSubtreeResponse* response) {
  auto caller = authoriser_->Authorize(*context, access::Permission::kReadDirectory);
  if (!caller.ok()) return Finish(caller.status(), *context, "ListSubtree");
  if (request->unit_id().empty()) {
    return Finish(absl::InvalidArgumentError("unit_id: is required"), *context, "ListSubtree");
  }
  if (request->page_size() > kMaxPageSize) {
    return Finish(
        absl::InvalidArgumentError(absl::StrCat("page_size: must be at most ", kMaxPageSize)),
        *context, "ListSubtree");
  }
  const uint32_t page_size = request->page_size() == 0 ? kDefaultPageSize : request->page_size();
  std::optional<std::string> after;
  if (!request->page_token().empty()) {
    after = DecodePageToken(request->page_token());
    if (!after) {
      return Finish(absl::InvalidArgumentError("page_token: not a token this service gave"),
                    *context, "ListSubtree");
    }
  }
  absl::Status result;
  absl::Status read = view_->Read([&](const directory::Directory& state) {
    auto subtree = state.Subtree(request->unit_id());
    if (!subtree.ok()) {
      result = subtree.status();
      return;
    }
    std::vector<const directory::Unit*> units;
    for (const std::string& id : *subtree) {
      const directory::Unit* unit = state.Find(id);
      if (!unit->closed || request->include_closed()) units.push_back(unit);
    }
    auto begin = units.begin();
    if (after) {
      begin = std::find_if(units.begin(), units.end(),
                           [&](const directory::Unit* u) { return u->id == *after; });
      if (begin == units.end()) {
        result = absl::InvalidArgumentError(
            "page_token: its unit has left the subtree since; list again from the start");
        return;
      }
      ++begin;
    }
    auto end = units.end() - begin > static_cast<std::ptrdiff_t>(page_size) ? begin + page_size
                                                                            : units.end();
    for (auto it = begin; it != end; ++it) ToProto(state, **it, response->add_units());
    if (end != units.end()) response->set_next_page_token(EncodePageToken((*(end - 1))->id));
    response->set_directory_version(state.next_version() - 1);
  });
  return Finish(read.ok() ? result : read, *context, "ListSubtree");
}

grpc::Status DirectoryService::FindByCode(grpc::ServerContext* context,
                                          const v1::FindByCodeRequest* request,
                                          v1::GetUnitResponse* response) {
  auto caller = authoriser_->Authorize(*context, access::Permission::kReadDirectory);
  if (!caller.ok()) return Finish(caller.status(), *context, "FindByCode");
  const std::string& code = request->statistical_code();
  if (auto s = directory::ValidateCodeDigits(code, "statistical_code"); !s.ok()) {
    return Finish(s, *context, "FindByCode");
  }
  absl::Status result;
  absl::Status read = view_->Read([&](const directory::Directory& state) {
    const directory::Unit* unit = state.FindOpenByCode(code);
    if (unit == nullptr) {
      result = absl::NotFoundError(absl::StrCat("statistical_code: no open unit holds ", code));
      return;
    }
    FillGetUnitResponse(state, *unit, response);
  });
  return Finish(read.ok() ? result : read, *context, "FindByCode");
}

}  // namespace haven::services
