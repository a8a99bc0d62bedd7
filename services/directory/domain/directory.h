// The directory's state: every org unit ever created, folded from the
// "directory" stream by Evolve, and the queries other code asks of it.
//
// Thread safety: a Directory is a plain value; const methods may run
// concurrently, anything that mutates it needs exclusive access.
#ifndef HAVEN_SERVICES_DIRECTORY_DOMAIN_DIRECTORY_H_
#define HAVEN_SERVICES_DIRECTORY_DOMAIN_DIRECTORY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "haven/directory/v1/directory.pb.h"

namespace haven::directory {

struct Unit {
  std::string id;
  std::string name;
  v1::UnitKind kind = v1::UNIT_KIND_UNSPECIFIED;
  std::string parent_id;         // Empty for the root.
  std::string statistical_code;  // Empty when the unit has none.
  bool closed = false;
  // Open and closed children, in the order they joined this unit.
  std::vector<std::string> children;
};

class Directory {
 public:
  // The unit with `unit_id`, open or closed; nullptr if there is none.
  const Unit* Find(absl::string_view unit_id) const;
  // The open unit holding `code`; nullptr if none does.
  const Unit* FindOpenByCode(absl::string_view code) const;
  // The open child of `parent` named `name`; nullptr if there is none.
  const Unit* FindOpenChildNamed(const Unit& parent, absl::string_view name) const;

  // The root city; nullptr while the directory is empty.
  const Unit* root() const { return Find(root_id_); }
  size_t size() const { return units_.size(); }
  // How many events were folded in: the version the next event of the
  // stream gets (0 while empty).
  uint64_t next_version() const { return next_version_; }
  void set_next_version(uint64_t version) { next_version_ = version; }

  // `unit_id` and all its descendants, open and closed, depth first with
  // children in the order they joined.  NOT_FOUND naming unit_id if unknown.
  absl::StatusOr<std::vector<std::string>> Subtree(absl::string_view unit_id) const;
  // The ids from the root down to the unit's parent (empty for the root).
  // NOT_FOUND naming unit_id if unknown.
  absl::StatusOr<std::vector<std::string>> Ancestors(absl::string_view unit_id) const;
  // The names from the root down to the unit, joined by '/':
  // "南京市/玄武区/梅园新村街道".  NOT_FOUND naming unit_id if unknown.
  absl::StatusOr<std::string> Path(absl::string_view unit_id) const;
  // True if `unit_id` is `root_id` or one of its descendants; false if
  // either is unknown.
  bool IsInSubtree(absl::string_view unit_id, absl::string_view root_id) const;

 private:
  friend absl::Status Evolve(Directory& state, const v1::DirectoryEvent& event);

  absl::flat_hash_map<std::string, Unit> units_;
  // Invariant: holds the code of every open unit that has one, and nothing else.
  absl::flat_hash_map<std::string, std::string> open_codes_;
  std::string root_id_;
  uint64_t next_version_ = 0;
};

}  // namespace haven::directory

#endif  // HAVEN_SERVICES_DIRECTORY_DOMAIN_DIRECTORY_H_
