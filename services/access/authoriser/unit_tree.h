// What the authoriser asks of the directory of org units.  The server
// answers with its DirectoryView (services/access/service/
// directory_unit_tree.h); the interface keeps the authoriser free of the
// directory service, which itself asks the authoriser.
#ifndef HAVEN_SERVICES_ACCESS_AUTHORISER_UNIT_TREE_H_
#define HAVEN_SERVICES_ACCESS_AUTHORISER_UNIT_TREE_H_

#include <string>

namespace haven::access {

class UnitTree {
 public:
  virtual ~UnitTree() = default;
  // True if a unit with this id was ever created.
  virtual bool Exists(const std::string& unit_id) = 0;
  // True if `unit_id` is `root_id` or lies below it; false if either is
  // unknown.
  virtual bool IsInSubtree(const std::string& unit_id, const std::string& root_id) = 0;
  // True if `unit_id` is the root of the tree (every unit lies below it).
  virtual bool IsRoot(const std::string& unit_id) = 0;
};

}  // namespace haven::access

#endif  // HAVEN_SERVICES_ACCESS_AUTHORISER_UNIT_TREE_H_
