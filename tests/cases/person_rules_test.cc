// Resident ID numbers, phone numbers and the other facts about a person.
#include <string>

#include "gtest/gtest.h"
#include "services/cases/domain/id_number.h"
#include "tests/cases/case_test_util.h"

namespace haven::cases::testing {
namespace {

using absl::StatusCode;

absl::StatusOr<Events> OpenWithSeeker(const v1::Person& seeker) {
  v1::CaseCommand command = OpenCaseCommand();
  *command.mutable_open_case()->mutable_seeker() = seeker;
  return Decide(CaseState{}, command, Ctx());
}

v1::Person WithIdNumber(const std::string& id) {
  v1::Person p = Seeker();
  p.set_id_number(id);
  p.clear_birth_year();
  p.clear_gender();
  return p;
}

v1::Person WithPhone(const std::string& phone) {
  v1::Person p = Seeker();
  p.set_phone(phone);
  return p;
}

// A 17-digit prefix whose check character is X: GB 11643's own example.
constexpr char kStandardExample[] = "11010519491231002X";

TEST(IdNumberTest, CheckCharacterFollowsTheStandard) {
  EXPECT_EQ(IdNumberCheckCharacter("11010519491231002"), 'X');
  EXPECT_EQ(WithCheckCharacter("11010519491231002"), kStandardExample);
  // The implementation's weights against the standard's definition.
  for (int seq = 0; seq < 1000; seq += 7) {
    const std::string first17 = "44010619900101" + std::to_string(1000 + seq).substr(1);
    EXPECT_EQ(first17 + IdNumberCheckCharacter(first17), WithCheckCharacter(first17));
  }
}

TEST(IdNumberTest, ValidIdNumberTellsBirthDateAndGender) {
  absl::StatusOr<IdNumberFacts> facts =
      ParseIdNumber("seeker.id_number", Seeker().id_number(), Now());
  ASSERT_TRUE(facts.ok()) << facts.status();
  EXPECT_EQ(facts->birth_year, 1985);
  EXPECT_EQ(facts->birth_month, 3);
  EXPECT_EQ(facts->birth_day, 12);
  EXPECT_EQ(facts->gender, v1::GENDER_FEMALE);
}

TEST(IdNumberTest, IdNumberEndingInXIsValid) {
  EXPECT_TRUE(OpenWithSeeker(WithIdNumber(kStandardExample)).ok());
}

TEST(IdNumberTest, LowerCaseXIsAcceptedAndStoredUpperCase) {
  std::string id = kStandardExample;
  id.back() = 'x';
  absl::StatusOr<Events> events = OpenWithSeeker(WithIdNumber(id));
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_EQ(events->front().opened().seeker().id_number(), kStandardExample);
}

TEST(IdNumberTest, IdNumberWithWrongCheckDigitIsInvalid) {
  std::string id = Seeker().id_number();
  id.back() = id.back() == '0' ? '1' : '0';
  absl::StatusOr<Events> result = OpenWithSeeker(WithIdNumber(id));
  EXPECT_TRUE(Fails(result, StatusCode::kInvalidArgument, "open_case.seeker.id_number"));
  EXPECT_NE(result.status().message().find("check character"), std::string::npos);
}

TEST(IdNumberTest, IdNumberMustHaveEighteenCharacters) {
  // The old 15-digit numbers were replaced in 2013.
  EXPECT_TRUE(Fails(OpenWithSeeker(WithIdNumber("330106850312042")), StatusCode::kInvalidArgument,
                    "open_case.seeker.id_number"));
}

TEST(IdNumberTest, IdNumberWithLettersIsInvalid) {
  EXPECT_TRUE(Fails(OpenWithSeeker(WithIdNumber("33010619850312O42" + std::string("1"))),
                    StatusCode::kInvalidArgument, "open_case.seeker.id_number"));
}

TEST(IdNumberTest, IdNumberWithUnknownProvinceIsInvalid) {
  EXPECT_TRUE(Fails(OpenWithSeeker(WithIdNumber(WithCheckCharacter("99010619850312042"))),
                    StatusCode::kInvalidArgument, "open_case.seeker.id_number"));
}

TEST(IdNumberTest, IdNumberWithImpossibleBirthDateIsInvalid) {
  absl::StatusOr<Events> result =
      OpenWithSeeker(WithIdNumber(WithCheckCharacter("33010619850230042")));
  EXPECT_TRUE(Fails(result, StatusCode::kInvalidArgument, "open_case.seeker.id_number"));
  EXPECT_NE(result.status().message().find("birth date"), std::string::npos);
}

TEST(IdNumberTest, IdNumberBornInTheFutureIsInvalid) {
  EXPECT_TRUE(Fails(OpenWithSeeker(WithIdNumber(WithCheckCharacter("33010620250101042"))),
                    StatusCode::kInvalidArgument, "open_case.seeker.id_number"));
}

TEST(IdNumberTest, BirthYearDisagreeingWithIdNumberIsInvalid) {
  v1::Person p = Seeker();
  p.set_birth_year(1986);
  EXPECT_TRUE(
      Fails(OpenWithSeeker(p), StatusCode::kInvalidArgument, "open_case.seeker.birth_year"));
}

TEST(IdNumberTest, GenderDisagreeingWithIdNumberIsInvalid) {
  v1::Person p = Seeker();
  p.set_gender(v1::GENDER_MALE);
  EXPECT_TRUE(Fails(OpenWithSeeker(p), StatusCode::kInvalidArgument, "open_case.seeker.gender"));
}

TEST(IdNumberTest, ErrorMessagesDoNotRepeatTheIdNumber) {
  std::string id = Seeker().id_number();
  id.back() = id.back() == '0' ? '1' : '0';
  absl::StatusOr<Events> result = OpenWithSeeker(WithIdNumber(id));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().message().find(id.substr(0, 10)), std::string::npos);
}

TEST(PersonTest, BirthYearOutOfRangeIsInvalid) {
  v1::Person p = Seeker();
  p.clear_id_number();
  p.set_birth_year(1850);
  EXPECT_TRUE(
      Fails(OpenWithSeeker(p), StatusCode::kInvalidArgument, "open_case.seeker.birth_year"));
}

TEST(PersonTest, UnknownGenderValueIsInvalid) {
  v1::Person p = Seeker();
  p.set_gender(static_cast<v1::Gender>(7));
  EXPECT_TRUE(Fails(OpenWithSeeker(p), StatusCode::kInvalidArgument, "open_case.seeker.gender"));
}

TEST(PersonTest, AddressOnOneLineOfAtMostTwoHundredCharacters) {
  v1::Person p = Seeker();
  p.set_address(std::string(201, 'a'));
  EXPECT_TRUE(Fails(OpenWithSeeker(p), StatusCode::kInvalidArgument, "open_case.seeker.address"));
}

TEST(PhoneTest, MobileNumberIsValid) { EXPECT_TRUE(OpenWithSeeker(WithPhone("19912345678")).ok()); }

TEST(PhoneTest, MobileMustBeElevenDigitsStartingWithOne) {
  for (const char* phone : {"1381234567", "138123456789", "1381234567a", "138-1234-5678"}) {
    absl::StatusOr<Events> result = OpenWithSeeker(WithPhone(phone));
    EXPECT_TRUE(Fails(result, StatusCode::kInvalidArgument, "open_case.seeker.phone")) << phone;
    EXPECT_EQ(result.status().message().find(phone), std::string::npos) << "echoes the number";
  }
}

TEST(PhoneTest, NumberStartingWithNeitherOneNorZeroIsInvalid) {
  EXPECT_TRUE(Fails(OpenWithSeeker(WithPhone("23812345678")), StatusCode::kInvalidArgument,
                    "open_case.seeker.phone"));
}

TEST(PhoneTest, FixedLineNumberIsValid) {
  EXPECT_TRUE(OpenWithSeeker(WithPhone("0571-87654321")).ok());
  EXPECT_TRUE(OpenWithSeeker(WithPhone("01065432100")).ok());
}

TEST(PhoneTest, MalformedFixedLineIsInvalid) {
  EXPECT_TRUE(Fails(OpenWithSeeker(WithPhone("05-7187654321")), StatusCode::kInvalidArgument,
                    "open_case.seeker.phone"));
  EXPECT_TRUE(Fails(OpenWithSeeker(WithPhone("0571-876")), StatusCode::kInvalidArgument,
                    "open_case.seeker.phone"));
}

TEST(PhoneTest, RespondentPhoneIsValidatedToo) {
  v1::CaseCommand command = OpenCaseCommand();
  command.mutable_open_case()->mutable_respondent()->set_phone("1380000");
  EXPECT_TRUE(Fails(Decide(CaseState{}, command, Ctx()), StatusCode::kInvalidArgument,
                    "open_case.respondent.phone"));
}

}  // namespace
}  // namespace haven::cases::testing
