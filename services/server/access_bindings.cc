#include "services/server/access_bindings.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/access/domain/events.h"
#include "services/auth/caller.h"
#include "services/cases/service/case_access.h"

namespace haven::server {
namespace {

inline constexpr char kDevelopmentPartnerKey[] = "haven-partner";

class AuthoriserPartnerCallers final : public legalaid::PartnerCallers {
 public:
  explicit AuthoriserPartnerCallers(std::shared_ptr<access::Authoriser> authoriser)
      : authoriser_(std::move(authoriser)) {}

  absl::StatusOr<legalaid::PartnerCaller> PartnerOf(
      const grpc::ServerContextBase& context) const override {
    auto principal = authoriser_->Authorize(context, access::Permission::kWorkReferrals);
    if (!principal.ok()) return principal.status();
    legalaid::PartnerCaller caller;
    caller.user_id = principal->user_id;
    if (principal->development) {
      const auto& metadata = context.client_metadata();
      auto partner = metadata.find(kDevelopmentPartnerKey);
      if (partner == metadata.end() || partner->second.empty()) {
        return absl::PermissionDeniedError(
            "rule partner_api: in development mode name the partner organisation in the "
            "haven-partner metadata");
      }
      caller.partner_id = std::string(partner->second.data(), partner->second.size());
      caller.role = "development";
      caller.auth_method = "development";
      return caller;
    }
    caller.partner_id = principal->partner_id;
    caller.role = access::RoleName(principal->role);
    caller.auth_method = auth::AuthenticationMethod(context).value_or("");
    return caller;
  }

  bool purpose_required() const override { return authoriser_->enforced(); }

 private:
  const std::shared_ptr<access::Authoriser> authoriser_;
};

class AuthoriserAuditPolicy final : public audit::AuditReadPolicy {
 public:
  AuthoriserAuditPolicy(std::shared_ptr<access::Authoriser> authoriser,
                        std::shared_ptr<services::AccessView> access, const storage::EventLog& log)
      : authoriser_(std::move(authoriser)), access_(std::move(access)), log_(log) {}

  absl::Status MayReadCaseAccess(const grpc::ServerContextBase& context,
                                 const std::string& case_id) const override {
    auto principal = authoriser_->Authorize(context, access::Permission::kReadAccessLog);
    if (!principal.ok()) return principal.status();
    if (!NeedsSubtree(*principal)) return absl::OkStatus();
    auto unit = services::CaseUnitOf(log_, case_id);
    if (!unit.ok()) return unit.status();
    return authoriser_->CheckCase(*principal, case_id, *unit);
  }

  absl::Status MayReadUserAccess(const grpc::ServerContextBase& context,
                                 const std::string& user_id) const override {
    auto principal = authoriser_->Authorize(context, access::Permission::kReadAccessLog);
    if (!principal.ok()) return principal.status();
    if (!NeedsSubtree(*principal)) return absl::OkStatus();
    auto user = access_->FindUser(user_id);
    if (!user.ok()) return user.status();
    // A user of no unit (a partner, an admin) or of a unit out of reach: the
    // same denial, so the answer does not tell who exists.
    const std::string unit = user->has_value() ? (*user)->org_unit_id : "";
    if (!unit.empty() && authoriser_->CheckUnit(*principal, unit).ok()) return absl::OkStatus();
    return absl::PermissionDeniedError(
        absl::StrCat("rule supervisor_unit_subtree: user ", user_id,
                     " does not belong to the subtree of your unit ", principal->org_unit_id));
  }

 private:
  static bool NeedsSubtree(const access::Principal& principal) {
    return !principal.development && principal.role == access::v1::ROLE_SUPERVISOR;
  }

  const std::shared_ptr<access::Authoriser> authoriser_;
  const std::shared_ptr<services::AccessView> access_;
  const storage::EventLog& log_;
};

}  // namespace

std::shared_ptr<legalaid::PartnerCallers> MakePartnerCallers(
    std::shared_ptr<access::Authoriser> authoriser) {
  return std::make_shared<AuthoriserPartnerCallers>(std::move(authoriser));
}

std::shared_ptr<audit::AuditReadPolicy> MakeAuditReadPolicy(
    std::shared_ptr<access::Authoriser> authoriser, std::shared_ptr<services::AccessView> access,
    const storage::EventLog& log) {
  return std::make_shared<AuthoriserAuditPolicy>(std::move(authoriser), std::move(access), log);
}

}  // namespace haven::server
