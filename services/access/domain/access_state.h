// The access aggregate's state: every user and partner organisation ever
// registered, folded from the "principals" stream by Evolve.
//
// Thread safety: a plain value; const methods may run concurrently,
// anything that mutates it needs exclusive access.
#ifndef HAVEN_SERVICES_ACCESS_DOMAIN_ACCESS_STATE_H_
#define HAVEN_SERVICES_ACCESS_DOMAIN_ACCESS_STATE_H_

#include <cstdint>
#include <map>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "haven/access/v1/access.pb.h"

namespace haven::access {

struct User {
  std::string id;
  std::string display_name;  // Personal data: never logged.
  v1::Role role = v1::ROLE_UNSPECIFIED;
  std::string org_unit_id;  // Empty when the role has none.
  std::string partner_id;   // Legal-aid partner users only.
  bool disabled = false;
  std::string disabled_reason;
};

struct Partner {
  std::string id;
  std::string name;
  std::string org_unit_id;
};

class AccessState {
 public:
  // nullptr if there is none.
  const User* FindUser(absl::string_view user_id) const;
  const Partner* FindPartner(absl::string_view partner_id) const;

  // In id order.
  const std::map<std::string, User, std::less<>>& users() const { return users_; }
  const std::map<std::string, Partner, std::less<>>& partners() const { return partners_; }

  // Admins that are not disabled.
  int EnabledAdmins() const;
  // Users of `partner_id`, enabled or not.
  int UsersOfPartner(absl::string_view partner_id) const;

  // How many events were folded in: the version the next event of the
  // stream gets (0 while empty).
  uint64_t next_version() const { return next_version_; }
  void set_next_version(uint64_t version) { next_version_ = version; }

 private:
  friend absl::Status Evolve(AccessState& state, const v1::AccessEvent& event);

  std::map<std::string, User, std::less<>> users_;
  std::map<std::string, Partner, std::less<>> partners_;
  uint64_t next_version_ = 0;
};

}  // namespace haven::access

#endif  // HAVEN_SERVICES_ACCESS_DOMAIN_ACCESS_STATE_H_
