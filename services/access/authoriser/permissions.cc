#include "services/access/authoriser/permissions.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace haven::access {
namespace {

struct Entry {
  Permission permission;
  const char* rule;
  std::vector<v1::Role> holders;
};

const std::vector<Entry>& Table() {
  static const std::vector<Entry>* const kTable = new std::vector<Entry>{
      {Permission::kIdentifySelf,
       "identify_self",
       {v1::ROLE_OPERATOR, v1::ROLE_SUPERVISOR, v1::ROLE_LEGAL_AID_PARTNER, v1::ROLE_AUDITOR,
        v1::ROLE_ADMIN, v1::ROLE_SYSTEM}},
      {Permission::kRawEventStore, "raw_event_store", {v1::ROLE_SYSTEM}},
      {Permission::kReadDirectory,
       "directory_read",
       {v1::ROLE_OPERATOR, v1::ROLE_SUPERVISOR, v1::ROLE_ADMIN}},
      {Permission::kWriteDirectory, "directory_write", {v1::ROLE_ADMIN}},
      {Permission::kAdministerAccess, "access_admin", {v1::ROLE_ADMIN}},
      {Permission::kWorkCases, "case_work", {v1::ROLE_OPERATOR}},
      {Permission::kReadCases, "case_read", {v1::ROLE_OPERATOR, v1::ROLE_SUPERVISOR}},
      {Permission::kReadStatistics, "statistics_read", {v1::ROLE_OPERATOR, v1::ROLE_SUPERVISOR}},
      {Permission::kViewProjections,
       "projection_status",
       {v1::ROLE_OPERATOR, v1::ROLE_SUPERVISOR, v1::ROLE_ADMIN, v1::ROLE_SYSTEM}},
      {Permission::kRebuildProjections, "projection_rebuild", {v1::ROLE_ADMIN}},
      {Permission::kWorkReferrals, "partner_api", {v1::ROLE_LEGAL_AID_PARTNER}},
      {Permission::kReadAccessLog, "access_log_read", {v1::ROLE_AUDITOR, v1::ROLE_SUPERVISOR}},
      {Permission::kWorkProgrammes, "programme_work", {v1::ROLE_OPERATOR}},
      {Permission::kReadProgrammes, "programme_read", {v1::ROLE_OPERATOR, v1::ROLE_SUPERVISOR}},
      {Permission::kPlanTargets, "target_plan", {v1::ROLE_SUPERVISOR}},
  };
  return *kTable;
}

const Entry& EntryOf(Permission permission) {
  for (const Entry& e : Table()) {
    if (e.permission == permission) return e;
  }
  return Table().front();  // Unreachable: every permission has an entry.
}

std::string Plural(v1::Role role) {
  switch (role) {
    case v1::ROLE_OPERATOR: return "operators";
    case v1::ROLE_SUPERVISOR: return "supervisors";
    case v1::ROLE_LEGAL_AID_PARTNER: return "legal-aid partner users";
    case v1::ROLE_AUDITOR: return "auditors";
    case v1::ROLE_ADMIN: return "admins";
    case v1::ROLE_SYSTEM: return "the system role";
    default: return "nobody";
  }
}

}  // namespace

const char* RuleOf(Permission permission) { return EntryOf(permission).rule; }

bool RoleHas(v1::Role role, Permission permission) {
  for (v1::Role holder : EntryOf(permission).holders) {
    if (holder == role) return true;
  }
  return false;
}

std::string HoldersOf(Permission permission) {
  std::vector<std::string> names;
  for (v1::Role role : EntryOf(permission).holders) names.push_back(Plural(role));
  if (names.size() == 1) return names[0];
  std::string last = names.back();
  names.pop_back();
  return absl::StrCat(absl::StrJoin(names, ", "), " and ", last);
}

}  // namespace haven::access
