#include "tests/cases/projections/projection_fixture.h"

#include <stdlib.h>

#include <chrono>

#include "absl/strings/str_cat.h"
#include "services/cases/domain/event_types.h"
#include "services/common/request_ids.h"
#include "services/directory/service/directory_commands.h"

namespace haven::cases::testing {
namespace {

namespace dv1 = ::haven::directory::v1;

struct UnitSpec {
  const char* id;
  const char* name;
  dv1::UnitKind kind;
  const char* parent;
  int weight;  // how many cases it gets, relatively
};

const std::vector<UnitSpec>& Tree() {
  static const auto* const kTree = new std::vector<UnitSpec>{
      {"hz", "杭州市", dv1::UNIT_KIND_CITY, "", 1},
      {"hz-xh", "西湖区", dv1::UNIT_KIND_DISTRICT, "hz", 1},
      {"hz-xh-bs", "北山街道", dv1::UNIT_KIND_STREET, "hz-xh", 1},
      {"hz-xh-bs-c1", "曙光社区", dv1::UNIT_KIND_COMMUNITY, "hz-xh-bs", 3},
      {"hz-xh-bs-c2", "松木场社区", dv1::UNIT_KIND_COMMUNITY, "hz-xh-bs", 3},
      {"hz-xh-lx", "留下街道", dv1::UNIT_KIND_STREET, "hz-xh", 1},
      {"hz-xh-lx-c1", "留下社区", dv1::UNIT_KIND_COMMUNITY, "hz-xh-lx", 3},
      {"hz-ca", "淳安县", dv1::UNIT_KIND_COUNTY, "hz", 1},
      {"hz-ca-qd", "千岛湖镇", dv1::UNIT_KIND_TOWNSHIP, "hz-ca", 1},
      {"hz-ca-qd-v1", "青溪村", dv1::UNIT_KIND_VILLAGE, "hz-ca-qd", 3},
      {"hz-ca-qd-v2", "汾口村", dv1::UNIT_KIND_VILLAGE, "hz-ca-qd", 3},
      {"hz-ca-wy", "威坪镇", dv1::UNIT_KIND_TOWNSHIP, "hz-ca", 1},
      {"hz-ca-wy-v1", "威坪村", dv1::UNIT_KIND_VILLAGE, "hz-ca-wy", 3},
  };
  return *kTree;
}

// 市 → 5 县 → 10 镇 each → 10 村 each; cases only in villages.
std::vector<UnitSpec> BigCity() {
  static const auto* const kNames = new std::vector<std::string>([] {
    std::vector<std::string> names;
    for (int c = 1; c <= 5; ++c) {
      names.push_back(absl::StrCat("第", c, "县"));
      for (int t = 1; t <= 10; ++t) {
        names.push_back(absl::StrCat("第", c, "县第", t, "镇"));
        for (int v = 1; v <= 10; ++v) names.push_back(absl::StrCat("第", t, "镇第", v, "村"));
      }
    }
    return names;
  }());
  static const auto* const kIds = new std::vector<std::string>([] {
    std::vector<std::string> ids;
    for (int c = 1; c <= 5; ++c) {
      ids.push_back(absl::StrCat("co", c));
      for (int t = 1; t <= 10; ++t) {
        ids.push_back(absl::StrCat("co", c, "-t", t));
        for (int v = 1; v <= 10; ++v) ids.push_back(absl::StrCat("co", c, "-t", t, "-v", v));
      }
    }
    return ids;
  }());
  std::vector<UnitSpec> tree = {{"city", "市", dv1::UNIT_KIND_CITY, "", 0}};
  size_t i = 0;
  for (int c = 1; c <= 5; ++c) {
    const char* county = (*kIds)[i].c_str();
    tree.push_back({county, (*kNames)[i].c_str(), dv1::UNIT_KIND_COUNTY, "city", 0});
    ++i;
    for (int t = 1; t <= 10; ++t) {
      const char* township = (*kIds)[i].c_str();
      tree.push_back({township, (*kNames)[i].c_str(), dv1::UNIT_KIND_TOWNSHIP, county, 0});
      ++i;
      for (int v = 1; v <= 10; ++v, ++i) {
        tree.push_back(
            {(*kIds)[i].c_str(), (*kNames)[i].c_str(), dv1::UNIT_KIND_VILLAGE, township, 1});
      }
    }
  }
  return tree;
}

}  // namespace

void CaseProjectionsTest::TearDown() {
  if (runner_) runner_->Stop();
  runner_.reset();
  directory_.reset();
  store_.reset();
  log_.reset();
  if (!dir_.empty()) std::filesystem::remove_all(dir_);
}

void CaseProjectionsTest::SetUpWorld(bool rocksdb, int cases, uint64_t seed, bool big_city) {
  const std::vector<UnitSpec> tree = big_city ? BigCity() : Tree();
  WorldOptions options;
  options.seed = seed;
  options.cases = cases;
  for (const UnitSpec& unit : tree) {
    for (int i = 0; i < unit.weight; ++i) options.units.push_back(unit.id);
  }
  clock_ = std::make_shared<storage::ManualClock>(options.start_us - kDayUs);
  storage::Options log_options;
  log_options.clock = clock_;
  log_options.sync = false;
  if (rocksdb) {
    std::string tmpl = (std::filesystem::temp_directory_path() / "haven-caseproj-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    log_options.data_dir = (dir_ / "log").string();
    ASSERT_OK_AND_ASSIGN(log_, storage::EventLog::Open(log_options));
    ASSERT_OK_AND_ASSIGN(store_, storage::ReadModelStore::Open((dir_ / "read-models").string()));
  } else {
    log_ = storage::EventLog::OpenInMemory(log_options);
    store_ = storage::ReadModelStore::OpenInMemory();
  }
  directory_ = std::make_unique<services::DirectoryView>(*log_);
  for (const UnitSpec& unit : tree) {
    parent_[unit.id] = unit.parent;
    auto outcome = services::RunDirectoryCommand(
        *log_, *directory_, directory::CreateUnit{unit.id, unit.name, unit.kind, unit.parent},
        std::nullopt, absl::StrCat("create-", unit.id), "admin");
    ASSERT_TRUE(outcome.ok()) << outcome.status();
  }
  cases_ = GenerateCases(options);
  order_ = InAppendOrder(cases_);
}

void CaseProjectionsTest::AppendEvents(size_t begin, size_t end) {
  ASSERT_EQ(begin, appended_);
  for (size_t i = begin; i < end; ++i) {
    SyntheticEvent& e = *order_[i];
    clock_->Set(e.at_us);
    storage::NewEvent event;
    event.event_id = services::EventIdFor("synthetic", e.stream, i);
    event.type = std::string(EventTypeOf(e.event));
    event.payload = EncodeCaseEvent(e.event);
    event.content_type = std::string(kCaseEventContentType);
    event.actor = e.event.actor();
    auto result = log_->Append(e.stream, storage::ExpectedVersion::Any(), {event});
    ASSERT_TRUE(result.ok()) << result.status();
    e.position = result->last_position;
    e.version = result->last_version;
  }
  appended_ = end;
}

void CaseProjectionsTest::StartRunner(std::chrono::seconds patience,
                                      storage::ProjectionRunnerOptions options) {
  ASSERT_OK_AND_ASSIGN(
      runner_, storage::ProjectionRunner::Create(*log_, *store_, MakeCaseProjections(), options));
  ASSERT_OK(runner_->Start());
  CatchUp(patience);
}

void CaseProjectionsTest::CatchUp(std::chrono::seconds patience) {
  ASSERT_OK(
      runner_->WaitForPosition(log_->HeadPosition(), std::chrono::steady_clock::now() + patience));
}

void CaseProjectionsTest::MoveUnit(const std::string& unit_id, const std::string& new_parent_id) {
  auto outcome = services::RunDirectoryCommand(
      *log_, *directory_, directory::MoveUnit{unit_id, new_parent_id, ""}, std::nullopt,
      absl::StrCat("move-", unit_id, "-", ++directory_commands_), "admin");
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  parent_[unit_id] = new_parent_id;
}

std::set<std::string> CaseProjectionsTest::Subtree(const std::string& root) const {
  std::set<std::string> units;
  for (const auto& [unit, parent] : parent_) {
    for (std::string u = unit; !u.empty(); u = parent_.at(u)) {
      if (u == root) {
        units.insert(unit);
        break;
      }
    }
  }
  return units;
}

size_t CaseProjectionsTest::FirstEventAfter(absl::CivilDay day) const {
  size_t i = 0;
  while (i < order_.size() && CstDay(order_[i]->at_us) <= day) ++i;
  return i;
}

std::map<std::string, std::vector<storage::KeyValue>> CaseProjectionsTest::AllRows() const {
  std::map<std::string, std::vector<storage::KeyValue>> rows;
  for (const std::string& ns : CaseProjectionNames()) {
    storage::ScanOptions options;
    options.limit = storage::ScanOptions::kNoLimit;
    auto scanned = store_->Scan(ns, options);
    EXPECT_TRUE(scanned.ok()) << scanned.status();
    if (scanned.ok()) rows[ns] = std::move(*scanned);
  }
  return rows;
}

}  // namespace haven::cases::testing
