// What the four programme generators share (internal to haven_seed_lib):
// a builder that appends a story's steps in order and stops at now, and
// the CST calendar helpers their timelines use.
#ifndef HAVEN_CLIENTS_SEED_PROGRAMME_STORY_H_
#define HAVEN_CLIENTS_SEED_PROGRAMME_STORY_H_

#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "seed/programme_plan.h"
#include "seed/random.h"

namespace haven::seed {

inline constexpr int64_t kMinuteUs = 60LL * 1000000;
inline constexpr int64_t kHourUs = 60 * kMinuteUs;
inline constexpr int64_t kDayUs = 24 * kHourUs;
inline constexpr int64_t kCstOffsetUs = 8 * kHourUs;

// The CST day (days since 1970-01-01) of an instant, and its midnight.
int64_t CstDayOf(int64_t us);
int64_t CstMidnight(int64_t day);

struct CivilDate {
  int year = 1970, month = 1, day = 1;
};
CivilDate CstDate(int64_t us);
// The CST day of a date (months past 12 roll into the next year).
int64_t DayOf(int year, int month, int day);

// An instant in office hours (08:30-17:30 CST) of `day`, moved to the
// Monday after when `day` is a Saturday or Sunday.
int64_t OfficeTime(Rng& rng, int64_t day);

// The school term of a CST date: "2024-2025-1" from September to
// February, "2024-2025-2" from March to August.
std::string SchoolTerm(const CivilDate& date);

// "2024-05-01".
std::string DayText(const CivilDate& date);

// Appends the steps of one story in order.  A step never happens before
// the one before it (its instant moves up if drawn earlier) and never
// after now less a margin: from the first step that would, the story is
// still under way and nothing more is added.
class StoryBuilder {
 public:
  StoryBuilder(const ProgrammeGenerator& generator, Programme programme, std::string id,
               std::string service);

  // Adds a step to `aggregate_id` happening at `at_us`; the top-level time
  // fields of the command's member (int64 "*_at_us") left 0 take its
  // instant.  False, and nothing added, once the story has reached now.
  template <typename Command>
  bool Add(const std::string& aggregate_id, Command command, const std::string& actor,
           int64_t at_us) {
    return AddMessage(aggregate_id, std::make_shared<Command>(std::move(command)), actor, at_us);
  }

  // True once a step fell after now.
  bool reached_now() const { return reached_now_; }
  // The instant of the last step added (the story's start before any).
  int64_t last_us() const { return last_us_; }
  // The last instant a step may happen.
  int64_t limit_us() const { return limit_us_; }
  size_t size() const { return plan_.steps.size(); }

  ProgrammePlan Finish() { return std::move(plan_); }

 private:
  bool AddMessage(const std::string& aggregate_id,
                  std::shared_ptr<google::protobuf::Message> command, const std::string& actor,
                  int64_t at_us);

  const uint64_t seed_;
  const int64_t limit_us_;
  ProgrammePlan plan_;
  int64_t last_us_ = 0;
  bool reached_now_ = false;
};

}  // namespace haven::seed

#endif  // HAVEN_CLIENTS_SEED_PROGRAMME_STORY_H_
