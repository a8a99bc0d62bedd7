// An in-process LegalAidService beside the CaseService and DirectoryService
// of CaseServiceTest, with the referral and audit read models kept by a
// projection runner.  The partner a call comes from is named by test
// metadata (FakePartnerCallers); services/access decides that in havend.
#ifndef HAVEN_TESTS_LEGALAID_LEGAL_AID_FIXTURE_H_
#define HAVEN_TESTS_LEGALAID_LEGAL_AID_FIXTURE_H_

#include <memory>
#include <string>
#include <vector>

#include "haven/legalaid/v1/legal_aid.grpc.pb.h"
#include "services/audit/access_by_user.h"
#include "services/audit/access_log.h"
#include "services/legalaid/legal_aid_service.h"
#include "services/legalaid/partner_referrals.h"
#include "storage/projection_runner.h"
#include "storage/read_model_store.h"
#include "tests/cases/service/case_service_fixture.h"

namespace haven::legalaid {

inline constexpr char kPartnerUserKey[] = "test-partner-user";
inline constexpr char kPartnerOrgKey[] = "test-partner-org";
inline constexpr char kLegalAidXw[] = "legal-aid-xw";
inline constexpr char kLegalAidGc[] = "legal-aid-gc";

class FakePartnerCallers final : public PartnerCallers {
 public:
  explicit FakePartnerCallers(bool purpose_required) : purpose_required_(purpose_required) {}

  absl::StatusOr<PartnerCaller> PartnerOf(const grpc::ServerContextBase& context) const override {
    const auto& metadata = context.client_metadata();
    auto user = metadata.find(kPartnerUserKey);
    auto org = metadata.find(kPartnerOrgKey);
    if (user == metadata.end() || org == metadata.end()) {
      return absl::PermissionDeniedError("rule partner_only: not a partner user");
    }
    return PartnerCaller{std::string(user->second.data(), user->second.size()),
                         std::string(org->second.data(), org->second.size()),
                         "legal_aid_partner", "certificate"};
  }
  bool purpose_required() const override { return purpose_required_; }

 private:
  const bool purpose_required_;
};

class LegalAidTest : public services::CaseServiceTest {
 protected:
  // The log the services write to; a test may wrap log_ to inject faults.
  virtual storage::EventLog& ServiceLog() { return *log_; }

  void SetUp() override {
    read_models_ = storage::ReadModelStore::OpenInMemory();
    std::vector<std::unique_ptr<storage::Projection>> projections;
    projections.push_back(std::make_unique<PartnerReferralsProjection>());
    projections.push_back(std::make_unique<audit::AccessByUserProjection>());
    auto runner = storage::ProjectionRunner::Create(*log_, *read_models_, std::move(projections));
    ASSERT_TRUE(runner.ok()) << runner.status();
    runner_ = std::move(*runner);
    ASSERT_TRUE(runner_->Start().ok());

    directory_ = std::make_unique<services::DirectoryService>(*log_);
    service_ = std::make_unique<services::CaseService>(ServiceLog(), directory_->view(), clock_);
    legal_aid_ = std::make_unique<LegalAidService>(
        ServiceLog(), directory_->view(), clock_, *read_models_, *runner_,
        std::make_shared<FakePartnerCallers>(/*purpose_required=*/true));
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(directory_.get());
    builder.RegisterService(service_.get());
    builder.RegisterService(legal_aid_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    auto channel =
        grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials());
    stub_ = services::v1::CaseService::NewStub(channel);
    directory_stub_ = directory::v1::DirectoryService::NewStub(channel);
    partner_stub_ = v1::LegalAidService::NewStub(channel);
    BuildNanjing();
  }

  void TearDown() override {
    legal_aid_->BeginShutdown();
    server_->Shutdown();
    runner_->Stop();
  }

  // A client context of a user of partner `org`, declaring a purpose.
  static void AsPartner(grpc::ClientContext& context, const std::string& org,
                        const std::string& user = "lawyer-chen",
                        const std::string& purpose = "承办法律援助案件") {
    context.AddMetadata(kPartnerUserKey, user);
    context.AddMetadata(kPartnerOrgKey, org);
    if (!purpose.empty()) context.AddMetadata("haven-purpose-bin", purpose);
  }

  // Opens the standard case with consent to legal aid, and refers it to
  // `partner`.  Returns the referral id.
  std::string OpenAndRefer(services::CaseRef& c, const std::string& partner = kLegalAidXw) {
    using services::Stub;
    c = Open();
    services::v1::RecordConsentRequest consent;
    consent.mutable_record_consent()->add_scope(services::v1::PARTNER_TYPE_LEGAL_AID_CENTRE);
    consent.mutable_record_consent()->set_form(services::v1::CONSENT_FORM_WRITTEN);
    MustDo(c, &Stub::RecordConsent, consent);
    return Refer(c, partner);
  }

  std::string Refer(services::CaseRef& c, const std::string& partner) {
    services::v1::MakeReferralRequest refer;
    refer.mutable_make_referral()->set_partner_id(partner);
    refer.mutable_make_referral()->set_partner_type(services::v1::PARTNER_TYPE_LEGAL_AID_CENTRE);
    refer.mutable_make_referral()->set_partner_name("区法律援助中心");
    refer.mutable_make_referral()->set_reason("申请离婚诉讼代理。");
    return MustDo(c, &services::Stub::MakeReferral, refer).created_id();
  }

  grpc::Status GetReferral(const std::string& org, const std::string& referral_id,
                           v1::GetReferralResponse* response,
                           const std::string& purpose = "承办法律援助案件") {
    grpc::ClientContext context;
    AsPartner(context, org, "lawyer-chen", purpose);
    v1::GetReferralRequest request;
    request.set_referral_id(referral_id);
    return partner_stub_->GetReferral(&context, request, response);
  }

  std::vector<v1::ReferralSummary> ListMine(const std::string& org) {
    grpc::ClientContext context;
    AsPartner(context, org);
    v1::ListMyReferralsRequest request;
    request.set_min_position(log_->HeadPosition());
    v1::ListMyReferralsResponse response;
    grpc::Status status = partner_stub_->ListMyReferrals(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return {response.referrals().begin(), response.referrals().end()};
  }

  // The access records of `case_id`, oldest first.
  std::vector<audit::v1::AccessRecorded> AccessRecords(const std::string& case_id) {
    std::vector<audit::v1::AccessRecorded> records;
    auto page = log_->ReadStream(audit::AccessStream(case_id), 0, storage::Direction::kForwards,
                                 1000);
    if (!page.ok()) return records;
    for (const auto& event : page->events) {
      records.emplace_back().ParseFromString(event.payload);
    }
    return records;
  }

  std::unique_ptr<storage::ReadModelStore> read_models_;
  std::unique_ptr<storage::ProjectionRunner> runner_;
  std::unique_ptr<LegalAidService> legal_aid_;
  std::unique_ptr<v1::LegalAidService::Stub> partner_stub_;
};

}  // namespace haven::legalaid

#endif  // HAVEN_TESTS_LEGALAID_LEGAL_AID_FIXTURE_H_
