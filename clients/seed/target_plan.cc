// The targets story of one unit (目标任务): the city's and each county's
// yearly plan, filed by its supervisor early in January (or when the
// history begins), and raised at mid-year where the plan is revised.
// Figures from ../shared/design/domain.md: a closure rate of 98% to 100%,
// a county disbursing 27 loans (2.3 million yuan), 100 micro-homes and 25
// demonstration sites a year, and the 2,698 pairings one county made taken
// as the city's plan; the case counts are the seeded city's own yearly
// volume.
#include <string>
#include <vector>

#include "haven/targets/v1/target_service.pb.h"
#include "seed/programme_plan.h"
#include "seed/programme_story.h"

namespace haven::seed {
namespace {

namespace tv1 = haven::targets::v1;

struct Figure {
  const char* indicator;
  int64_t value;
  tv1::Comparison comparison = tv1::COMPARISON_AT_LEAST;
};

tv1::SetTargetRequest Target(int year, const Figure& figure, const char* note) {
  tv1::SetTargetRequest request;
  request.set_year(year);
  request.set_period(tv1::TARGET_PERIOD_YEAR);
  request.set_indicator(figure.indicator);
  request.set_comparison(figure.comparison);
  request.set_value(figure.value);
  request.set_note(note);
  return request;
}

}  // namespace

ProgrammePlan ProgrammeGenerator::Targets(size_t index) const {
  const bool city = index == 0;
  const UnitPlan& unit = directory_.unit(city ? directory_.city : directory_.counties[index - 1]);
  const int64_t counties = static_cast<int64_t>(std::max<size_t>(directory_.counties.size(), 1));
  // Cases closed a year: the seeded volume, to the nearest hundred.
  const int64_t city_closed = static_cast<int64_t>(options_.cases) * 365 /
                              static_cast<int64_t>(std::max(history_days_, 1)) * 84 / 100 / 100 *
                              100;
  std::vector<Figure> figures;
  if (city) {
    figures = {{"cases.closure_rate", 9800},
               {"cases.closed", city_closed},
               {"loans.disbursed", 27 * counties},
               {"loans.disbursed_fen", 230'000'000 * counties},
               {"children.paired", 2698},
               {"microhomes.registered", 100},
               {"microhomes.demonstration_at_end", 25},
               {"projects.registered", 25}};
  } else {
    figures = {{"cases.closure_rate", 9800},
               {"cases.closed", city_closed / counties / 100 * 100},
               {"cases.median_days_to_close", 3000, tv1::COMPARISON_AT_MOST},
               {"loans.disbursed", 27},
               {"loans.disbursed_fen", 230'000'000}};
  }
  StoryBuilder story(*this, Programme::kTargets, "targets-" + unit.unit_id,
                     "haven.targets.v1.TargetService");
  Rng rng(directory_.seed, "targets", index);
  const std::string actor = "sup-" + unit.unit_id;
  const int first_year = CstDate(FirstDayUs()).year;
  const int last_year = CstDate(now_us_).year;
  for (int year = first_year; year <= last_year && !story.reached_now(); ++year) {
    // A year that ends within a month of Haven's start gets no plan in it;
    // one already under way is entered when Haven starts.
    if (DayOf(year, 12, 1) < CstDayOf(FirstDayUs())) continue;
    const int64_t filed = std::max(DayOf(year, 1, 10), CstDayOf(FirstDayUs()) + 1);
    const int64_t at = OfficeTime(rng, filed);
    const std::string note = std::to_string(year) + "年妇女工作要点";
    for (const Figure& figure : figures) {
      if (!story.Add(unit.unit_id, Target(year, figure, note.c_str()), actor, at)) break;
    }
    // Counties raise their closure rate at mid-year (年中调整).
    if (!city) {
      story.Add(unit.unit_id, Target(year, {"cases.closure_rate", 9900}, "年中调整"), actor,
                OfficeTime(rng, DayOf(year, 7, 15)));
    }
  }
  return story.Finish();
}

}  // namespace haven::seed
