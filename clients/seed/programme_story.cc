#include "seed/programme_story.h"

#include <algorithm>
#include <cstdio>
#include <ctime>

namespace haven::seed {

int64_t CstDayOf(int64_t us) { return (us + kCstOffsetUs) / kDayUs; }

int64_t CstMidnight(int64_t day) { return day * kDayUs - kCstOffsetUs; }

CivilDate CstDate(int64_t us) {
  const std::time_t t = static_cast<std::time_t>((us + kCstOffsetUs) / 1000000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

int64_t DayOf(int year, int month, int day) {
  std::tm tm{};
  tm.tm_year = year + (month - 1) / 12 - 1900;
  tm.tm_mon = (month - 1) % 12;
  tm.tm_mday = day;
  return static_cast<int64_t>(timegm(&tm)) / 86400;
}

int64_t OfficeTime(Rng& rng, int64_t day) {
  // Day 0 (1970-01-01) was a Thursday: 0 = Monday ... 6 = Sunday.
  const int weekday = static_cast<int>(((day % 7) + 7 + 3) % 7);
  if (weekday >= 5) day += 7 - weekday;
  return CstMidnight(day) + 8 * kHourUs + 30 * kMinuteUs + rng.Between(0, 9 * 60) * kMinuteUs;
}

std::string SchoolTerm(const CivilDate& date) {
  char text[16];
  if (date.month >= 9) {
    std::snprintf(text, sizeof text, "%d-%d-1", date.year, date.year + 1);
  } else if (date.month <= 2) {
    std::snprintf(text, sizeof text, "%d-%d-1", date.year - 1, date.year);
  } else {
    std::snprintf(text, sizeof text, "%d-%d-2", date.year - 1, date.year);
  }
  return text;
}

std::string DayText(const CivilDate& date) {
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02d-%02d", date.year, date.month, date.day);
  return text;
}

StoryBuilder::StoryBuilder(const ProgrammeGenerator& generator, Programme programme,
                           std::string id, std::string service)
    : seed_(generator.directory().seed),
      limit_us_(generator.now_us() - 10 * kMinuteUs),
      last_us_(generator.FirstDayUs()) {
  plan_.programme = programme;
  plan_.id = std::move(id);
  plan_.service = std::move(service);
}

bool StoryBuilder::AddMessage(const std::string& aggregate_id,
                              std::shared_ptr<google::protobuf::Message> command,
                              const std::string& actor, int64_t at_us) {
  if (reached_now_) return false;
  const int64_t at = std::max(at_us, last_us_);
  if (at > limit_us_) {
    reached_now_ = true;
    return false;
  }
  const auto* oneof = command->GetDescriptor()->FindOneofByName("command");
  const auto* reflection = command->GetReflection();
  const auto* field =
      oneof == nullptr ? nullptr : reflection->GetOneofFieldDescriptor(*command, oneof);
  if (field != nullptr) {
    google::protobuf::Message* member = reflection->MutableMessage(command.get(), field);
    const auto* descriptor = member->GetDescriptor();
    for (int i = 0; i < descriptor->field_count(); ++i) {
      const auto* time = descriptor->field(i);
      const std::string& name = time->name();
      if (time->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_INT64 ||
          time->is_repeated() || name.size() < 6 ||
          name.compare(name.size() - 6, 6, "_at_us") != 0) {
        continue;
      }
      if (member->GetReflection()->GetInt64(*member, time) == 0) {
        member->GetReflection()->SetInt64(member, time, at);
      }
    }
  }
  ProgrammeStep step;
  step.command = std::move(command);
  step.aggregate_id = aggregate_id;
  step.actor = actor;
  char id[160];
  std::snprintf(id, sizeof id, "seed-%llu-%s-%03zu", static_cast<unsigned long long>(seed_),
                plan_.id.c_str(), plan_.steps.size());
  step.request_id = id;
  step.at_us = at;
  plan_.steps.push_back(std::move(step));
  last_us_ = at;
  return true;
}

}  // namespace haven::seed
