// haven_seed: seeds a data directory (in-process, along a simulated past)
// or a running havend with a realistic, deterministic workload: a city's
// directory of org units, rights-protection cases with their histories and
// (along a simulated past) the loans, children, micro-homes and projects.
// See "haven_seed --help" and README.md ("Seeding a populated system").
#include <google/protobuf/util/json_util.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "commands_case_format.h"
#include "flags.h"
#include "seed/case_plan.h"
#include "seed/data_dir_seed.h"
#include "seed/directory_plan.h"
#include "seed/programme_plan.h"
#include "seed/seeder.h"
#include "spdlog/spdlog.h"

namespace haven::seed {
namespace {

// Set by SIGINT and SIGTERM: finish the cases under way, then stop.
std::atomic<bool> g_stop{false};

extern "C" void OnStopSignal(int) { g_stop.store(true); }

void HandleStopSignals() {
  struct sigaction action {};
  action.sa_handler = OnStopSignal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGTERM, &action, nullptr);
  // SIGINT only if it is not ignored (a background job's is).
  struct sigaction previous {};
  sigaction(SIGINT, nullptr, &previous);
  if (previous.sa_handler != SIG_IGN) sigaction(SIGINT, &action, nullptr);
}

namespace v1 = haven::cases::v1;
using cli::FlagSpec;
using cli::ParsedArgs;

const std::vector<FlagSpec>& Flags() {
  static const std::vector<FlagSpec> kFlags = {
      {"data-dir", "DIR",
       "seed this data directory in-process, moving the server's clock\n"
       "through --history-days of past (no havend may have it open)"},
      {"history-days", "N",
       "days of history ending at --now that the cases span (default 540;\n"
       "only with --data-dir or --dry-run)"},
      {"server", "HOST:PORT",
       "instead of --data-dir: seed the running havend at this address\n"
       "(its clock is the real one, so every fact is recorded today)"},
      {"seed", "N", "what to generate: the same seed gives the same data (default 1)"},
      {"counties", "N", "counties and districts of the city (default 5)"},
      {"townships-per-county", "N", "townships or streets per county (default 10)"},
      {"villages-per-township", "N", "villages or communities per township (default 10)"},
      {"micro-homes", "N",
       "women's micro-homes (default 150: 100 a year over the default\n"
       "540 days); each is registered with MicroHomeService (--data-dir)"},
      {"cases", "N", "cases to seed (default 100000)"},
      {"loans", "N",
       "entrepreneurship loans (default cases/400: 250 for 100,000 cases,\n"
       "about 27 disbursed a county a year; --data-dir only)"},
      {"children", "N",
       "left-behind children, each with her mentors (default 3 per 100\n"
       "cases: 3,000 for 100,000; --data-dir only)"},
      {"projects", "N", "funded projects (default cases/2500: 40 for 100,000; --data-dir only)"},
      {"first-case", "N",
       "index of the first case (default 1); cases are numbered\n"
       "first-case .. first-case + cases - 1, so a later run can add more"},
      {"concurrency", "N", "threads sending cases, each owning whole cases (default 64)"},
      {"channels", "N", "connections the threads share (default 4)"},
      {"timeout", "SECONDS", "deadline of each request (default 60)"},
      {"progress", "SECONDS", "seconds between progress lines on stderr (default 5; 0: none)"},
      {"now", "TIME",
       "the instant the generated times count back from (default:\n"
       "now); e.g. 2025-01-01 for a reproducible --dry-run"},
      {"dry-run", "",
       "print generated cases (and, with --history-days, a story of each\n"
       "programme) as JSON, and the mixes, without a server"},
      {"dry-run-cases", "N", "cases --dry-run prints (default 3)"},
      {"help", "", "show help"},
  };
  return kFlags;
}

std::string Usage() {
  return "haven_seed: seeds a Haven data directory, or a running havend, with a city's\n"
         "directory of org units and rights-protection cases with realistic histories,\n"
         "and (--data-dir) its entrepreneurship loans, children and mentors, micro-homes\n"
         "and funded projects, deterministically from --seed.\n\n"
         "usage: haven_seed --data-dir=DIR [flags]      in-process, along a simulated past\n"
         "       haven_seed [--server=HOST:PORT] [flags]  against a running havend\n"
         "       haven_seed --dry-run [flags]             print generated cases, no server\n\n"
         "With --data-dir the server's clock moves day by day through the --history-days\n"
         "ending at --now, so every fact is recorded on the day it happened and the\n"
         "statistics of any past period, or as of any past day, have data.  The same\n"
         "--seed and --now give the same data.  The programmes are seeded only with\n"
         "--data-dir: their facts need that past (--server seeds units and cases).\n\n"
         "Re-running with the same --seed (and --now) on the same data writes nothing\n"
         "twice (every request id derives from the seed), so an interrupted run can be\n"
         "started again.  The last line is\n"
         "  seeded units=U cases=C loans=L children=K microhomes=M projects=P targets=T\n"
         "         events=E seconds=S commands_per_s=R\n"
         "(loans=... count the programme stories seeded, each as far as --now;\n"
         "targets= the units whose yearly targets were filed: the city and its counties).\n"
         "Exit status: 0 when every command was accepted, 1 otherwise, 2 on bad usage.\n\n"
         "Flags:\n" +
         cli::FormatFlagHelp(Flags());
}

bool NumberFlag(const ParsedArgs& args, const std::string& name, uint64_t min, uint64_t max,
                uint64_t* out) {
  auto text = args.Get(name);
  if (!text) return true;
  auto value = cli::ParseUint64(*text);
  if (!value || *value < min || *value > max) {
    std::cerr << "haven_seed: --" << name << " must be a number from " << min << " to " << max
              << "\n";
    return false;
  }
  *out = *value;
  return true;
}

nlohmann::ordered_json ToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions print;
  print.preserve_proto_field_names = true;
  std::string text;
  (void)google::protobuf::util::MessageToJsonString(message, &text, print);
  return nlohmann::ordered_json::parse(text, nullptr, false);
}

// Every time field of a command, in China Standard Time, for reading.
void AddReadableTimes(const google::protobuf::Message& message, nlohmann::ordered_json* out) {
  const auto* descriptor = message.GetDescriptor();
  const auto* reflection = message.GetReflection();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const auto* field = descriptor->field(i);
    if (field->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE &&
        !field->is_repeated() && reflection->HasField(message, field)) {
      AddReadableTimes(reflection->GetMessage(message, field), out);
    }
    const std::string& name = field->name();
    if (field->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_INT64 && name.size() > 6 &&
        name.compare(name.size() - 6, 6, "_at_us") == 0) {
      const int64_t us = reflection->GetInt64(message, field);
      (*out)[name.substr(0, name.size() - 6) + "_cst"] =
          us == 0 ? "(server clock)" : cli::FormatCst(us);
    }
  }
}

nlohmann::ordered_json CaseJson(const DirectoryPlan& directory, const CaseGenerator& generator,
                                const CasePlan& plan) {
  nlohmann::ordered_json out;
  out["case_id"] = plan.case_id;
  out["org_unit"] = directory.units[plan.unit].unit_id + " " + directory.PlaceName(plan.unit);
  out["steps"] = nlohmann::ordered_json::array();
  for (size_t k = 0; k < plan.steps.size(); ++k) {
    const PlannedStep& step = plan.steps[k];
    nlohmann::ordered_json s;
    s["rpc"] = RpcName(step.command);
    s["actor"] = step.actor;
    s["request_id"] = step.request_id;
    if (step.ref_step >= 0) s["names_what_step_created"] = step.ref_step;
    if (step.at_us != 0) {
      s["happens_cst"] = cli::FormatCst(step.at_us);
      s["server_clock_cst"] = cli::FormatCst(ClockTickFor(step.at_us, generator.now_us()));
    }
    nlohmann::ordered_json times = nlohmann::ordered_json::object();
    AddReadableTimes(step.command, &times);
    if (!times.empty()) s["times"] = times;
    s["command"] = ToJson(step.command);
    out["steps"].push_back(s);
  }
  return out;
}

// The mix of `count` generated cases, as the domain page describes it.
void PrintMix(const DirectoryPlan& directory, const CaseGenerator& generator, uint64_t first,
              uint64_t count) {
  std::map<std::string, uint64_t> channels, categories, outcomes, resolutions, satisfaction, rpcs;
  uint64_t closed = 0, reopened = 0, steps = 0, events = 0, tagged = 0, priority = 0;
  for (uint64_t i = first; i < first + count; ++i) {
    const CasePlan plan = generator.Plan(i);
    bool is_closed = false;
    for (const PlannedStep& step : plan.steps) {
      ++steps;
      ++events;
      ++rpcs[RpcName(step.command)];
      const v1::CaseCommand& c = step.command;
      if (c.has_open_case()) {
        ++channels[cli::EnumFlagName(v1::Channel_descriptor(), c.open_case().channel())];
        ++categories[cli::EnumFlagName(v1::Category_descriptor(), c.open_case().category())];
        if (!c.open_case().assignee_operator_id().empty()) ++events;
        if (c.open_case().vulnerability_tags_size() > 0) ++tagged;
        if (c.open_case().priority()) ++priority;
      } else if (c.has_record_mediation_outcome()) {
        ++outcomes[cli::EnumFlagName(v1::MediationOutcome_descriptor(),
                                     c.record_mediation_outcome().outcome())];
      } else if (c.has_close_case()) {
        is_closed = true;
        ++resolutions[cli::EnumFlagName(v1::Resolution_descriptor(), c.close_case().resolution())];
        ++satisfaction[cli::EnumFlagName(v1::Satisfaction_descriptor(),
                                         c.close_case().satisfaction())];
      } else if (c.has_reopen_case()) {
        ++reopened;
        is_closed = false;
      }
    }
    if (is_closed) ++closed;
  }
  const auto print = [&](const char* title, const std::map<std::string, uint64_t>& counts,
                         uint64_t total) {
    std::vector<std::pair<uint64_t, std::string>> sorted;
    for (const auto& [name, n] : counts) sorted.push_back({n, name});
    std::sort(sorted.rbegin(), sorted.rend());
    std::fprintf(stderr, "%s:", title);
    for (const auto& [n, name] : sorted) {
      std::fprintf(stderr, " %s %.1f%%", name.empty() ? "-" : name.c_str(),
                   100.0 * n / std::max<uint64_t>(total, 1));
    }
    std::fprintf(stderr, "\n");
  };
  uint64_t outcome_total = 0;
  for (const auto& [name, n] : outcomes) outcome_total += n;
  uint64_t closures = 0;
  for (const auto& [name, n] : resolutions) closures += n;
  std::fprintf(stderr, "mix of %llu cases (%zu units):\n", static_cast<unsigned long long>(count),
               directory.units.size());
  print("channels", channels, count);
  print("categories", categories, count);
  print("mediation outcomes (sessions)", outcomes, outcome_total);
  print("resolutions", resolutions, closures);
  print("satisfaction", satisfaction, closures);
  std::fprintf(stderr,
               "closed %.1f%%  reopened %.1f%%  with vulnerability tags %.1f%%  priority %.1f%%\n"
               "commands %.1f per case, events about %.1f per case\n",
               100.0 * closed / count, 100.0 * reopened / count, 100.0 * tagged / count,
               100.0 * priority / count, static_cast<double>(steps) / count,
               static_cast<double>(events) / count);
  print("commands", rpcs, steps);
}

// The first story of each programme, as JSON.
void PrintProgrammeSamples(const CaseGenerator& generator,
                           const std::vector<ProgrammePlan>& programmes) {
  bool shown[5] = {};  // By Programme.
  for (const ProgrammePlan& plan : programmes) {
    bool& seen = shown[static_cast<int>(plan.programme)];
    if (seen) continue;
    seen = true;
    nlohmann::ordered_json out;
    out["story"] = plan.id;
    out["service"] = plan.service;
    out["steps"] = nlohmann::ordered_json::array();
    for (const ProgrammeStep& step : plan.steps) {
      nlohmann::ordered_json s;
      s["rpc"] = ProgrammeRpcName(step);
      s["id"] = step.aggregate_id;
      s["actor"] = step.actor;
      s["request_id"] = step.request_id;
      s["happens_cst"] = cli::FormatCst(step.at_us);
      s["server_clock_cst"] = cli::FormatCst(ClockTickFor(step.at_us, generator.now_us()));
      nlohmann::ordered_json times = nlohmann::ordered_json::object();
      AddReadableTimes(*step.command, &times);
      if (!times.empty()) s["times"] = times;
      s["command"] = ToJson(*step.command);
      out["steps"].push_back(s);
    }
    std::cout << out.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace)
              << "\n";
  }
}

// What the programme stories add up to, beside the domain page's figures.
void PrintProgrammeMix(const DirectoryPlan& directory, const ProgrammeGenerator& generator,
                       const std::vector<ProgrammePlan>& programmes) {
  const ProgrammeTally t = Tally(programmes);
  const double county_years =
      directory.counties.size() * generator.history_days() / 365.0;
  const double years = generator.history_days() / 365.0;
  std::fprintf(stderr, "programmes over %d days (%zu stories, %llu commands):\n",
               generator.history_days(), programmes.size(),
               static_cast<unsigned long long>(t.steps));
  std::fprintf(stderr,
               "loans: %llu applied, %llu disbursed (%.1f a county a year; domain: 27), "
               "%.2f million yuan a county a year (domain: 2.3), %llu settled, %llu overdue, "
               "subsidy %.0f yuan, jobs reported %lld\n",
               static_cast<unsigned long long>(t.loans),
               static_cast<unsigned long long>(t.loans_disbursed),
               t.loans_disbursed / std::max(county_years, 1e-9),
               t.disbursed_fen / 100.0 / 1e6 / std::max(county_years, 1e-9),
               static_cast<unsigned long long>(t.loans_settled),
               static_cast<unsigned long long>(t.loans_overdue), t.subsidy_fen / 100.0,
               static_cast<long long>(t.jobs_reported));
  std::fprintf(stderr,
               "children: %llu registered, %llu paired (domain: 2,698 in a county), %llu "
               "re-paired, %llu pairings ended, %llu mentors; support %.0f yuan, stipends %.0f "
               "yuan\n",
               static_cast<unsigned long long>(t.children),
               static_cast<unsigned long long>(t.children_paired),
               static_cast<unsigned long long>(t.re_pairings),
               static_cast<unsigned long long>(t.pairings_ended),
               static_cast<unsigned long long>(t.mentors), t.support_fen / 100.0,
               t.stipend_fen / 100.0);
  std::fprintf(stderr,
               "micro-homes: %llu registered (%.0f a year; domain: 100), %llu demonstration "
               "(%.0f a year; domain: 25), titles %llu granted, %llu re-certified, %llu "
               "revoked; %llu activities\n",
               static_cast<unsigned long long>(t.micro_homes), t.micro_homes / years,
               static_cast<unsigned long long>(t.demonstration), t.demonstration / years,
               static_cast<unsigned long long>(t.titles_granted),
               static_cast<unsigned long long>(t.titles_recertified),
               static_cast<unsigned long long>(t.titles_revoked),
               static_cast<unsigned long long>(t.activities));
  std::fprintf(stderr,
               "projects: %llu registered, %llu accepted, budget %.0f yuan, spent %.0f yuan\n",
               static_cast<unsigned long long>(t.projects),
               static_cast<unsigned long long>(t.projects_accepted), t.budget_fen / 100.0,
               t.spent_fen / 100.0);
  std::fprintf(stderr, "programme commands:");
  for (const auto& [rpc, n] : t.rpcs) {
    std::fprintf(stderr, " %s %llu", rpc.c_str(), static_cast<unsigned long long>(n));
  }
  std::fprintf(stderr, "\n");
}

int Main(const std::vector<std::string>& argv) {
  const ParsedArgs args = cli::ParseFlags(argv, Flags());
  if (!args.error.empty()) {
    std::cerr << "haven_seed: " << args.error << "\n\n" << Usage();
    return 2;
  }
  if (args.Has("help")) {
    std::cout << Usage();
    return 0;
  }
  if (!args.positional.empty()) {
    std::cerr << "haven_seed: unexpected argument " << args.positional[0] << "\n";
    return 2;
  }
  DirectoryOptions directory_options;
  SeedOptions options;
  uint64_t seed = 1, counties = 5, townships = 10, villages = 10, micro_homes = 150;
  uint64_t concurrency = 64, channels = 4, dry_cases = 3, history_days = 540;
  if (!NumberFlag(args, "seed", 0, 1u << 30, &seed) ||
      !NumberFlag(args, "counties", 1, 60, &counties) ||
      !NumberFlag(args, "townships-per-county", 1, 99, &townships) ||
      !NumberFlag(args, "villages-per-township", 1, 99, &villages) ||
      !NumberFlag(args, "micro-homes", 0, 999, &micro_homes) ||
      !NumberFlag(args, "cases", 0, 100000000, &options.cases) ||
      !NumberFlag(args, "first-case", 1, 100000000, &options.first_case) ||
      !NumberFlag(args, "concurrency", 1, 1024, &concurrency) ||
      !NumberFlag(args, "channels", 1, 64, &channels) ||
      !NumberFlag(args, "dry-run-cases", 0, 100000, &dry_cases) ||
      !NumberFlag(args, "history-days", 1, 3660, &history_days)) {
    return 2;
  }
  ProgrammeOptions programme_options = ProgrammeOptions::ScaledFromCases(options.cases);
  if (!NumberFlag(args, "loans", 0, 1000000, &programme_options.loans) ||
      !NumberFlag(args, "children", 0, 10000000, &programme_options.children) ||
      !NumberFlag(args, "projects", 0, 100000, &programme_options.projects)) {
    return 2;
  }
  const auto data_dir = args.Get("data-dir");
  if (data_dir && args.Has("server")) {
    std::cerr << "haven_seed: --data-dir and --server exclude each other\n";
    return 2;
  }
  if (data_dir && data_dir->empty()) {
    std::cerr << "haven_seed: --data-dir needs a directory\n";
    return 2;
  }
  const bool dry_run = args.Has("dry-run");
  if (args.Has("history-days") && !data_dir && !dry_run) {
    std::cerr << "haven_seed: --history-days needs --data-dir: a running havend's clock cannot "
                 "be moved through the past\n";
    return 2;
  }
  // The history model for a data directory (and a dry run asking for it).
  const bool history = data_dir.has_value() || (dry_run && args.Has("history-days"));
  directory_options.seed = seed;
  directory_options.counties = static_cast<int>(counties);
  directory_options.townships_per_county = static_cast<int>(townships);
  directory_options.villages_per_township = static_cast<int>(villages);
  directory_options.micro_homes = static_cast<int>(micro_homes);
  options.concurrency = static_cast<int>(concurrency);
  options.channels = static_cast<int>(channels);
  if (auto server = args.Get("server")) options.server = *server;
  for (const char* name : {"timeout", "progress"}) {
    if (auto text = args.Get(name)) {
      char* end = nullptr;
      const double value = std::strtod(text->c_str(), &end);
      if (end == text->c_str() || *end != '\0' || value < 0) {
        std::cerr << "haven_seed: --" << name << " must be a number of seconds\n";
        return 2;
      }
      (std::string(name) == "timeout" ? options.rpc_timeout_seconds : options.progress_seconds) =
          value;
    }
  }
  // Whole seconds, so that the --now printed below gives the same plans.
  int64_t now_us = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count() *
                   1000000;
  if (auto now = args.Get("now")) {
    auto parsed = cli::ParseTimeFlag(*now, now_us);
    if (!parsed) {
      std::cerr << "haven_seed: --now must be a time, e.g. 2025-01-01 or '2025-01-01 12:00'\n";
      return 2;
    }
    now_us = *parsed;
  }

  const DirectoryPlan directory = PlanDirectory(directory_options);
  const CaseGenerator generator(directory, now_us, history ? static_cast<int>(history_days) : 0);
  const ProgrammeGenerator programme_generator(directory, programme_options, now_us,
                                               static_cast<int>(history_days));
  // The programmes need the simulated past (see Usage).
  const std::vector<ProgrammePlan> programmes =
      history ? programme_generator.PlanAll() : std::vector<ProgrammePlan>{};
  if (dry_run) {
    for (uint64_t i = 0; i < std::min(dry_cases, options.cases); ++i) {
      std::cout << CaseJson(directory, generator, generator.Plan(options.first_case + i))
                       .dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace)
                << "\n";
    }
    PrintProgrammeSamples(generator, programmes);
    std::cout.flush();
    PrintMix(directory, generator, options.first_case,
             std::max<uint64_t>(1, std::min<uint64_t>(options.cases, 20000)));
    if (history) PrintProgrammeMix(directory, programme_generator, programmes);
    std::fprintf(
        stderr, "directory: %s, %zu counties, %zu townships, %zu villages, %zu micro-homes\n",
        directory.units[directory.city].name.c_str(), directory.counties.size(),
        directory.townships.size(), directory.villages.size(), directory.micro_homes.size());
    return 0;
  }

  HandleStopSignals();
  options.stop = &g_stop;
  SeedResult result;
  if (data_dir) {
    // The in-process server logs warnings only: a line per command would
    // slow a bulk load.
    spdlog::set_level(spdlog::level::warn);
    std::fprintf(stderr,
                 "haven_seed: seeding %s with %llu days of history up to %s "
                 "(--now='%s' gives the same data)\n",
                 data_dir->c_str(), static_cast<unsigned long long>(history_days),
                 cli::FormatCst(now_us).c_str(), cli::FormatCst(now_us).c_str());
    result = SeedDataDir(*data_dir, options, directory, generator, programmes);
  } else {
    std::fprintf(stderr,
                 "haven_seed: --server seeds the directory and the cases; the loans, children, "
                 "micro-homes and projects need --data-dir (their facts are dated along a "
                 "simulated past)\n");
    result = RunSeed(options, directory, generator);
  }
  if (result.interrupted) {
    std::fprintf(stderr,
                 "haven_seed: interrupted; the same command continues where this run stopped\n");
  }
  if (result.failed_cases > 0 || result.failed_programmes > 0 || result.replayed > 0) {
    std::fprintf(stderr,
                 "haven_seed: failed_cases=%llu failed_programme_stories=%llu "
                 "replayed_commands=%llu\n",
                 static_cast<unsigned long long>(result.failed_cases),
                 static_cast<unsigned long long>(result.failed_programmes),
                 static_cast<unsigned long long>(result.replayed));
  }
  std::printf(
      "seeded units=%llu cases=%llu loans=%llu children=%llu microhomes=%llu projects=%llu "
      "targets=%llu events=%llu seconds=%.1f commands_per_s=%.0f\n",
      static_cast<unsigned long long>(result.units), static_cast<unsigned long long>(result.cases),
      static_cast<unsigned long long>(result.loans),
      static_cast<unsigned long long>(result.children),
      static_cast<unsigned long long>(result.micro_homes),
      static_cast<unsigned long long>(result.projects),
      static_cast<unsigned long long>(result.targets),
      static_cast<unsigned long long>(result.events), result.seconds,
      result.commands / std::max(result.seconds, 1e-9));
  return result.fatal || result.interrupted || result.failed_cases > 0 ||
                 result.failed_programmes > 0
             ? 1
             : 0;
}

}  // namespace
}  // namespace haven::seed

int main(int argc, char** argv) {
  return haven::seed::Main(std::vector<std::string>(argv + 1, argv + argc));
}
