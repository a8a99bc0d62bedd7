// The authoriser's view of the org units, answered by a DirectoryView.
#ifndef HAVEN_SERVICES_ACCESS_SERVICE_DIRECTORY_UNIT_TREE_H_
#define HAVEN_SERVICES_ACCESS_SERVICE_DIRECTORY_UNIT_TREE_H_

#include <memory>
#include <string>

#include "services/access/authoriser/unit_tree.h"
#include "services/directory/service/directory_view.h"

namespace haven::services {

class DirectoryUnitTree final : public access::UnitTree {
 public:
  explicit DirectoryUnitTree(std::shared_ptr<DirectoryView> view) : view_(std::move(view)) {}

  bool Exists(const std::string& unit_id) override { return view_->Exists(unit_id); }
  bool IsInSubtree(const std::string& unit_id, const std::string& root_id) override {
    return view_->IsInSubtree(unit_id, root_id);
  }
  bool IsRoot(const std::string& unit_id) override {
    bool root = false;
    // A failed read answers false: the caller is then treated as one
    // without the whole tree in reach, which reveals less.
    (void)view_->Read([&](const directory::Directory& state) {
      root = state.root() != nullptr && state.root()->id == unit_id;
    });
    return root;
  }

 private:
  const std::shared_ptr<DirectoryView> view_;
};

}  // namespace haven::services

#endif  // HAVEN_SERVICES_ACCESS_SERVICE_DIRECTORY_UNIT_TREE_H_
