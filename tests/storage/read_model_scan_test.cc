// ReadModelStore::Scan: bounds, prefixes, limits and both directions, on the
// in-memory and the RocksDB store.
#include <cstdlib>
#include <string>
#include <vector>

#include "storage/read_model_store.h"
#include "tests/storage/contract_fixture.h"

namespace haven::storage::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::IsEmpty;

const std::vector<std::string>& Keys() {
  static const auto* keys = new std::vector<std::string>{
      "", "a", "b", "ba", "bb", "bc", "c", "d", "\xff", "\xff\x01", "\xff\xff"};
  return *keys;
}

class ReadModelScanTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "memory") {
      store_ = ReadModelStore::OpenInMemory();
    } else {
      std::string tmpl = (std::filesystem::temp_directory_path() / "haven-rm-XXXXXX").string();
      ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
      dir_ = tmpl;
      ASSERT_OK_AND_ASSIGN(store_, ReadModelStore::Open((dir_ / "read-models").string()));
    }
    // Neighbouring namespaces whose rows must never leak into "x"'s scans.
    auto batch = store_->NewBatch();
    for (const std::string& key : Keys()) batch->Put("x", key, "v" + key);
    for (const char* ns : {"w", "x.y", "xy"}) {
      batch->Put(ns, "", ns);
      batch->Put(ns, "b", ns);
      batch->Put(ns, "\xff\xff\xff", ns);
    }
    ASSERT_OK(store_->Commit(std::move(batch), {{"w", 1}, {"x", 1}, {"x.y", 1}, {"xy", 1}}));
  }

  void TearDown() override {
    store_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  // The keys a scan of "x" returns.
  std::vector<std::string> ScanKeys(const ScanOptions& options) {
    auto rows = store_->Scan("x", options);
    EXPECT_TRUE(rows.ok()) << rows.status();
    std::vector<std::string> keys;
    if (!rows.ok()) return keys;
    for (const KeyValue& row : *rows) {
      EXPECT_EQ(row.value, "v" + row.key);
      keys.push_back(row.key);
    }
    return keys;
  }

  static ScanOptions Range(std::string start, std::string end, std::string prefix = "",
                           Direction direction = Direction::kForwards) {
    ScanOptions options;
    options.start = std::move(start);
    options.end = std::move(end);
    options.prefix = std::move(prefix);
    options.direction = direction;
    return options;
  }

  std::filesystem::path dir_;
  std::unique_ptr<ReadModelStore> store_;
};

TEST_P(ReadModelScanTest, WholeNamespaceBothWays) {
  EXPECT_THAT(ScanKeys({}), ElementsAreArray(Keys()));
  std::vector<std::string> reversed(Keys().rbegin(), Keys().rend());
  EXPECT_THAT(ScanKeys(Range("", "", "", Direction::kBackwards)), ElementsAreArray(reversed));
}

TEST_P(ReadModelScanTest, StartIsInclusiveEndExclusive) {
  EXPECT_THAT(ScanKeys(Range("b", "c")), ElementsAre("b", "ba", "bb", "bc"));
  EXPECT_THAT(ScanKeys(Range("b", "c", "", Direction::kBackwards)),
              ElementsAre("bc", "bb", "ba", "b"));
  EXPECT_THAT(ScanKeys(Range("bb", "")),
              ElementsAre("bb", "bc", "c", "d", "\xff", "\xff\x01", "\xff\xff"));
  EXPECT_THAT(ScanKeys(Range("", "b", "", Direction::kBackwards)), ElementsAre("a", ""));
  EXPECT_THAT(ScanKeys(Range("c", "b")), IsEmpty());
  EXPECT_THAT(ScanKeys(Range("b", "b")), IsEmpty());
}

TEST_P(ReadModelScanTest, PrefixCombinesWithBounds) {
  EXPECT_THAT(ScanKeys(Range("", "", "b")), ElementsAre("b", "ba", "bb", "bc"));
  EXPECT_THAT(ScanKeys(Range("", "", "b", Direction::kBackwards)),
              ElementsAre("bc", "bb", "ba", "b"));
  EXPECT_THAT(ScanKeys(Range("bb", "", "b")), ElementsAre("bb", "bc"));
  EXPECT_THAT(ScanKeys(Range("", "bb", "b")), ElementsAre("b", "ba"));
  EXPECT_THAT(ScanKeys(Range("", "", "bz")), IsEmpty());
  EXPECT_THAT(ScanKeys(Range("c", "", "b")), IsEmpty());
  // A prefix of 0xff bytes has no successor: it runs to the namespace's end.
  EXPECT_THAT(ScanKeys(Range("", "", "\xff")), ElementsAre("\xff", "\xff\x01", "\xff\xff"));
  EXPECT_THAT(ScanKeys(Range("", "", "\xff\xff", Direction::kBackwards)), ElementsAre("\xff\xff"));
}

TEST_P(ReadModelScanTest, LimitTakesRowsFromTheScansStart) {
  ScanOptions options;
  options.limit = 3;
  EXPECT_THAT(ScanKeys(options), ElementsAre("", "a", "b"));
  options.direction = Direction::kBackwards;
  EXPECT_THAT(ScanKeys(options), ElementsAre("\xff\xff", "\xff\x01", "\xff"));
  options.limit = 0;
  EXPECT_THAT(ScanKeys(options), IsEmpty());
}

TEST_P(ReadModelScanTest, PagesCoverEveryRowOnce) {
  for (Direction direction : {Direction::kForwards, Direction::kBackwards}) {
    ScanOptions page;
    page.limit = 3;
    page.direction = direction;
    std::vector<std::string> seen;
    for (int pages = 0; pages < 10; ++pages) {
      std::vector<std::string> keys = ScanKeys(page);
      seen.insert(seen.end(), keys.begin(), keys.end());
      if (keys.size() < page.limit) break;
      if (direction == Direction::kForwards) {
        page.start = keys.back() + std::string(1, '\0');
      } else {
        page.end = keys.back();
      }
    }
    std::vector<std::string> want = Keys();
    if (direction == Direction::kBackwards) want.assign(Keys().rbegin(), Keys().rend());
    EXPECT_THAT(seen, ElementsAreArray(want));
  }
}

TEST_P(ReadModelScanTest, NeighbouringNamespacesStayApart) {
  for (const char* ns : {"w", "x.y", "xy"}) {
    ASSERT_OK_AND_ASSIGN(auto rows, store_->Scan(ns, {}));
    EXPECT_THAT(rows,
                ElementsAre(KeyValue{"", ns}, KeyValue{"b", ns}, KeyValue{"\xff\xff\xff", ns}));
  }
  ASSERT_OK_AND_ASSIGN(auto rows, store_->Scan("empty", {}));
  EXPECT_THAT(rows, IsEmpty());
}

TEST_P(ReadModelScanTest, ScansDoNotSeeUncommittedWrites) {
  auto batch = store_->NewBatch();
  batch->Put("x", "bd", "vbd");
  batch->Delete("x", "ba");
  EXPECT_THAT(ScanKeys(Range("", "", "b")), ElementsAre("b", "ba", "bb", "bc"));
  ASSERT_OK(store_->Commit(std::move(batch), {{"x", 2}}));
  EXPECT_THAT(ScanKeys(Range("", "", "b")), ElementsAre("b", "bb", "bc", "bd"));
}

INSTANTIATE_TEST_SUITE_P(Stores, ReadModelScanTest, ::testing::Values("memory", "rocksdb"),
                         ImplName);

}  // namespace
}  // namespace haven::storage::testing
