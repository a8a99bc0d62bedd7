// Evolve and Fold, the event type table, the payload encoding, and the
// personal-data marks of the schema.
#include "services/cases/domain/evolve.h"

#include <set>
#include <string>

#include "gtest/gtest.h"
#include "haven/v1/annotations.pb.h"
#include "services/cases/domain/event_types.h"
#include "tests/cases/case_test_util.h"

namespace haven::cases::testing {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;

TEST(EvolveTest, FoldOfNoEventsIsNoCase) {
  const CaseState state = Fold({});
  EXPECT_FALSE(state.exists);
  EXPECT_EQ(state.version, -1);
}

TEST(EvolveTest, EvolveAdvancesVersionByOnePerEvent) {
  CaseState state;
  absl::StatusOr<Events> opened = Decide(state, OpenCaseCommand(), Ctx());
  ASSERT_TRUE(opened.ok()) << opened.status();
  Evolve(state, opened->front());
  EXPECT_EQ(state.version, 0);
  v1::CaseEvent note;
  note.mutable_note_added()->set_text("电话回访，情绪稳定");
  Evolve(state, note);
  EXPECT_EQ(state.version, 1);
}

TEST(EvolveTest, OpenedSetsTheCaseFacts) {
  absl::StatusOr<Events> events = Decide(CaseState{}, OpenCaseCommand(), Ctx());
  ASSERT_TRUE(events.ok()) << events.status();
  const CaseState state = Fold(*events);
  EXPECT_TRUE(state.exists);
  EXPECT_EQ(state.case_id, "case-2024-000731");
  EXPECT_EQ(state.status, CaseStatus::kOpen);
  EXPECT_EQ(state.channel, v1::CHANNEL_HOTLINE);
  EXPECT_EQ(state.category, v1::CATEGORY_DOMESTIC_VIOLENCE);
  EXPECT_EQ(state.subcategory, v1::SUBCATEGORY_INTIMATE_PARTNER_VIOLENCE);
  EXPECT_EQ(state.urgency, v1::URGENCY_URGENT);
  EXPECT_TRUE(state.priority);
  EXPECT_EQ(state.org_unit_id, "unit-xihu-wensan");
  EXPECT_EQ(state.received_at_us, Now() - kHourUs);
  EXPECT_EQ(state.opened_at_us, Now());
}

TEST(EvolveTest, EventWithNoMemberOnlyAdvancesVersion) {
  CaseState state = Fold(*Decide(CaseState{}, OpenCaseCommand(), Ctx()));
  const CaseState before = state;
  v1::CaseEvent from_the_future;  // a kind this code does not know
  from_the_future.set_occurred_at_us(Now());
  Evolve(state, from_the_future);
  EXPECT_EQ(state.version, before.version + 1);
  EXPECT_EQ(state.status, before.status);
  EXPECT_EQ(state.assignee, before.assignee);
}

class FoldTest : public CaseTest {};

TEST_F(FoldTest, FoldOfHistoryEqualsStateBuiltStepByStep) {
  Open();
  Consent(v1::PARTNER_TYPE_LEGAL_AID_CENTRE);
  Refer("ref-1");
  AcceptReferral("ref-1");
  ScheduleMediation("med-1");
  v1::CaseCommand assign;
  assign.mutable_assign_case()->set_operator_id("op-zhaomin");
  MustRun(assign);
  const CaseState folded = Fold(history_);
  EXPECT_EQ(folded.version, state_.version);
  EXPECT_EQ(folded.version, static_cast<int64_t>(history_.size()) - 1);
  EXPECT_EQ(folded.assignee, "op-zhaomin");
  EXPECT_EQ(folded.consent, state_.consent);
  ASSERT_EQ(folded.referrals.count("ref-1"), 1u);
  EXPECT_EQ(folded.referrals.at("ref-1").status, ReferralStatus::kAccepted);
  EXPECT_EQ(folded.mediations.count("med-1"), 1u);
  EXPECT_EQ(folded.OpenReferralIds(), std::vector<std::string>{"ref-1"});
  EXPECT_EQ(folded.PendingMediationId(), "med-1");
}

TEST_F(FoldTest, FoldOfAPrefixIsTheCaseAsItWas) {
  Open();
  Consent(v1::PARTNER_TYPE_LAWYER);
  const size_t before_referral = history_.size();
  Refer("ref-1", v1::PARTNER_TYPE_LAWYER, "lawyer-chen");
  const CaseState then = Fold(Events(history_.begin(), history_.begin() + before_referral));
  EXPECT_TRUE(then.referrals.empty());
  EXPECT_EQ(Fold(history_).referrals.size(), 1u);
}

TEST(EventTypesTest, EveryEventMemberHasOneTypeString) {
  const google::protobuf::OneofDescriptor* oneof =
      v1::CaseEvent::descriptor()->FindOneofByName("event");
  ASSERT_NE(oneof, nullptr);
  std::set<absl::string_view> types;
  for (int i = 0; i < oneof->field_count(); ++i) {
    const auto event_case = static_cast<v1::CaseEvent::EventCase>(oneof->field(i)->number());
    const absl::string_view type = EventTypeOf(event_case);
    EXPECT_FALSE(type.empty()) << oneof->field(i)->name();
    EXPECT_EQ(type.substr(0, kCaseEventTypePrefix.size()), kCaseEventTypePrefix);
    EXPECT_EQ(EventCaseOf(type), event_case) << type;
    types.insert(type);
  }
  EXPECT_EQ(types.size(), static_cast<size_t>(oneof->field_count()));
  EXPECT_EQ(AllCaseEventTypes().size(), static_cast<size_t>(oneof->field_count()));
}

TEST(EventTypesTest, TypeStringsNameTheFact) {
  EXPECT_EQ(EventTypeOf(v1::CaseEvent::kOpened), "case.opened");
  EXPECT_EQ(EventTypeOf(v1::CaseEvent::kClosed), "case.closed");
  EXPECT_EQ(EventTypeOf(v1::CaseEvent::kReferralMade), "case.referral_made");
  EXPECT_EQ(EventTypeOf(v1::CaseEvent::EVENT_NOT_SET), "");
  EXPECT_EQ(EventCaseOf("case.no_such_thing"), v1::CaseEvent::EVENT_NOT_SET);
  EXPECT_EQ(kCaseEventContentType, "application/x-protobuf; type=haven.cases.v1.CaseEvent");
}

TEST(EventTypesTest, EncodeDecodeKeepsChineseNamesAndAccounts) {
  absl::StatusOr<Events> events = Decide(CaseState{}, OpenCaseCommand(), Ctx());
  ASSERT_TRUE(events.ok()) << events.status();
  const v1::CaseEvent& opened = events->front();
  absl::StatusOr<v1::CaseEvent> decoded =
      DecodeCaseEvent(EventTypeOf(opened), EncodeCaseEvent(opened));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->opened().seeker().name(), "王秀兰");
  EXPECT_EQ(decoded->opened().seeker().address(), "浙江省杭州市西湖区文三路 128 号 3 幢 502 室");
  EXPECT_EQ(decoded->opened().respondent().name(), "张建国");
  EXPECT_EQ(decoded->opened().account(), OpenCaseCommand().open_case().account());
  EXPECT_EQ(decoded->actor(), "op-lihua");
  EXPECT_EQ(decoded->SerializeAsString(), opened.SerializeAsString());
}

TEST(EventTypesTest, DecodeRefusesPayloadOfAnotherType) {
  v1::CaseEvent note;
  note.mutable_note_added()->set_text("已联系社区网格员");
  absl::StatusOr<v1::CaseEvent> decoded = DecodeCaseEvent("case.closed", EncodeCaseEvent(note));
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().code(), absl::StatusCode::kDataLoss);
}

TEST(EventTypesTest, DecodeRefusesGarbage) {
  absl::StatusOr<v1::CaseEvent> decoded = DecodeCaseEvent("case.opened", "\xff\xff\xff\xff");
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().code(), absl::StatusCode::kDataLoss);
}

TEST(EventTypesTest, DecodeToleratesTypesOfNewerVersions) {
  // A newer writer's event: a member this code does not know (field 99).
  const std::string payload = std::string("\x08\x01", 2) + std::string("\x9a\x06\x00", 3);
  absl::StatusOr<v1::CaseEvent> decoded = DecodeCaseEvent("case.something_new", payload);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->event_case(), v1::CaseEvent::EVENT_NOT_SET);
}

haven::v1::PersonalData PersonalDataOf(const FieldDescriptor* field) {
  return field->options().GetExtension(haven::v1::personal_data);
}

TEST(PersonalDataTest, EveryPersonFieldIsMarkedPersonal) {
  const Descriptor* person = v1::Person::descriptor();
  for (int i = 0; i < person->field_count(); ++i) {
    EXPECT_NE(PersonalDataOf(person->field(i)), haven::v1::PERSONAL_DATA_NONE)
        << person->field(i)->full_name();
  }
  EXPECT_EQ(PersonalDataOf(person->FindFieldByName("id_number")),
            haven::v1::PERSONAL_DATA_ID_NUMBER);
  EXPECT_EQ(PersonalDataOf(person->FindFieldByName("phone")), haven::v1::PERSONAL_DATA_PHONE);
  EXPECT_EQ(PersonalDataOf(person->FindFieldByName("address")), haven::v1::PERSONAL_DATA_ADDRESS);
  EXPECT_EQ(PersonalDataOf(person->FindFieldByName("name")), haven::v1::PERSONAL_DATA_NAME);
}

// Every field of either file whose name says it holds someone's words or
// name is marked, events and commands alike.
TEST(PersonalDataTest, EveryFreeTextAndNameFieldIsMarkedPersonal) {
  const std::set<std::string> free_text = {"account", "note",         "summary",
                                           "reason",  "text",         "basis",
                                           "purpose", "closure_note", "pending_referral_reason"};
  const std::set<std::string> names = {"mediator_name", "handler_name"};
  int checked = 0;
  for (const google::protobuf::FileDescriptor* file :
       {v1::CaseEvent::descriptor()->file(), v1::CaseCommand::descriptor()->file()}) {
    for (int m = 0; m < file->message_type_count(); ++m) {
      const Descriptor* message = file->message_type(m);
      for (int f = 0; f < message->field_count(); ++f) {
        const FieldDescriptor* field = message->field(f);
        if (free_text.count(field->name()) > 0) {
          EXPECT_EQ(PersonalDataOf(field), haven::v1::PERSONAL_DATA_FREE_TEXT)
              << field->full_name();
          ++checked;
        } else if (names.count(field->name()) > 0) {
          EXPECT_EQ(PersonalDataOf(field), haven::v1::PERSONAL_DATA_NAME) << field->full_name();
          ++checked;
        }
      }
    }
  }
  EXPECT_GT(checked, 40);
}

}  // namespace
}  // namespace haven::cases::testing
