// Test helpers for the directory domain: a realistic tree (part of 南京市)
// built through Decide and Evolve, and a status matcher.
#ifndef HAVEN_TESTS_DIRECTORY_NANJING_TREE_H_
#define HAVEN_TESTS_DIRECTORY_NANJING_TREE_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/directory/domain/decide.h"
#include "services/directory/domain/directory.h"
#include "services/directory/domain/evolve.h"

namespace haven::directory {

// Matches an absl::Status with `code` whose message holds `text`.
MATCHER_P2(StatusIs, code, text,
           std::string(negation ? "isn't " : "is ") + absl::StatusCodeToString(code) +
               " mentioning \"" + std::string(text) + "\"") {
  *result_listener << "status: " << arg.ToString();
  return arg.code() == code && absl::StrContains(arg.message(), text);
}

class DirectoryTest : public ::testing::Test {
 protected:
  // Decides `command` on the state and, if accepted, evolves the state.
  absl::Status Apply(const Command& command) {
    auto event = Decide(state_, command);
    if (!event.ok()) return event.status();
    if (auto s = Evolve(state_, *event); !s.ok()) return s;
    state_.set_next_version(state_.next_version() + 1);
    return absl::OkStatus();
  }

  void Create(const std::string& id, const std::string& name, v1::UnitKind kind,
              const std::string& parent, const std::string& code = "") {
    ASSERT_TRUE(Apply(CreateUnit{id, name, kind, parent, code}).ok())
        << Apply(CreateUnit{id, name, kind, parent, code});
  }

  // 南京市
  // ├─ 玄武区
  // │  ├─ 梅园新村街道
  // │  │  ├─ 长江路社区
  // │  │  │  └─ 长江路巾帼微家 (micro-home)
  // │  │  └─ 大行宫社区
  // │  ├─ 玄武门街道
  // │  │  └─ 丹凤街社区
  // │  └─ 玄武区区直机关妇委会 (department committee)
  // └─ 高淳区
  //    └─ 砖墙镇
  //       └─ 茅城村
  void BuildNanjing() {
    Create("nj", "南京市", v1::UNIT_KIND_CITY, "", "320100000000");
    Create("nj-xw", "玄武区", v1::UNIT_KIND_DISTRICT, "nj", "320102000000");
    Create("nj-xw-my", "梅园新村街道", v1::UNIT_KIND_STREET, "nj-xw", "320102002000");
    Create("nj-xw-my-cjl", "长江路社区", v1::UNIT_KIND_COMMUNITY, "nj-xw-my", "320102002001");
    Create("nj-xw-my-cjl-wj1", "长江路巾帼微家", v1::UNIT_KIND_MICRO_HOME, "nj-xw-my-cjl");
    Create("nj-xw-my-dxg", "大行宫社区", v1::UNIT_KIND_COMMUNITY, "nj-xw-my", "320102002002");
    Create("nj-xw-xwm", "玄武门街道", v1::UNIT_KIND_STREET, "nj-xw", "320102003000");
    Create("nj-xw-xwm-dfj", "丹凤街社区", v1::UNIT_KIND_COMMUNITY, "nj-xw-xwm", "320102003001");
    Create("nj-xw-jg", "玄武区区直机关妇委会", v1::UNIT_KIND_DEPARTMENT_COMMITTEE, "nj-xw");
    Create("nj-gc", "高淳区", v1::UNIT_KIND_DISTRICT, "nj", "320118000000");
    Create("nj-gc-zq", "砖墙镇", v1::UNIT_KIND_TOWNSHIP, "nj-gc", "320118102000");
    Create("nj-gc-zq-mc", "茅城村", v1::UNIT_KIND_VILLAGE, "nj-gc-zq", "320118102201");
  }

  Directory state_;
};

}  // namespace haven::directory

#endif  // HAVEN_TESTS_DIRECTORY_NANJING_TREE_H_
