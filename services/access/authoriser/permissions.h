// What each role may do: the permission table of services/access/RULES.md.
// Permissions say which rpcs a role may call at all; jurisdiction (which
// cases and units) is checked on top by the Authoriser.
#ifndef HAVEN_SERVICES_ACCESS_AUTHORISER_PERMISSIONS_H_
#define HAVEN_SERVICES_ACCESS_AUTHORISER_PERMISSIONS_H_

#include <string>

#include "haven/access/v1/access.pb.h"

namespace haven::access {

enum class Permission {
  // AccessAdminService.GetCaller: every enabled user.
  kIdentifySelf,
  // EventStore Append, ReadStream, ReadAll, Subscribe: they expose and
  // write every stream, so only the system role.
  kRawEventStore,
  // DirectoryService GetUnit, ListChildren, ListSubtree, FindByCode:
  // operators, supervisors, admins.
  kReadDirectory,
  // DirectoryService CreateUnit, RenameUnit, MoveUnit, CloseUnit: admins.
  kWriteDirectory,
  // AccessAdminService but GetCaller: admins.
  kAdministerAccess,
  // CaseService commands, on the cases of her unit's subtree: operators.
  kWorkCases,
  // CaseService GetCase, GetCaseHistory, ListCases, within her unit's
  // subtree: operators, supervisors.
  kReadCases,
  // CaseService GetStatistics, within her unit's subtree: operators,
  // supervisors.  Not admins: they read no case data, and small counts of
  // a village can name a woman.
  kReadStatistics,
  // CaseService GetProjectionStatus (lags and errors, no case data):
  // operators, supervisors, admins, system.
  kViewProjections,
  // CaseService RebuildProjections: admins.
  kRebuildProjections,
  // LegalAidService: legal-aid partner users, on their organisation's
  // referrals (AuthorizePartnerCase).
  kWorkReferrals,
  // AuditService: auditors (every record), supervisors (cases and users of
  // her unit's subtree).
  kReadAccessLog,
  // The federation's programmes (loans, children and mentors, micro-homes,
  // projects): commands by operators within her unit's subtree.
  kWorkProgrammes,
  // Their records and lists: operators and supervisors, within her subtree.
  kReadProgrammes,
  // TargetService SetTarget, WithdrawTarget, for units of her subtree:
  // supervisors (plans are the federations' leadership's business).
  kPlanTargets,
};

// The rule a denial of `permission` names, e.g. "case_work".
const char* RuleOf(Permission permission);

// True if `role` holds `permission`.
bool RoleHas(v1::Role role, Permission permission);

// Who holds it, for messages: "operators", "operators and supervisors".
std::string HoldersOf(Permission permission);

}  // namespace haven::access

#endif  // HAVEN_SERVICES_ACCESS_AUTHORISER_PERMISSIONS_H_
