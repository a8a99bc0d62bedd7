// The world the case projection tests run in: a directory of units (part of
// 杭州市), synthetic case histories appended to an event log at their own
// times (a ManualClock), and the case projections following the log.
#ifndef HAVEN_TESTS_CASES_PROJECTIONS_PROJECTION_FIXTURE_H_
#define HAVEN_TESTS_CASES_PROJECTIONS_PROJECTION_FIXTURE_H_

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "services/cases/projections/case_projections.h"
#include "services/directory/service/directory_view.h"
#include "storage/clock.h"
#include "storage/event_log.h"
#include "storage/projection_runner.h"
#include "storage/read_model_store.h"
#include "tests/cases/projections/oracle.h"
#include "tests/cases/projections/synthetic_cases.h"
#include "tests/storage/contract_fixture.h"

namespace haven::cases::testing {

class CaseProjectionsTest : public ::testing::Test {
 protected:
  void TearDown() override;

  // Opens the log and the store (RocksDB in a temporary directory, or in
  // memory), creates the directory and generates the cases.  The directory
  // is part of 杭州市 (13 units), or with `big_city` a city of 5 counties,
  // 50 townships and 500 villages whose cases are in the villages.
  void SetUpWorld(bool rocksdb = false, int cases = 1000, uint64_t seed = 7, bool big_city = false);
  // Appends events [begin, end) of order_, each at its own time.
  void AppendEvents(size_t begin, size_t end);
  void AppendAll() { AppendEvents(appended_, order_.size()); }
  // Starts the projections and waits until they reach the log's head.
  void StartRunner(std::chrono::seconds patience = std::chrono::seconds(60),
                   storage::ProjectionRunnerOptions options = {});
  void CatchUp(std::chrono::seconds patience = std::chrono::seconds(60));
  // Moves a unit under another parent (directory command, in the log).
  void MoveUnit(const std::string& unit_id, const std::string& new_parent_id);

  // The subtree of `root` by the test's own copy of the tree.
  std::set<std::string> Subtree(const std::string& root) const;
  // The index in order_ of the first event recorded after `day` (CST).
  size_t FirstEventAfter(absl::CivilDay day) const;

  // Every row of the case namespaces, for byte-for-byte comparisons.
  std::map<std::string, std::vector<storage::KeyValue>> AllRows() const;

  CaseSummaryReader Summaries() const { return CaseSummaryReader(*store_, runner_.get()); }
  CaseListReader Lists() const { return CaseListReader(*store_, directory_.get(), runner_.get()); }
  CaseStatsReader Stats() const {
    return CaseStatsReader(*store_, directory_.get(), runner_.get());
  }

  std::shared_ptr<storage::ManualClock> clock_;
  std::unique_ptr<storage::EventLog> log_;
  std::unique_ptr<storage::ReadModelStore> store_;
  std::unique_ptr<storage::ProjectionRunner> runner_;
  std::unique_ptr<services::DirectoryView> directory_;
  std::vector<SyntheticCase> cases_;
  std::vector<SyntheticEvent*> order_;
  size_t appended_ = 0;
  std::map<std::string, std::string> parent_;  // unit -> parent ("" for the root)
  std::filesystem::path dir_;
  int directory_commands_ = 0;
};

}  // namespace haven::cases::testing

#endif  // HAVEN_TESTS_CASES_PROJECTIONS_PROJECTION_FIXTURE_H_
