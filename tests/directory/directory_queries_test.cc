// DirectoryService queries through gRPC: GetUnit with path and ancestors,
// ListChildren, paged ListSubtree, FindByCode, and Chinese round trips.
#include <string>
#include <vector>

#include "services/directory/domain/events.h"
#include "tests/directory/service_fixture.h"

namespace haven::services {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class DirectoryQueriesTest : public DirectoryServiceTest {
 protected:
  void SetUp() override {
    DirectoryServiceTest::SetUp();
    BuildNanjing();
  }

  // Every unit id of the subtree, page by page; the number of pages in `pages`.
  std::vector<std::string> ListAll(const std::string& unit_id, uint32_t page_size,
                                   bool include_closed, int* pages) {
    std::vector<std::string> ids;
    v1::ListSubtreeRequest request;
    request.set_unit_id(unit_id);
    request.set_page_size(page_size);
    request.set_include_closed(include_closed);
    *pages = 0;
    do {
      grpc::ClientContext context;
      v1::ListSubtreeResponse response;
      grpc::Status status = stub_->ListSubtree(&context, request, &response);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok()) break;
      ++*pages;
      for (const auto& u : response.units()) ids.push_back(u.unit_id());
      request.set_page_token(response.next_page_token());
    } while (!request.page_token().empty());
    return ids;
  }

  static std::vector<std::string> Ids(const google::protobuf::RepeatedPtrField<v1::Unit>& units) {
    std::vector<std::string> ids;
    for (const auto& u : units) ids.push_back(u.unit_id());
    return ids;
  }
};

TEST_F(DirectoryQueriesTest, GetUnitGivesPathAndAncestorsInChinese) {
  v1::GetUnitResponse response = Get("nj-xw-my-cjl-wj1");
  const v1::Unit& unit = response.unit();
  EXPECT_EQ(unit.name(), "长江路巾帼微家");
  EXPECT_EQ(unit.kind(), v1::UNIT_KIND_MICRO_HOME);
  EXPECT_EQ(unit.parent_id(), "nj-xw-my-cjl");
  EXPECT_EQ(unit.path(), "南京市/玄武区/梅园新村街道/长江路社区/长江路巾帼微家");
  EXPECT_EQ(unit.depth(), 4u);
  EXPECT_FALSE(unit.closed());
  EXPECT_THAT(Ids(response.ancestors()), ElementsAre("nj", "nj-xw", "nj-xw-my", "nj-xw-my-cjl"));
  EXPECT_EQ(response.ancestors(2).name(), "梅园新村街道");
  EXPECT_EQ(response.ancestors(2).statistical_code(), "320102002000");
  EXPECT_EQ(response.directory_version(), 7u);
}

TEST_F(DirectoryQueriesTest, GetUnitOfUnknownOrMissingIdIsRefused) {
  grpc::ClientContext context;
  v1::GetUnitRequest request;
  request.set_unit_id("nj-xx");
  v1::GetUnitResponse response;
  grpc::Status status = stub_->GetUnit(&context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(status.error_message(), HasSubstr("unit_id"));
  grpc::ClientContext context2;
  request.clear_unit_id();
  EXPECT_EQ(stub_->GetUnit(&context2, request, &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(DirectoryQueriesTest, ChineseActorAndNamesRoundTripThroughTheLog) {
  auto page = log_.ReadStream(directory::kStream, 2, storage::Direction::kForwards, 1);
  ASSERT_TRUE(page.ok()) << page.status();
  const storage::RecordedEvent& e = page->events.at(0);
  EXPECT_EQ(e.actor, "接线员-王芳");
  EXPECT_EQ(e.type, "directory.unit_created");
  EXPECT_EQ(e.content_type, "application/x-protobuf; type=haven.directory.v1.DirectoryEvent");
  EXPECT_EQ(e.causation_id, "create-nj-xw-my");
  v1::DirectoryEvent event;
  ASSERT_TRUE(event.ParseFromString(e.payload));
  EXPECT_EQ(event.unit_created().name(), "梅园新村街道");
}

TEST_F(DirectoryQueriesTest, ListChildrenInJoiningOrderWithClosedOnRequest) {
  v1::CloseUnitRequest close;
  close.set_request_id("close-dxg");
  close.set_unit_id("nj-xw-my-dxg");
  v1::CommandResponse closed;
  ASSERT_TRUE(As("接线员-王芳", [&](auto* c) { return stub_->CloseUnit(c, close, &closed); }).ok());
  MustCreate("nj-xw-my-ly", "兰园社区", v1::UNIT_KIND_COMMUNITY, "nj-xw-my");

  grpc::ClientContext context;
  v1::ListChildrenRequest request;
  request.set_unit_id("nj-xw-my");
  v1::ListChildrenResponse response;
  ASSERT_TRUE(stub_->ListChildren(&context, request, &response).ok());
  EXPECT_THAT(Ids(response.units()), ElementsAre("nj-xw-my-cjl", "nj-xw-my-ly"));
  EXPECT_EQ(response.units(1).path(), "南京市/玄武区/梅园新村街道/兰园社区");
  EXPECT_EQ(response.directory_version(), 9u);

  grpc::ClientContext context2;
  request.set_include_closed(true);
  ASSERT_TRUE(stub_->ListChildren(&context2, request, &response).ok());
  EXPECT_THAT(Ids(response.units()), ElementsAre("nj-xw-my-cjl", "nj-xw-my-dxg", "nj-xw-my-ly"));
  EXPECT_TRUE(response.units(1).closed());
}

TEST_F(DirectoryQueriesTest, ListChildrenOfNothingIsTheRoot) {
  grpc::ClientContext context;
  v1::ListChildrenResponse response;
  ASSERT_TRUE(stub_->ListChildren(&context, v1::ListChildrenRequest(), &response).ok());
  EXPECT_THAT(Ids(response.units()), ElementsAre("nj"));
  grpc::ClientContext context2;
  v1::ListChildrenRequest unknown;
  unknown.set_unit_id("nj-xx");
  EXPECT_EQ(stub_->ListChildren(&context2, unknown, &response).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(DirectoryQueriesTest, ListSubtreePagesThroughTheWholeSubtree) {
  int pages = 0;
  EXPECT_THAT(ListAll("nj", 3, false, &pages),
              ElementsAre("nj", "nj-xw", "nj-xw-my", "nj-xw-my-cjl", "nj-xw-my-cjl-wj1",
                          "nj-xw-my-dxg", "nj-gc", "nj-gc-zq"));
  EXPECT_EQ(pages, 3);
  EXPECT_THAT(ListAll("nj-xw-my", 0, false, &pages),
              ElementsAre("nj-xw-my", "nj-xw-my-cjl", "nj-xw-my-cjl-wj1", "nj-xw-my-dxg"));
  EXPECT_EQ(pages, 1);
}

TEST_F(DirectoryQueriesTest, ListSubtreeLeavesClosedUnitsOutUnlessAsked) {
  v1::CloseUnitRequest close;
  close.set_request_id("close-wj1");
  close.set_unit_id("nj-xw-my-cjl-wj1");
  v1::CommandResponse closed;
  ASSERT_TRUE(As("接线员-王芳", [&](auto* c) { return stub_->CloseUnit(c, close, &closed); }).ok());
  int pages = 0;
  EXPECT_THAT(ListAll("nj-xw-my", 2, false, &pages),
              ElementsAre("nj-xw-my", "nj-xw-my-cjl", "nj-xw-my-dxg"));
  EXPECT_THAT(ListAll("nj-xw-my", 2, true, &pages),
              ElementsAre("nj-xw-my", "nj-xw-my-cjl", "nj-xw-my-cjl-wj1", "nj-xw-my-dxg"));
}

TEST_F(DirectoryQueriesTest, ListSubtreeRefusesBadPaging) {
  v1::ListSubtreeRequest request;
  request.set_unit_id("nj");
  request.set_page_size(1001);
  v1::ListSubtreeResponse response;
  grpc::ClientContext c1;
  grpc::Status status = stub_->ListSubtree(&c1, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("page_size"));
  request.set_page_size(10);
  request.set_page_token("not-a-token!");
  grpc::ClientContext c2;
  status = stub_->ListSubtree(&c2, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("page_token"));
  request.clear_page_token();
  request.set_unit_id("nj-xx");
  grpc::ClientContext c3;
  EXPECT_EQ(stub_->ListSubtree(&c3, request, &response).error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(DirectoryQueriesTest, FindByCode) {
  grpc::ClientContext c1;
  v1::FindByCodeRequest request;
  request.set_statistical_code("320102002001");
  v1::GetUnitResponse response;
  ASSERT_TRUE(stub_->FindByCode(&c1, request, &response).ok());
  EXPECT_EQ(response.unit().unit_id(), "nj-xw-my-cjl");
  EXPECT_EQ(response.unit().path(), "南京市/玄武区/梅园新村街道/长江路社区");
  EXPECT_EQ(response.ancestors_size(), 3);

  grpc::ClientContext c2;
  request.set_statistical_code("320102002009");
  grpc::Status status = stub_->FindByCode(&c2, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(status.error_message(), HasSubstr("statistical_code"));
  grpc::ClientContext c3;
  request.set_statistical_code("3201");
  EXPECT_EQ(stub_->FindByCode(&c3, request, &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(DirectoryQueriesTest, QueriesSeeEveryAcknowledgedCommand) {
  v1::RenameUnitRequest rename;
  rename.set_request_id("rename-gc");
  rename.set_unit_id("nj-gc");
  rename.set_name("高淳区（试点）");
  v1::CommandResponse response;
  ASSERT_TRUE(
      As("接线员-王芳", [&](auto* c) { return stub_->RenameUnit(c, rename, &response); }).ok());
  EXPECT_EQ(Get("nj-gc-zq").unit().path(), "南京市/高淳区（试点）/砖墙镇");
  EXPECT_EQ(Get("nj-gc-zq").directory_version(), response.version());
}

}  // namespace
}  // namespace haven::services
