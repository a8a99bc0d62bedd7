// The ReadModelStore contract: batches, commits, checkpoints, namespaces.
// Every test runs against the in-memory and the RocksDB store.
#include "storage/read_model_store.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <vector>
#include <iostream>
#include <thread>

#include "tests/storage/contract_fixture.h"

extern char** environ;

namespace haven::storage::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Optional;

constexpr char kCrashDirEnv[] = "HAVEN_READ_MODEL_CRASH_DIR";

class ReadModelStoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "memory") {
      store_ = ReadModelStore::OpenInMemory();
      return;
    }
    std::string tmpl = (std::filesystem::temp_directory_path() / "haven-rm-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    ASSERT_OK_AND_ASSIGN(store_, ReadModelStore::Open((dir_ / "read-models").string()));
  }

  void TearDown() override {
    store_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  bool persistent() const { return GetParam() == "rocksdb"; }

  void Reopen() {
    store_.reset();
    ASSERT_OK_AND_ASSIGN(store_, ReadModelStore::Open((dir_ / "read-models").string()));
  }

  // Commits one row to `ns` with checkpoint `position`.
  absl::Status PutOne(const std::string& ns, const std::string& key, const std::string& value,
                      uint64_t position) {
    auto batch = store_->NewBatch();
    batch->Put(ns, key, value);
    return store_->Commit(std::move(batch), {{ns, position}});
  }

  std::vector<KeyValue> Dump(const std::string& ns) {
    ScanOptions all;
    all.limit = ScanOptions::kNoLimit;
    auto rows = store_->Scan(ns, all);
    EXPECT_TRUE(rows.ok()) << rows.status();
    return rows.ok() ? *rows : std::vector<KeyValue>{};
  }

  std::filesystem::path dir_;
  std::unique_ptr<ReadModelStore> store_;
};

TEST_P(ReadModelStoreTest, EmptyStoreHasNoRowsAndZeroCheckpoints) {
  ASSERT_OK_AND_ASSIGN(auto value, store_->Get("cases", "k"));
  EXPECT_EQ(value, std::nullopt);
  ASSERT_OK_AND_ASSIGN(uint64_t checkpoint, store_->Checkpoint("cases"));
  EXPECT_EQ(checkpoint, 0u);
  ASSERT_OK_AND_ASSIGN(Checkpoints all, store_->ListCheckpoints());
  EXPECT_THAT(all, IsEmpty());
}

TEST_P(ReadModelStoreTest, BatchSeesItsOwnWritesOthersDoNot) {
  ASSERT_OK(PutOne("cases", "a", "1", 1));
  ASSERT_OK(PutOne("cases", "b", "2", 2));
  auto batch = store_->NewBatch();
  EXPECT_THAT(*batch->Get("cases", "a"), Optional(std::string("1")));
  batch->Put("cases", "a", "10");
  batch->Put("cases", "a", "11");
  batch->Delete("cases", "b");
  batch->Put("cases", "c", std::string("\0x", 2));
  EXPECT_THAT(*batch->Get("cases", "a"), Optional(std::string("11")));
  EXPECT_EQ(*batch->Get("cases", "b"), std::nullopt);
  EXPECT_THAT(*batch->Get("cases", "c"), Optional(std::string("\0x", 2)));
  EXPECT_EQ(*batch->Get("loans", "a"), std::nullopt) << "namespaces are separate";
  NamespaceBatch loans(*batch, "loans");
  loans.Put("a", "loan");
  EXPECT_THAT(*loans.Get("a"), Optional(std::string("loan")));
  EXPECT_THAT(*batch->Get("loans", "a"), Optional(std::string("loan")));
  EXPECT_THAT(*batch->Get("cases", "a"), Optional(std::string("11")));

  // Nothing is visible before the commit.
  EXPECT_THAT(*store_->Get("cases", "a"), Optional(std::string("1")));
  EXPECT_THAT(*store_->Get("cases", "b"), Optional(std::string("2")));
  EXPECT_EQ(*store_->Get("loans", "a"), std::nullopt);

  ASSERT_OK(store_->Commit(std::move(batch), {{"cases", 3}, {"loans", 3}}));
  EXPECT_THAT(Dump("cases"),
              ElementsAre(KeyValue{"a", "11"}, KeyValue{"c", std::string("\0x", 2)}));
  EXPECT_THAT(Dump("loans"), ElementsAre(KeyValue{"a", "loan"}));
}

// The projection runner folds the next batch while the last one is being
// committed: the batch on top reads through the one below, its own writes
// first, and the two commits in order leave the later writes.
TEST_P(ReadModelStoreTest, StackedBatchReadsThroughTheBatchBelowUntilBothAreCommitted) {
  ASSERT_OK(PutOne("cases", "a", "committed", 1));
  ASSERT_OK(PutOne("cases", "b", "committed", 1));
  ASSERT_OK(PutOne("cases", "c", "committed", 1));
  auto below = store_->NewBatch();
  below->Put("cases", "a", "below");
  below->Delete("cases", "b");
  below->Put("cases", "d", "新的");
  auto top = store_->NewBatch(below.get());
  EXPECT_THAT(*top->Get("cases", "a"), Optional(std::string("below")));
  EXPECT_EQ(*top->Get("cases", "b"), std::nullopt) << "deleted below";
  EXPECT_THAT(*top->Get("cases", "c"), Optional(std::string("committed")));
  EXPECT_THAT(*top->Get("cases", "d"), Optional(std::string("新的")));
  top->Put("cases", "a", "top");
  top->Put("cases", "b", "back");
  top->Delete("cases", "d");
  EXPECT_THAT(*top->Get("cases", "a"), Optional(std::string("top")));
  EXPECT_THAT(*top->Get("cases", "b"), Optional(std::string("back")));
  EXPECT_EQ(*top->Get("cases", "d"), std::nullopt);
  EXPECT_THAT(*below->Get("cases", "a"), Optional(std::string("below")))
      << "the batch below does not see the one on top";
  EXPECT_THAT(*store_->Get("cases", "a"), Optional(std::string("committed")));

  // The runner keeps the batch below until the one on top is committed.
  std::vector<std::unique_ptr<ReadModelBatch>> lower;
  lower.push_back(std::move(below));
  ASSERT_OK(store_->Commit(lower, {{"cases", 2}}));
  EXPECT_THAT(Dump("cases"), ElementsAre(KeyValue{"a", "below"}, KeyValue{"c", "committed"},
                                         KeyValue{"d", "新的"}));
  EXPECT_THAT(*top->Get("cases", "a"), Optional(std::string("top")));
  EXPECT_THAT(*top->Get("cases", "c"), Optional(std::string("committed")));
  EXPECT_EQ(*top->Get("cases", "d"), std::nullopt);
  ASSERT_OK(store_->Commit(std::move(top), {{"cases", 3}}));
  EXPECT_THAT(Dump("cases"), ElementsAre(KeyValue{"a", "top"}, KeyValue{"b", "back"},
                                         KeyValue{"c", "committed"}));
  EXPECT_EQ(*store_->Checkpoint("cases"), 3u);
  lower.clear();
}

TEST_P(ReadModelStoreTest, RollbackToSavePointUndoesOnlyLaterWrites) {
  ASSERT_OK(PutOne("cases", "a", "committed", 1));
  auto batch = store_->NewBatch();
  batch->Put("cases", "a", "kept");
  batch->SetSavePoint();
  batch->Put("cases", "a", "undone");
  batch->Put("cases", "b", "undone");
  batch->SetSavePoint();
  batch->Delete("cases", "a");
  ASSERT_OK(batch->PopSavePoint());
  ASSERT_OK(batch->RollbackToSavePoint());
  EXPECT_TRUE(HasCode(batch->RollbackToSavePoint(), absl::StatusCode::kFailedPrecondition));
  EXPECT_TRUE(HasCode(batch->PopSavePoint(), absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(*batch->Get("cases", "a"), Optional(std::string("kept")));
  EXPECT_EQ(*batch->Get("cases", "b"), std::nullopt);
  ASSERT_OK(store_->Commit(std::move(batch), {{"cases", 2}}));
  EXPECT_THAT(Dump("cases"), ElementsAre(KeyValue{"a", "kept"}));
}

TEST_P(ReadModelStoreTest, CommitWritesRowsAndCheckpointsTogether) {
  auto batch = store_->NewBatch();
  batch->Put("cases", "a", "1");
  batch->Put("loans", "b", "2");
  // A namespace may advance its checkpoint without writing rows.
  ASSERT_OK(store_->Commit(std::move(batch), {{"cases", 7}, {"loans", 7}, {"directory", 7}}));
  EXPECT_THAT(Dump("cases"), ElementsAre(KeyValue{"a", "1"}));
  EXPECT_THAT(Dump("loans"), ElementsAre(KeyValue{"b", "2"}));
  ASSERT_OK_AND_ASSIGN(Checkpoints all, store_->ListCheckpoints());
  EXPECT_EQ(all, (Checkpoints{{"cases", 7}, {"directory", 7}, {"loans", 7}}));
}

// The projection runner's commit: each projection's batch, written as one.
TEST_P(ReadModelStoreTest, SeveralBatchesCommitAsOneAndTheLaterWriteOfARowStands) {
  ASSERT_OK(PutOne("cases", "gone", "1", 1));
  std::vector<std::unique_ptr<ReadModelBatch>> batches;
  batches.push_back(store_->NewBatch());
  batches.push_back(store_->NewBatch());
  batches.push_back(store_->NewBatch());
  batches[0]->Put("cases", "a", "first");
  batches[0]->Delete("cases", "gone");
  batches[1]->Put("loans", "b", "2");
  batches[2]->Put("cases", "a", "last");
  batches[2]->Put("cases", "c", "案件");
  ASSERT_OK(store_->Commit(std::move(batches), {{"cases", 5}, {"loans", 5}}));
  EXPECT_THAT(Dump("cases"), ElementsAre(KeyValue{"a", "last"}, KeyValue{"c", "案件"}));
  EXPECT_THAT(Dump("loans"), ElementsAre(KeyValue{"b", "2"}));
  EXPECT_EQ(*store_->Checkpoint("cases"), 5u);

  // One bad batch and none is written.
  std::vector<std::unique_ptr<ReadModelBatch>> mixed;
  mixed.push_back(store_->NewBatch());
  mixed.push_back(store_->NewBatch());
  mixed[0]->Put("cases", "a", "never");
  mixed[1]->Put("audit", "x", "never");
  EXPECT_TRUE(HasCode(store_->Commit(std::move(mixed), {{"cases", 6}}),
                      absl::StatusCode::kInvalidArgument))
      << "audit is written without a checkpoint";
  EXPECT_THAT(*store_->Get("cases", "a"), Optional(std::string("last")));
  EXPECT_EQ(*store_->Checkpoint("cases"), 5u);
}

TEST_P(ReadModelStoreTest, RejectedCommitWritesNothing) {
  ASSERT_OK(PutOne("cases", "a", "1", 1));

  auto missing = store_->NewBatch();
  missing->Put("cases", "a", "2");
  missing->Put("loans", "b", "2");
  EXPECT_TRUE(HasCode(store_->Commit(std::move(missing), {{"cases", 2}}),
                      absl::StatusCode::kInvalidArgument))
      << "loans is written without a checkpoint";

  auto invalid = store_->NewBatch();
  invalid->Put("cases", "a", "3");
  invalid->Put("Bad Name", "b", "3");
  EXPECT_TRUE(IsInvalidArgumentNaming(
      store_->Commit(std::move(invalid), {{"cases", 3}, {"Bad Name", 3}}), "namespace"));

  auto other_store = ReadModelStore::OpenInMemory();
  auto foreign = other_store->NewBatch();
  foreign->Put("cases", "a", "4");
  EXPECT_TRUE(IsInvalidArgumentNaming(store_->Commit(std::move(foreign), {{"cases", 4}}), "batch"));

  EXPECT_THAT(Dump("cases"), ElementsAre(KeyValue{"a", "1"}));
  EXPECT_THAT(Dump("loans"), IsEmpty());
  EXPECT_EQ(*store_->Checkpoint("cases"), 1u);
  EXPECT_EQ(*store_->Checkpoint("loans"), 0u);
}

TEST_P(ReadModelStoreTest, InvalidNamespacesAreRejected) {
  for (const std::string& ns : std::vector<std::string>{
           "", "Upper", "with space", std::string("nul\0", 4), std::string(65, 'a')}) {
    EXPECT_TRUE(IsInvalidArgumentNaming(StatusOf(store_->Get(ns, "k")), "namespace")) << ns;
    EXPECT_TRUE(IsInvalidArgumentNaming(StatusOf(store_->Scan(ns, {})), "namespace")) << ns;
    EXPECT_TRUE(IsInvalidArgumentNaming(StatusOf(store_->Checkpoint(ns)), "namespace")) << ns;
    EXPECT_TRUE(IsInvalidArgumentNaming(store_->DropNamespace(ns), "namespace")) << ns;
  }
  EXPECT_TRUE(ValidateNamespace("case_summary.v2-a").ok());
}

TEST_P(ReadModelStoreTest, DropNamespaceLeavesOtherNamespacesIntact) {
  auto batch = store_->NewBatch();
  for (const char* ns : {"a", "ab", "a.b", "b"}) {
    for (int i = 0; i < 50; ++i) batch->Put(ns, "key" + std::to_string(i), ns);
  }
  ASSERT_OK(store_->Commit(std::move(batch), {{"a", 5}, {"ab", 6}, {"a.b", 7}, {"b", 8}}));
  ASSERT_OK(store_->DropNamespace("a"));
  EXPECT_THAT(Dump("a"), IsEmpty());
  EXPECT_EQ(*store_->Checkpoint("a"), 0u);
  EXPECT_EQ(*store_->Get("a", "key1"), std::nullopt);
  for (const char* ns : {"ab", "a.b", "b"}) EXPECT_EQ(Dump(ns).size(), 50u) << ns;
  ASSERT_OK_AND_ASSIGN(Checkpoints all, store_->ListCheckpoints());
  EXPECT_EQ(all, (Checkpoints{{"a.b", 7}, {"ab", 6}, {"b", 8}}));
  // The namespace is usable again at once.
  ASSERT_OK(PutOne("a", "fresh", "1", 1));
  EXPECT_THAT(Dump("a"), ElementsAre(KeyValue{"fresh", "1"}));
}

TEST_P(ReadModelStoreTest, RowsAndCheckpointsSurviveReopen) {
  if (!persistent()) GTEST_SKIP() << "the in-memory store does not survive reopening";
  ASSERT_OK(PutOne("cases", "a", "1", 41));
  ASSERT_OK(PutOne("cases", "b", "2", 42));
  ASSERT_OK(store_->DropNamespace("loans"));
  ASSERT_NO_FATAL_FAILURE(Reopen());
  EXPECT_THAT(Dump("cases"), ElementsAre(KeyValue{"a", "1"}, KeyValue{"b", "2"}));
  EXPECT_EQ(*store_->Checkpoint("cases"), 42u);
}

TEST_P(ReadModelStoreTest, SecondOpenOfTheDirectoryFails) {
  if (!persistent()) GTEST_SKIP() << "only a directory can be locked";
  EXPECT_TRUE(HasCode(StatusOf(ReadModelStore::Open((dir_ / "read-models").string())),
                      absl::StatusCode::kFailedPrecondition));
}

// Readers never see half a commit: every commit moves one unit between two
// rows whose sum stays 100.
TEST_P(ReadModelStoreTest, ReadersSeeWholeCommits) {
  ASSERT_OK(PutOne("pair", "left", "100", 0));
  ASSERT_OK(PutOne("pair", "right", "0", 0));
  std::atomic<bool> done{false};
  std::atomic<int> torn{0};
  std::thread reader([&] {
    while (!done.load()) {
      auto rows = store_->Scan("pair", {});
      if (!rows.ok() || rows->size() != 2 ||
          std::stoi((*rows)[0].value) + std::stoi((*rows)[1].value) != 100) {
        ++torn;
      }
    }
  });
  for (int i = 1; i <= 100; ++i) {
    auto batch = store_->NewBatch();
    batch->Put("pair", "left", std::to_string(100 - i));
    batch->Put("pair", "right", std::to_string(i));
    ASSERT_OK(store_->Commit(std::move(batch), {{"pair", static_cast<uint64_t>(i)}}));
  }
  done = true;
  reader.join();
  EXPECT_EQ(torn.load(), 0);
}

// Killed mid-stream, the store reopens with rows and checkpoint in step: the
// child writes, per commit i, the row "n/i" and "last" = i with checkpoint i.
TEST_P(ReadModelStoreTest, KilledWriterLeavesRowsAndCheckpointConsistent) {
  if (!persistent()) GTEST_SKIP() << "the in-memory store does not survive a crash";
  store_.reset();
  const std::string dir = (dir_ / "read-models").string();
  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) env_strings.emplace_back(*e);
  env_strings.push_back(std::string(kCrashDirEnv) + "=" + dir);
  std::vector<char*> envp;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::string exe = "/proc/self/exe";
  std::string filter = "--gtest_filter=ReadModelCrashChild.CommitForever";
  std::vector<char*> argv = {exe.data(), filter.data(), nullptr};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  ASSERT_EQ(posix_spawn(&pid, exe.c_str(), &actions, nullptr, argv.data(), envp.data()), 0);
  posix_spawn_file_actions_destroy(&actions);
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!std::filesystem::exists(dir + ".started") && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  ASSERT_EQ(kill(pid, SIGKILL), 0);
  int wstatus = 0;
  ASSERT_EQ(waitpid(pid, &wstatus, 0), pid);
  ASSERT_TRUE(WIFSIGNALED(wstatus)) << "the child should have been killed, not exited";

  ASSERT_NO_FATAL_FAILURE(Reopen());
  ASSERT_OK_AND_ASSIGN(uint64_t checkpoint, store_->Checkpoint("crash"));
  EXPECT_GT(checkpoint, 0u);
  EXPECT_THAT(*store_->Get("crash", "last"), Optional(std::to_string(checkpoint)));
  ScanOptions numbered;
  numbered.prefix = "n/";
  numbered.limit = ScanOptions::kNoLimit;
  ASSERT_OK_AND_ASSIGN(auto rows, store_->Scan("crash", numbered));
  EXPECT_EQ(rows.size(), checkpoint);
  std::cout << "commits before the kill: " << checkpoint << "\n";
}

// The writer killed by KilledWriterLeavesRowsAndCheckpointConsistent.
TEST(ReadModelCrashChild, CommitForever) {
  const char* dir = std::getenv(kCrashDirEnv);
  if (dir == nullptr) GTEST_SKIP() << "runs only as the child of a crash test";
  ASSERT_OK_AND_ASSIGN(auto store, ReadModelStore::Open(dir));
  for (uint64_t i = 1;; ++i) {
    auto batch = store->NewBatch();
    batch->Put("crash", "n/" + std::to_string(i), std::string(100, 'x'));
    batch->Put("crash", "last", std::to_string(i));
    ASSERT_OK(store->Commit(std::move(batch), {{"crash", i}}));
    if (i == 1) std::ofstream(std::string(dir) + ".started") << "1";
  }
}

INSTANTIATE_TEST_SUITE_P(Stores, ReadModelStoreTest, ::testing::Values("memory", "rocksdb"),
                         ImplName);

}  // namespace
}  // namespace haven::storage::testing
