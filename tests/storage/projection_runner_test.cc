// ProjectionRunner: following the log, checkpoints, read-your-writes, lag,
// failures and rebuilds.  Each test runs over an in-memory log and store, and
// over a RocksDB log and store.
#include "storage/projection_runner.h"

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "storage/projection.h"
#include "tests/storage/contract_fixture.h"

namespace haven::storage::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Optional;
using Clock = std::chrono::steady_clock;

Clock::time_point In(std::chrono::milliseconds ms) { return Clock::now() + ms; }
constexpr std::chrono::seconds kPatience(20);

uint64_t ReadCount(const std::optional<std::string>& value) {
  uint64_t n = 0;
  if (value) {
    EXPECT_TRUE(absl::SimpleAtoi(*value, &n)) << *value;
  }
  return n;
}

// Per stream: "stream/<id>" = "<count> <last type>", and an index
// "type/<last type>/<id>" kept by deleting the stream's previous entry; plus a
// "total".  Everything it reads comes from the batch, so rebuilds are exact.
// Optionally fails on "poison" events while *fail_on_poison is set, after a
// write that must be rolled back.
class SummaryProjection : public Projection {
 public:
  explicit SummaryProjection(std::string name, std::shared_ptr<std::atomic<int>> applied = nullptr,
                             std::shared_ptr<std::atomic<bool>> fail_on_poison = nullptr,
                             std::string type_prefix = "")
      : name_(std::move(name)),
        applied_(applied ? std::move(applied) : std::make_shared<std::atomic<int>>(0)),
        fail_on_poison_(std::move(fail_on_poison)),
        type_prefix_(std::move(type_prefix)) {}

  std::string name() const override { return name_; }

  bool Wants(const RecordedEvent& event) const override {
    return event.type.compare(0, type_prefix_.size(), type_prefix_) == 0;
  }

  absl::Status Apply(const RecordedEvent& event, NamespaceBatch& rows) const override {
    ++*applied_;
    if (event.type == "poison" && fail_on_poison_ && fail_on_poison_->load()) {
      rows.Put(absl::StrCat("poisoned/", event.position), "must be rolled back");
      return absl::InvalidArgumentError("cannot digest poison");
    }
    const std::string stream_key = "stream/" + event.stream;
    auto current = rows.Get(stream_key);
    if (!current.ok()) return current.status();
    uint64_t count = 0;
    if (*current) {
      const size_t space = (*current)->find(' ');
      if (!absl::SimpleAtoi((*current)->substr(0, space), &count)) {
        return absl::DataLossError("bad stream row");
      }
      rows.Delete(absl::StrCat("type/", (*current)->substr(space + 1), "/", event.stream));
    }
    rows.Put(stream_key, absl::StrCat(count + 1, " ", event.type));
    rows.Put(absl::StrCat("type/", event.type, "/", event.stream), absl::StrCat(event.position));
    auto total = rows.Get("total");
    if (!total.ok()) return total.status();
    rows.Put("total", absl::StrCat(ReadCount(*total) + 1));
    return absl::OkStatus();
  }

 private:
  const std::string name_;
  const std::shared_ptr<std::atomic<int>> applied_;
  const std::shared_ptr<std::atomic<bool>> fail_on_poison_;
  const std::string type_prefix_;
};

// The simplest useful projection: events per stream, one Get and one Put per
// event.
class CountingProjection : public Projection {
 public:
  std::string name() const override { return "counts"; }

  absl::Status Apply(const RecordedEvent& event, NamespaceBatch& rows) const override {
    auto count = rows.Get(event.stream);
    if (!count.ok()) return count.status();
    rows.Put(event.stream, absl::StrCat(ReadCount(*count) + 1));
    return absl::OkStatus();
  }
};

// What a BatchedCountingProjection did, and how it should misbehave.
struct BatchKnobs {
  std::atomic<int> batches{0};   // StartBatch calls.
  std::atomic<int> finishes{0};  // Finish calls, failed ones included.
  std::atomic<int> most_events_in_a_batch{0};
  // Apply fails on "poison" events while set.
  std::atomic<bool> fail_on_poison{false};
  // Finish fails with UNAVAILABLE while positive, counting down.
  std::atomic<int> finish_failures_left{0};
};

// CountingProjection's rows, kept in memory for the batch: each stream's
// count is read on its first event in the batch and written once, in Finish.
class BatchedCountingProjection : public Projection {
 public:
  BatchedCountingProjection(std::string name, std::shared_ptr<BatchKnobs> knobs)
      : name_(std::move(name)), knobs_(std::move(knobs)) {}

  std::string name() const override { return name_; }

  absl::Status Apply(const RecordedEvent& event, NamespaceBatch& rows) const override {
    std::unique_ptr<Batch> batch = StartBatch(rows);
    if (absl::Status s = batch->Apply(event); !s.ok()) return s;
    return batch->Finish();
  }

  std::unique_ptr<Batch> StartBatch(NamespaceBatch& rows) const override {
    ++knobs_->batches;
    return std::make_unique<Counts>(rows, *knobs_);
  }

 private:
  class Counts : public Batch {
   public:
    Counts(NamespaceBatch& rows, BatchKnobs& knobs) : rows_(rows), knobs_(knobs) {}

    absl::Status Apply(const RecordedEvent& event) override {
      if (event.type == "poison" && knobs_.fail_on_poison) {
        return absl::InvalidArgumentError("cannot digest poison");
      }
      auto it = counts_.find(event.stream);
      if (it == counts_.end()) {
        auto stored = rows_.Get(event.stream);
        if (!stored.ok()) return stored.status();
        it = counts_.emplace(event.stream, ReadCount(*stored)).first;
      }
      ++it->second;
      ++events_;
      int most = knobs_.most_events_in_a_batch;
      while (events_ > most && !knobs_.most_events_in_a_batch.compare_exchange_weak(most, events_)) {
      }
      return absl::OkStatus();
    }

    absl::Status Finish() override {
      ++knobs_.finishes;
      if (knobs_.finish_failures_left > 0) {
        --knobs_.finish_failures_left;
        return absl::UnavailableError("the disk is having a bad day");
      }
      for (const auto& [stream, count] : counts_) rows_.Put(stream, absl::StrCat(count));
      return absl::OkStatus();
    }

   private:
    NamespaceBatch& rows_;
    BatchKnobs& knobs_;
    std::map<std::string, uint64_t> counts_;
    int events_ = 0;
  };

  const std::string name_;
  const std::shared_ptr<BatchKnobs> knobs_;
};

class ProjectionRunnerTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    options_.sync = false;  // Only the read side is under test.
    if (GetParam() == "memory") {
      log_ = EventLog::OpenInMemory(options_);
      store_ = ReadModelStore::OpenInMemory();
      return;
    }
    std::string tmpl = (std::filesystem::temp_directory_path() / "haven-proj-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    options_.data_dir = (dir_ / "log").string();
    ASSERT_NO_FATAL_FAILURE(OpenBoth());
  }

  void TearDown() override {
    runner_.reset();
    store_.reset();
    log_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  bool persistent() const { return GetParam() == "rocksdb"; }

  void OpenBoth() {
    ASSERT_OK_AND_ASSIGN(log_, EventLog::Open(options_));
    ASSERT_OK_AND_ASSIGN(store_, ReadModelStore::Open((dir_ / "read-models").string()));
  }

  void Reopen() {
    runner_.reset();
    store_.reset();
    log_.reset();
    ASSERT_NO_FATAL_FAILURE(OpenBoth());
  }

  // Appends `n` events of `type` to `stream`, in appends of up to 1000.
  uint64_t Append(const std::string& stream, int n, const std::string& type = "case.noted") {
    uint64_t last = 0;
    for (int done = 0; done < n;) {
      const int size = std::min(1000, n - done);
      auto result = log_->Append(stream, ExpectedVersion::Any(), MakeEvents(size, type));
      EXPECT_TRUE(result.ok()) << result.status();
      if (!result.ok()) return 0;
      last = result->last_position;
      done += size;
    }
    return last;
  }

  // Appends `n` events spread over `streams` streams with three types.
  uint64_t AppendMixed(int n, int streams) {
    static const char* kTypes[] = {"case.opened", "case.noted", "case.closed"};
    uint64_t last = 0;
    for (int i = 0; i < n; ++i) {
      last = Append(absl::StrCat("case-", i % streams), 1, kTypes[(i / streams) % 3]);
    }
    return last;
  }

  void StartRunner(std::vector<std::unique_ptr<Projection>> projections,
                   ProjectionRunnerOptions options = {}) {
    ASSERT_OK_AND_ASSIGN(runner_,
                         ProjectionRunner::Create(*log_, *store_, std::move(projections), options));
    ASSERT_OK(runner_->Start());
  }

  std::vector<KeyValue> Dump(const std::string& ns) {
    ScanOptions all;
    all.limit = ScanOptions::kNoLimit;
    auto rows = store_->Scan(ns, all);
    EXPECT_TRUE(rows.ok()) << rows.status();
    return rows.ok() ? *rows : std::vector<KeyValue>{};
  }

  uint64_t Total(const std::string& ns) { return ReadCount(*store_->Get(ns, "total")); }

  ProjectionStatus StatusNamed(const std::string& name) {
    for (ProjectionStatus& status : runner_->Lag()) {
      if (status.name == name) return status;
    }
    ADD_FAILURE() << "no status for " << name;
    return {};
  }

  std::vector<std::unique_ptr<Projection>> One(std::unique_ptr<Projection> p) {
    std::vector<std::unique_ptr<Projection>> v;
    v.push_back(std::move(p));
    return v;
  }

  Options options_;
  std::filesystem::path dir_;
  std::unique_ptr<EventLog> log_;
  std::unique_ptr<ReadModelStore> store_;
  std::unique_ptr<ProjectionRunner> runner_;
};

TEST_P(ProjectionRunnerTest, FollowsTheLogAndWaitReturnsOnceCaughtUp) {
  const uint64_t head = AppendMixed(60, 6);
  std::vector<std::unique_ptr<Projection>> projections;
  projections.push_back(std::make_unique<SummaryProjection>("summary"));
  // Wants none of the events, yet must keep up with the log.
  projections.push_back(std::make_unique<SummaryProjection>("loans", nullptr, nullptr, "loan."));
  ASSERT_NO_FATAL_FAILURE(StartRunner(std::move(projections)));
  ASSERT_OK(runner_->WaitForPosition(head, In(kPatience)));
  EXPECT_EQ(Total("summary"), 60u);
  EXPECT_EQ(*store_->Checkpoint("summary"), head);
  EXPECT_EQ(*store_->Checkpoint("loans"), head);
  EXPECT_THAT(Dump("loans"), IsEmpty());
  EXPECT_THAT(*store_->Get("summary", "stream/case-1"), Optional(std::string("10 case.opened")));

  // Live: a query carrying the position of its own write sees it.
  const uint64_t mine = Append("case-1", 1, "case.closed");
  ASSERT_OK(runner_->WaitForPosition("summary", mine, In(kPatience)));
  EXPECT_THAT(*store_->Get("summary", "stream/case-1"), Optional(std::string("11 case.closed")));
  EXPECT_THAT(*store_->Get("summary", "type/case.closed/case-1"), Optional(absl::StrCat(mine)));
  EXPECT_EQ(*store_->Get("summary", "type/case.opened/case-1"), std::nullopt);
}

TEST_P(ProjectionRunnerTest, WaitForPositionTimesOutOrRefuses) {
  const uint64_t head = Append("case-1", 5);
  ASSERT_OK_AND_ASSIGN(runner_, ProjectionRunner::Create(
                                    *log_, *store_, One(std::make_unique<SummaryProjection>("s"))));
  EXPECT_TRUE(HasCode(runner_->WaitForPosition(head, In(std::chrono::milliseconds(10))),
                      absl::StatusCode::kUnavailable))
      << "not started";
  ASSERT_OK(runner_->Start());
  EXPECT_TRUE(HasCode(runner_->Start(), absl::StatusCode::kFailedPrecondition));
  ASSERT_OK(runner_->WaitForPosition(head, In(kPatience)));
  const auto before = Clock::now();
  EXPECT_TRUE(HasCode(runner_->WaitForPosition(head + 1, In(std::chrono::milliseconds(200))),
                      absl::StatusCode::kDeadlineExceeded));
  EXPECT_GE(Clock::now() - before, std::chrono::milliseconds(200));
  EXPECT_TRUE(
      HasCode(runner_->WaitForPosition("nope", 1, In(kPatience)), absl::StatusCode::kNotFound));
  runner_->Stop();
  EXPECT_TRUE(
      HasCode(runner_->WaitForPosition(head + 1, In(kPatience)), absl::StatusCode::kUnavailable));
  ASSERT_OK(runner_->WaitForPosition(head, In(kPatience)));  // Already reached.
}

TEST_P(ProjectionRunnerTest, LagIsHeadMinusCheckpoint) {
  const uint64_t head = Append("case-1", 30);
  ASSERT_OK_AND_ASSIGN(runner_, ProjectionRunner::Create(
                                    *log_, *store_, One(std::make_unique<SummaryProjection>("s"))));
  ProjectionStatus before = StatusNamed("s");
  EXPECT_EQ(before.checkpoint, 0u);
  EXPECT_EQ(before.head, head);
  EXPECT_EQ(before.lag, head);
  ASSERT_OK(runner_->Start());
  ASSERT_OK(runner_->WaitForPosition(head, In(kPatience)));
  ProjectionStatus after = StatusNamed("s");
  EXPECT_EQ(after.checkpoint, head);
  EXPECT_EQ(after.lag, 0u);
  EXPECT_FALSE(after.rebuilding);
  EXPECT_TRUE(after.error.ok());
  ASSERT_OK(runner_->Health());
}

TEST_P(ProjectionRunnerTest, ResumesFromCheckpointsWithoutReapplying) {
  Append("case-1", 100);
  auto applied = std::make_shared<std::atomic<int>>(0);
  ASSERT_NO_FATAL_FAILURE(
      StartRunner(One(std::make_unique<SummaryProjection>("summary", applied))));
  ASSERT_OK(runner_->WaitForPosition(100, In(kPatience)));
  EXPECT_EQ(applied->load(), 100);
  runner_.reset();
  Append("case-2", 50);
  if (persistent()) {
    ASSERT_NO_FATAL_FAILURE(Reopen());
  }

  auto resumed = std::make_shared<std::atomic<int>>(0);
  auto newcomer = std::make_shared<std::atomic<int>>(0);
  std::vector<std::unique_ptr<Projection>> projections;
  projections.push_back(std::make_unique<SummaryProjection>("summary", resumed));
  projections.push_back(std::make_unique<SummaryProjection>("newcomer", newcomer));
  ASSERT_NO_FATAL_FAILURE(StartRunner(std::move(projections)));
  ASSERT_OK(runner_->WaitForPosition(150, In(kPatience)));
  EXPECT_EQ(resumed->load(), 50) << "only the events after its checkpoint";
  EXPECT_EQ(newcomer->load(), 150) << "a new projection starts from the beginning";
  EXPECT_EQ(Total("summary"), 150u);
  EXPECT_EQ(Dump("summary"), Dump("newcomer"));
}

TEST_P(ProjectionRunnerTest, RebuildProducesIdenticalRows) {
  const uint64_t head = AppendMixed(600, 25);
  std::vector<std::unique_ptr<Projection>> projections;
  projections.push_back(std::make_unique<SummaryProjection>("summary"));
  projections.push_back(std::make_unique<SummaryProjection>("other"));
  ProjectionRunnerOptions options;
  options.batch_events = 7;            // Many small incremental commits...
  options.rebuild_batch_events = 250;  // ...against a few large ones.
  ASSERT_NO_FATAL_FAILURE(StartRunner(std::move(projections), options));
  ASSERT_OK(runner_->WaitForPosition(head, In(kPatience)));
  const std::vector<KeyValue> incremental = Dump("summary");
  ASSERT_EQ(incremental.size(), 1u + 25 + 25);

  ASSERT_OK(runner_->Rebuild("summary"));
  EXPECT_EQ(Dump("summary"), incremental);
  EXPECT_EQ(*store_->Checkpoint("summary"), head);
  ProjectionStatus status = StatusNamed("summary");
  EXPECT_FALSE(status.rebuilding);
  EXPECT_EQ(status.rebuild_target, head);
  EXPECT_EQ(status.checkpoint, head);

  ASSERT_OK(runner_->RebuildAll());
  EXPECT_EQ(Dump("summary"), incremental);
  EXPECT_EQ(Dump("other"), incremental);
  EXPECT_TRUE(HasCode(runner_->Rebuild("nope"), absl::StatusCode::kNotFound));
  runner_->Stop();
  EXPECT_TRUE(HasCode(runner_->Rebuild("summary"), absl::StatusCode::kFailedPrecondition));
}

// Queries and appends go on during a rebuild; afterwards the rebuilt rows
// equal those of a twin that was never rebuilt.
TEST_P(ProjectionRunnerTest, RebuildIsSafeWhileQueriesAndAppendsRun) {
  AppendMixed(300, 10);
  std::vector<std::unique_ptr<Projection>> projections;
  projections.push_back(std::make_unique<SummaryProjection>("rebuilt"));
  projections.push_back(std::make_unique<SummaryProjection>("twin"));
  ProjectionRunnerOptions options;
  options.rebuild_batch_events = 50;
  ASSERT_NO_FATAL_FAILURE(StartRunner(std::move(projections), options));
  std::atomic<bool> done{false};
  std::atomic<int> query_errors{0};
  std::thread reader([&] {
    while (!done.load()) {
      if (!store_->Scan("rebuilt", {}).ok() || !store_->Get("rebuilt", "total").ok()) {
        ++query_errors;
      }
    }
  });
  std::thread appender([&] {
    for (int i = 0; i < 100; ++i) Append(absl::StrCat("live-", i % 7), 1);
  });
  ASSERT_OK(runner_->Rebuild("rebuilt"));
  appender.join();
  done = true;
  reader.join();
  EXPECT_EQ(query_errors.load(), 0);
  ASSERT_OK(runner_->WaitForPosition(log_->HeadPosition(), In(kPatience)));
  EXPECT_EQ(Total("rebuilt"), 400u);
  EXPECT_EQ(Dump("rebuilt"), Dump("twin"));
}

TEST_P(ProjectionRunnerTest, FailingProjectionStopsAtTheEventOthersContinue) {
  Append("case-1", 10);
  const uint64_t poison = Append("case-1", 1, "poison");
  ASSERT_EQ(poison, 11u);
  const uint64_t head = Append("case-2", 9);
  auto fail = std::make_shared<std::atomic<bool>>(true);
  auto fragile_applied = std::make_shared<std::atomic<int>>(0);
  std::vector<std::unique_ptr<Projection>> projections;
  projections.push_back(std::make_unique<SummaryProjection>("sturdy"));
  projections.push_back(std::make_unique<SummaryProjection>("fragile", fragile_applied, fail));
  ASSERT_NO_FATAL_FAILURE(StartRunner(std::move(projections)));

  ASSERT_OK(runner_->WaitForPosition("sturdy", head, In(kPatience)));
  ASSERT_OK(runner_->WaitForPosition("fragile", poison - 1, In(kPatience)));
  EXPECT_TRUE(HasCode(runner_->WaitForPosition("fragile", poison, In(kPatience)),
                      absl::StatusCode::kUnavailable));
  EXPECT_TRUE(
      HasCode(runner_->WaitForPosition(head, In(kPatience)), absl::StatusCode::kUnavailable));
  const uint64_t later = Append("case-3", 5);
  ASSERT_OK(runner_->WaitForPosition("sturdy", later, In(kPatience)));

  ProjectionStatus fragile = StatusNamed("fragile");
  EXPECT_TRUE(HasCode(fragile.error, absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(std::string(fragile.error.message()), ::testing::HasSubstr("position 11"));
  EXPECT_EQ(fragile.failed_position, poison);
  EXPECT_EQ(fragile.checkpoint, poison - 1);
  EXPECT_EQ(fragile.lag, later - (poison - 1));
  EXPECT_TRUE(StatusNamed("sturdy").error.ok());
  EXPECT_EQ(*store_->Checkpoint("fragile"), poison - 1);
  EXPECT_EQ(Total("fragile"), 10u);
  EXPECT_EQ(*store_->Get("fragile", "poisoned/11"), std::nullopt) << "the failed Apply's writes";
  EXPECT_EQ(fragile_applied->load(), 11) << "tried once, never skipped nor retried";
  EXPECT_EQ(Total("sturdy"), 25u);

  // Rebuilding while the bug is still there fails the same way.
  EXPECT_TRUE(HasCode(runner_->Rebuild("fragile"), absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(StatusNamed("fragile").checkpoint, poison - 1);
  // Once fixed, a rebuild clears the failure.
  fail->store(false);
  ASSERT_OK(runner_->Rebuild("fragile"));
  ASSERT_OK(runner_->WaitForPosition(later, In(kPatience)));
  EXPECT_TRUE(StatusNamed("fragile").error.ok());
  EXPECT_EQ(Total("fragile"), 25u);
}

// Folded on four threads, each projection's rows are those one thread
// makes, and a projection that fails stops alone, at its event.
TEST_P(ProjectionRunnerTest, FoldsOnFourThreadsEqualOneThreadsAndAFailureStopsOnlyItsProjection) {
  AppendMixed(300, 12);
  const uint64_t poison = Append("case-1", 1, "poison");
  const uint64_t head = AppendMixed(300, 12);
  auto fail = std::make_shared<std::atomic<bool>>(true);
  std::vector<std::unique_ptr<Projection>> parallel;
  for (int i = 0; i < 6; ++i) {
    parallel.push_back(std::make_unique<SummaryProjection>(absl::StrCat("p", i)));
  }
  parallel.push_back(std::make_unique<SummaryProjection>("fragile", nullptr, fail));
  ProjectionRunnerOptions four;
  four.fold_threads = 4;
  four.batch_events = 37;
  four.rebuild_batch_events = 37;
  ASSERT_NO_FATAL_FAILURE(StartRunner(std::move(parallel), four));
  for (int i = 0; i < 6; ++i) {
    ASSERT_OK(runner_->WaitForPosition(absl::StrCat("p", i), head, In(kPatience)));
  }
  EXPECT_TRUE(HasCode(runner_->WaitForPosition("fragile", poison, In(kPatience)),
                      absl::StatusCode::kUnavailable));
  EXPECT_EQ(*store_->Checkpoint("fragile"), poison - 1);
  runner_->Stop();

  ProjectionRunnerOptions one;
  one.fold_threads = 1;
  one.batch_events = 37;
  one.rebuild_batch_events = 37;
  ASSERT_NO_FATAL_FAILURE(StartRunner(One(std::make_unique<SummaryProjection>("serial")), one));
  ASSERT_OK(runner_->WaitForPosition(head, In(kPatience)));
  const std::vector<KeyValue> serial = Dump("serial");
  ASSERT_EQ(Total("serial"), 601u);
  for (int i = 0; i < 6; ++i) EXPECT_EQ(Dump(absl::StrCat("p", i)), serial) << "p" << i;
}

// Each batch's counts are written once, at its end, and the next batch
// reads them back; small batches and one large rebuild batch agree.
TEST_P(ProjectionRunnerTest, BatchRowsAreWrittenAtTheBatchEndAndSeenByTheNext) {
  const uint64_t head = AppendMixed(100, 3);
  auto knobs = std::make_shared<BatchKnobs>();
  std::vector<std::unique_ptr<Projection>> projections;
  projections.push_back(std::make_unique<BatchedCountingProjection>("batched", knobs));
  projections.push_back(std::make_unique<CountingProjection>());
  ProjectionRunnerOptions options;
  options.batch_events = 7;
  options.rebuild_batch_events = 7;  // The start-up catch-up too.
  ASSERT_NO_FATAL_FAILURE(StartRunner(std::move(projections), options));
  ASSERT_OK(runner_->WaitForPosition(head, In(kPatience)));
  EXPECT_GE(knobs->batches.load(), 15);
  EXPECT_EQ(knobs->finishes.load(), knobs->batches.load());
  EXPECT_LE(knobs->most_events_in_a_batch.load(), 7);
  const std::vector<KeyValue> incremental = Dump("batched");
  EXPECT_EQ(incremental, Dump("counts"));
  EXPECT_THAT(incremental, ElementsAre(KeyValue{"case-0", "34"}, KeyValue{"case-1", "33"},
                                       KeyValue{"case-2", "33"}));
  runner_.reset();

  auto rebuild_knobs = std::make_shared<BatchKnobs>();
  ProjectionRunnerOptions one_batch;
  one_batch.rebuild_batch_events = 1000;
  ASSERT_NO_FATAL_FAILURE(StartRunner(
      One(std::make_unique<BatchedCountingProjection>("batched", rebuild_knobs)), one_batch));
  ASSERT_OK(runner_->Rebuild("batched"));
  EXPECT_EQ(rebuild_knobs->most_events_in_a_batch.load(), 100);
  EXPECT_EQ(Dump("batched"), incremental);
}

// A full batch is committed in the background while the runner looks for
// more events; when the log ends exactly there, the runner records that
// commit at once instead of after waiting for new events.
TEST_P(ProjectionRunnerTest, ALogEndingOnABatchBoundaryIsCaughtUpWithoutWaitingForMore) {
  const uint64_t head = AppendMixed(70, 3);
  ProjectionRunnerOptions options;
  options.batch_events = 7;
  options.rebuild_batch_events = 7;  // Ten full batches.
  options.poll_interval = std::chrono::seconds(6);  // Stop waits for it too.
  ASSERT_NO_FATAL_FAILURE(StartRunner(One(std::make_unique<CountingProjection>()), options));
  ASSERT_OK(runner_->WaitForPosition(head, In(std::chrono::seconds(3))));
  EXPECT_THAT(Dump("counts"), ElementsAre(KeyValue{"case-0", "24"}, KeyValue{"case-1", "23"},
                                          KeyValue{"case-2", "23"}));
}

// A failed Apply mid-batch: the events before it in the batch are written
// (Finish still runs), nothing of it, and the checkpoint is just before it.
TEST_P(ProjectionRunnerTest, FailureMidBatchKeepsTheBatchUpToTheEvent) {
  Append("case-1", 4);
  const uint64_t poison = Append("case-1", 1, "poison");
  const uint64_t head = Append("case-1", 4);
  auto knobs = std::make_shared<BatchKnobs>();
  knobs->fail_on_poison = true;
  ASSERT_NO_FATAL_FAILURE(
      StartRunner(One(std::make_unique<BatchedCountingProjection>("batched", knobs))));
  EXPECT_TRUE(HasCode(runner_->WaitForPosition(head, In(kPatience)),
                      absl::StatusCode::kUnavailable));
  EXPECT_EQ(knobs->batches.load(), 1) << "all nine events came in one batch";
  EXPECT_EQ(*store_->Checkpoint("batched"), poison - 1);
  EXPECT_EQ(*store_->Get("batched", "case-1"), std::optional<std::string>("4"));
  EXPECT_EQ(StatusNamed("batched").failed_position, poison);
}

// A failed Finish fails the commit: no projection's rows or checkpoint move
// (not even those of the projections whose batches went well), Health()
// says why, and the runner retries until it succeeds, counting nothing
// twice.
TEST_P(ProjectionRunnerTest, FinishErrorCommitsNothingAndIsRetried) {
  const uint64_t head = AppendMixed(30, 3);
  auto knobs = std::make_shared<BatchKnobs>();
  knobs->finish_failures_left = 1'000'000;
  std::vector<std::unique_ptr<Projection>> projections;
  projections.push_back(std::make_unique<CountingProjection>());
  projections.push_back(std::make_unique<BatchedCountingProjection>("batched", knobs));
  ProjectionRunnerOptions options;
  options.retry_interval = std::chrono::milliseconds(5);
  ASSERT_NO_FATAL_FAILURE(StartRunner(std::move(projections), options));
  const auto deadline = In(kPatience);
  while (knobs->finishes < 3 && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  EXPECT_TRUE(HasCode(runner_->Health(), absl::StatusCode::kUnavailable));
  EXPECT_THAT(std::string(runner_->Health().message()), ::testing::HasSubstr("batched"));
  EXPECT_EQ(*store_->Checkpoint("counts"), 0u);
  EXPECT_EQ(*store_->Checkpoint("batched"), 0u);
  EXPECT_THAT(Dump("counts"), IsEmpty());
  EXPECT_THAT(Dump("batched"), IsEmpty());

  knobs->finish_failures_left = 0;
  ASSERT_OK(runner_->WaitForPosition(head, In(kPatience)));
  EXPECT_TRUE(runner_->Health().ok()) << runner_->Health();
  EXPECT_THAT(Dump("batched"), ElementsAre(KeyValue{"case-0", "10"}, KeyValue{"case-1", "10"},
                                           KeyValue{"case-2", "10"}));
  EXPECT_EQ(Dump("counts"), Dump("batched"));
}

TEST_P(ProjectionRunnerTest, CheckpointPastTheLogHeadIsRebuilt) {
  auto batch = store_->NewBatch();
  batch->Put("summary", "total", "999");
  batch->Put("summary", "stale", "from a newer log");
  ASSERT_OK(store_->Commit(std::move(batch), {{"summary", 1000}}));
  const uint64_t head = Append("case-1", 10);
  ASSERT_NO_FATAL_FAILURE(StartRunner(One(std::make_unique<SummaryProjection>("summary"))));
  ASSERT_OK(runner_->WaitForPosition(head, In(kPatience)));
  EXPECT_EQ(Total("summary"), 10u);
  EXPECT_EQ(*store_->Get("summary", "stale"), std::nullopt);
  EXPECT_EQ(*store_->Checkpoint("summary"), head);
}

TEST_P(ProjectionRunnerTest, CreateRejectsBadProjectionSets) {
  std::vector<std::unique_ptr<Projection>> twice;
  twice.push_back(std::make_unique<SummaryProjection>("same"));
  twice.push_back(std::make_unique<SummaryProjection>("same"));
  EXPECT_TRUE(IsInvalidArgumentNaming(
      StatusOf(ProjectionRunner::Create(*log_, *store_, std::move(twice))), "same"));
  EXPECT_TRUE(IsInvalidArgumentNaming(
      StatusOf(ProjectionRunner::Create(*log_, *store_,
                                        One(std::make_unique<SummaryProjection>("Bad Name")))),
      "namespace"));
}

// Measures the rebuild rate: 200,000 events over 50 streams, counted per
// stream.
TEST_P(ProjectionRunnerTest, RebuildRate) {
  constexpr int kEvents = 200'000;
  constexpr int kStreams = 50;
  for (int i = 0; i < kEvents / 1000; ++i) Append(absl::StrCat("case-", i % kStreams), 1000);
  ASSERT_NO_FATAL_FAILURE(StartRunner(One(std::make_unique<CountingProjection>())));
  ASSERT_OK(runner_->WaitForPosition(kEvents, In(std::chrono::seconds(60))));
  const auto began = Clock::now();
  ASSERT_OK(runner_->Rebuild("counts"));
  const double seconds = std::chrono::duration<double>(Clock::now() - began).count();
  EXPECT_EQ(ReadCount(*store_->Get("counts", "case-0")), static_cast<uint64_t>(kEvents / kStreams));
  EXPECT_EQ(Dump("counts").size(), static_cast<size_t>(kStreams));
  std::cout << GetParam() << " rebuild events=" << kEvents << " seconds=" << seconds
            << " events_per_s=" << static_cast<int64_t>(kEvents / seconds) << "\n";
  RecordProperty("rebuild_events_per_s", static_cast<int>(kEvents / seconds));
}

INSTANTIATE_TEST_SUITE_P(Stores, ProjectionRunnerTest, ::testing::Values("memory", "rocksdb"),
                         ImplName);

}  // namespace
}  // namespace haven::storage::testing
