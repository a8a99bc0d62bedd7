// DirectoryView: follows the log, ignores other streams, survives a bad
// event, and serves concurrent readers while commands land.
#include "services/directory/service/directory_view.h"

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/request_ids.h"
#include "services/directory/domain/events.h"
#include "services/directory/service/directory_commands.h"

namespace haven::services {
namespace {

namespace v1 = directory::v1;
using ::testing::ElementsAre;

class DirectoryViewTest : public ::testing::Test {
 protected:
  void Create(const std::string& id, const std::string& name, v1::UnitKind kind,
              const std::string& parent) {
    auto outcome =
        RunDirectoryCommand(*log_, writer_view_, directory::CreateUnit{id, name, kind, parent},
                            std::nullopt, "create-" + id, "接线员-王芳");
    ASSERT_TRUE(outcome.ok()) << outcome.status();
  }

  std::unique_ptr<storage::EventLog> log_ = storage::EventLog::OpenInMemory({});
  DirectoryView writer_view_{*log_};
};

TEST_F(DirectoryViewTest, FollowsTheLog) {
  DirectoryView view(*log_);
  EXPECT_FALSE(view.Exists("nj"));
  EXPECT_EQ(*view.NextVersion(), 0u);
  Create("nj", "南京市", v1::UNIT_KIND_CITY, "");
  Create("nj-xw", "玄武区", v1::UNIT_KIND_DISTRICT, "nj");
  EXPECT_TRUE(view.Exists("nj-xw"));
  EXPECT_TRUE(view.IsOpen("nj-xw"));
  Create("nj-xw-my", "梅园新村街道", v1::UNIT_KIND_STREET, "nj-xw");
  EXPECT_THAT(*view.Subtree("nj"), ElementsAre("nj", "nj-xw", "nj-xw-my"));
  auto unit = view.Get("nj-xw-my");
  ASSERT_TRUE(unit.ok()) << unit.status();
  EXPECT_EQ(unit->name, "梅园新村街道");
  EXPECT_EQ(unit->parent_id, "nj-xw");
  EXPECT_TRUE(view.IsInSubtree("nj-xw-my", "nj"));
  EXPECT_EQ(view.Get("nj-xx").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(view.Subtree("nj-xx").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(*view.NextVersion(), 3u);

  ASSERT_TRUE(RunDirectoryCommand(*log_, writer_view_, directory::CloseUnit{"nj-xw-my"},
                                  std::nullopt, "close-my", "接线员-王芳")
                  .ok());
  EXPECT_TRUE(view.Exists("nj-xw-my"));
  EXPECT_FALSE(view.IsOpen("nj-xw-my"));
}

TEST_F(DirectoryViewTest, IgnoresOtherStreams) {
  DirectoryView view(*log_);
  Create("nj", "南京市", v1::UNIT_KIND_CITY, "");
  ASSERT_TRUE(
      log_->Append("case-1", storage::ExpectedVersion::Any(),
                   {{EventIdFor("r", "case-1", 0), "case.opened", "{}", "application/json"}})
          .ok());
  Create("nj-xw", "玄武区", v1::UNIT_KIND_DISTRICT, "nj");
  EXPECT_THAT(*view.Subtree("nj"), ElementsAre("nj", "nj-xw"));
  EXPECT_EQ(*view.NextVersion(), 2u);
}

TEST_F(DirectoryViewTest, AnEventThatIsNotADirectoryEventIsDataLoss) {
  DirectoryView view(*log_);
  Create("nj", "南京市", v1::UNIT_KIND_CITY, "");
  ASSERT_TRUE(view.Refresh().ok());
  ASSERT_TRUE(log_->Append(directory::kStream, storage::ExpectedVersion::Exact(0),
                           {{EventIdFor("bad", "directory", 0), "directory.unit_created",
                             "\xff\xff not a proto", directory::kContentType}})
                  .ok());
  EXPECT_EQ(view.Refresh().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(view.Subtree("nj").status().code(), absl::StatusCode::kDataLoss);
  // Answers that cannot carry an error come from the last good state.
  EXPECT_TRUE(view.Exists("nj"));
}

TEST_F(DirectoryViewTest, ConcurrentReadersWhileCommandsLand) {
  Create("nj", "南京市", v1::UNIT_KIND_CITY, "");
  DirectoryView view(*log_);
  std::atomic<bool> done{false};
  std::atomic<int> failures{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 3; ++r) {
    readers.emplace_back([&] {
      size_t last = 0;
      while (!done.load()) {
        auto subtree = view.Subtree("nj");
        // The subtree only grows, and always starts at the root.
        if (!subtree.ok() || subtree->size() < last || subtree->front() != "nj") ++failures;
        if (subtree.ok()) last = subtree->size();
      }
    });
  }
  for (int i = 0; i < 30; ++i) {
    Create("nj-d" + std::to_string(i), "区" + std::to_string(i), v1::UNIT_KIND_DISTRICT, "nj");
  }
  done.store(true);
  for (auto& t : readers) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(view.Subtree("nj")->size(), 31u);
}

}  // namespace
}  // namespace haven::services
