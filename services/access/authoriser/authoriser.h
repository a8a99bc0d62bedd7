// The Authoriser: who a call comes from (a Principal), and whether she may
// do what the call asks.  Every rpc of every Haven service asks it first
// (services/access/RULES.md lists the rules).
//
// Two modes:
// - Enforced (havend): the caller is the user the transport authenticated
//   (services/auth/caller.h), looked up in the AccessView; the haven-actor
//   metadata is ignored.  No credentials, or credentials of a user nobody
//   registered: UNAUTHENTICATED.  A disabled user: PERMISSION_DENIED
//   "rule user_enabled: ...".
// - Development (havend --insecure-plaintext, in-process tests): every
//   caller is allowed everything and named by the haven-actor metadata
//   ("anonymous" without it), as before authorisation existed.
//
// A denial is PERMISSION_DENIED "rule <name>: <why>".  Jurisdiction denials
// never tell a case out of reach from a case that does not exist: both get
// the same message, and NOT_FOUND is left to callers whose reach covers the
// whole directory.
//
// Thread safety: all methods may be called concurrently.
#ifndef HAVEN_SERVICES_ACCESS_AUTHORISER_AUTHORISER_H_
#define HAVEN_SERVICES_ACCESS_AUTHORISER_AUTHORISER_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "grpcpp/server_context.h"
#include "services/access/authoriser/permissions.h"
#include "services/access/authoriser/principal.h"
#include "services/access/authoriser/unit_tree.h"
#include "services/access/service/access_view.h"
#include "services/cases/domain/case_state.h"

namespace haven::access {

class Authoriser {
 public:
  // Names the user a call comes from: nullopt when it carries no
  // credentials.
  using CallerResolver =
      std::function<std::optional<std::string>(const grpc::ServerContextBase& context)>;

  // Enforced: the caller is auth::AuthenticatedUserId.
  static std::shared_ptr<Authoriser> Enforced(std::shared_ptr<services::AccessView> access,
                                              std::shared_ptr<UnitTree> units);
  // Development: everyone allowed everything, named by haven-actor.
  static std::shared_ptr<Authoriser> Development();
  // Enforced rules with the caller named by `resolver`: for tests that play
  // every role over one in-process server.  havend never builds one.
  static std::shared_ptr<Authoriser> WithResolver(std::shared_ptr<services::AccessView> access,
                                                  std::shared_ptr<UnitTree> units,
                                                  CallerResolver resolver);

  bool enforced() const { return !development_; }

  // The caller of `context`, if she holds `permission`.  Errors:
  // UNAUTHENTICATED, PERMISSION_DENIED "rule user_enabled: ..." (see
  // above), PERMISSION_DENIED "rule <RuleOf(permission)>: ..."; in
  // development mode INVALID_ARGUMENT "metadata haven-actor: ..." for a
  // malformed actor; the access view's read errors.
  absl::StatusOr<Principal> Authorize(const grpc::ServerContextBase& context,
                                      Permission permission) const;

  // Whether the case `case_id`, of org unit `case_unit` (nullopt: there is
  // no such case), is within the principal's reach: her unit's subtree.
  // PERMISSION_DENIED "rule <role>_unit_subtree: ..." otherwise, the same
  // for a case that does not exist unless her unit is the root (then OK,
  // and the rpc answers NOT_FOUND).
  absl::Status CheckCase(const Principal& principal, const std::string& case_id,
                         const std::optional<std::string>& case_unit) const;
  // The same for any record of a unit ("loan X", "child Y"): `what` names
  // it in the denial.
  absl::Status CheckRecord(const Principal& principal, const std::string& what,
                           const std::optional<std::string>& unit) const;

  // Whether the unit `unit_id` is within the principal's reach (opening a
  // case there, listing or counting its cases).  OK for a unit that does
  // not exist (units are no secret: the rpc refuses it with
  // INVALID_ARGUMENT); PERMISSION_DENIED "rule <role>_unit_subtree: ..."
  // for one outside her subtree.
  absl::Status CheckUnit(const Principal& principal, const std::string& unit_id) const;

  // The unit a list or statistics query is scoped to: `requested`, or the
  // principal's own unit when empty (in development mode `requested` as
  // is), checked by CheckUnit.
  absl::StatusOr<std::string> ScopeUnit(const Principal& principal,
                                        const std::string& requested) const;

  // The unit a statistics query counts: `requested`, or her own unit when
  // empty.  Statistics of any unit may be read; `exact` is false for a unit
  // outside her subtree, whose small cells the rpc must withhold
  // (services/common/small_cells.h).  PERMISSION_DENIED for a caller with
  // no unit.
  struct StatisticsScope {
    std::string unit;
    bool exact = true;
  };
  absl::StatusOr<StatisticsScope> ScopeStatistics(const Principal& principal,
                                                  const std::string& requested) const;

  // For the partner API: OK if the principal is a legal-aid partner user
  // and `state` (the case `case_id` as it is now) holds a referral to her
  // organisation that is open (made or accepted).  PERMISSION_DENIED
  // "rule partner_referral: ..." otherwise, the same whether the case
  // exists or not.
  absl::Status AuthorizePartnerCase(const Principal& principal, const std::string& case_id,
                                    const cases::CaseState& state) const;

 private:
  Authoriser(std::shared_ptr<services::AccessView> access, std::shared_ptr<UnitTree> units,
             CallerResolver resolver, bool development);

  absl::StatusOr<Principal> Resolve(const grpc::ServerContextBase& context) const;
  absl::Status OutOfReach(const Principal& principal, const std::string& what) const;

  const std::shared_ptr<services::AccessView> access_;
  const std::shared_ptr<UnitTree> units_;
  const CallerResolver resolver_;
  const bool development_;
};

}  // namespace haven::access

#endif  // HAVEN_SERVICES_ACCESS_AUTHORISER_AUTHORISER_H_
