// havenctl child show, mentor, list and stats, and the labels of the
// context's enums.
#include <cstdio>
#include <iostream>
#include <map>

#include "commands_case_format.h"
#include "commands_child.h"
#include "display_width.h"
#include "flag_reader.h"
#include "haven/children/v1/children_service.grpc.pb.h"
#include "output.h"

namespace haven::cli {
namespace {

namespace v1 = haven::children::v1;
using v1::ChildrenService;

const std::map<std::string, std::string>& Labels() {
  static const auto* const kLabels = new std::map<std::string, std::string>{
      {"CHILD_CATEGORY_LEFT_BEHIND", "留守儿童"},
      {"CHILD_CATEGORY_MIGRANT", "流动儿童"},
      {"CHILD_CATEGORY_SINGLE_PARENT", "单亲儿童"},
      {"CHILD_CATEGORY_ORPHAN", "孤儿"},
      {"MENTOR_KIND_CADRE", "干部"},
      {"MENTOR_KIND_CARING_MOTHER", "爱心妈妈"},
      {"MENTOR_KIND_PROXY_PARENT", "代理家长"},
      {"MENTOR_KIND_CHARITY_VOLUNTEER", "爱心人士"},
      {"PAIRING_END_REASON_MENTOR_LEFT", "导师离开"},
      {"PAIRING_END_REASON_MOVED_WITHIN_AREA", "区域内搬迁"},
      {"PAIRING_END_REASON_AGED_OUT", "年满离开"},
      {"PAIRING_END_REASON_MOVED_AWAY", "迁出"},
      {"PAIRING_END_REASON_RETURNED_TO_PARENTS", "父母返乡"},
      {"SUPPORT_KIND_MONEY", "资金"},
      {"SUPPORT_KIND_GOODS", "物资"},
      {"SCHOOLING_STATUS_IN_SCHOOL", "在校"},
      {"SCHOOLING_STATUS_AT_RISK", "有辍学风险"},
      {"SCHOOLING_STATUS_DROPPED_OUT", "辍学"},
      {"SCHOOLING_STATUS_NOT_OF_SCHOOL_AGE", "未到学龄"},
      {"LIVING_STATUS_GOOD", "良好"},
      {"LIVING_STATUS_ADEQUATE", "一般"},
      {"LIVING_STATUS_HARDSHIP", "困难"},
      {"VISIT_KIND_HOME", "家访"},
      {"VISIT_KIND_SCHOOL", "校访"},
      {"VISIT_KIND_OUTING", "陪伴外出"},
      {"VISIT_KIND_CALL", "电话视频"},
      {"CHILD_STATUS_UNPAIRED", "未结对"},
      {"CHILD_STATUS_PAIRED", "已结对"},
      {"CHILD_STATUS_AWAITING_NEW_PAIRING", "待重新结对"},
      {"CHILD_STATUS_CARE_ENDED", "关爱结束"},
      {"RELEASE_REASON_PAIRING_ENDED", "结对结束"},
      {"RELEASE_REASON_PAIRING_NOT_MADE", "未结成"},
      {"RELEASE_REASON_FOUND_ENDED", "已结束"},
  };
  return *kLabels;
}

template <typename E>
std::string Label(int number) {
  return ChildLabel(EnumType<E>(), number);
}

template <typename E>
std::string Short(int number) {
  return ChildShortLabel(EnumType<E>(), number);
}


std::string Text(const std::string& text) { return text.empty() ? "—" : text; }

// "2.5": visits per pairing, one decimal.
std::string FormatRatio(double ratio) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", ratio);
  return buf;
}

std::string PairingLine(const v1::PairingView& p) {
  std::string line = "#" + std::to_string(p.pairing_no()) + " " + p.mentor_id() + "（" +
                     Short<v1::MentorKind>(p.mentor_kind()) + "）" + FormatCst(p.paired_at_us());
  if (p.ended_at_us() != 0) {
    line += " — " + FormatCst(p.ended_at_us()) + " " +
            Short<v1::PairingEndReason>(p.end_reason());
  } else {
    line += " 至今 active";
  }
  line += "，走访 " + std::to_string(p.visits()) + " 次";
  return line;
}

}  // namespace

std::string ChildShortLabel(const google::protobuf::EnumDescriptor* type, int number) {
  const google::protobuf::EnumValueDescriptor* value = type->FindValueByNumber(number);
  if (number == 0 || value == nullptr) return number == 0 ? "—" : EnumFlagName(type, number);
  auto it = Labels().find(value->name());
  return it == Labels().end() ? EnumFlagName(type, number) : it->second;
}

std::string ChildLabel(const google::protobuf::EnumDescriptor* type, int number) {
  if (number == 0) return "—";
  const std::string label = ChildShortLabel(type, number);
  const std::string name = EnumFlagName(type, number);
  return label == name ? name : label + " (" + name + ")";
}

int RunChildShow(const GlobalOptions& options, const ParsedArgs& args, const Subcommand& self) {
  std::string error;
  v1::GetChildRequest request;
  request.set_child_id(AggregateIdArgument(args, kChildNoun, &error));
  if (!error.empty() || request.child_id().empty()) {
    return SubcommandUsageError(self, error.empty() ? "the child is required" : error);
  }
  if (auto p = args.Get("as-of-position")) {
    auto parsed = ParseUint64(*p);
    if (!parsed) return SubcommandUsageError(self, "--as-of-position must be a number");
    request.set_as_of_position(*parsed);
  }
  auto stub = ChildrenService::NewStub(Connect(options));
  grpc::ClientContext context;
  PrepareContext(options, /*with_deadline=*/true, &context);
  v1::GetChildResponse response;
  const grpc::Status status = stub->GetChild(&context, request, &response);
  if (!status.ok()) return ReportRpcError(status, context);
  if (options.json) {
    std::cout << DumpJsonLine(ProtoToJson(response.child())) << std::endl;
    return kExitOk;
  }
  const v1::ChildView& c = response.child();
  std::string status_text = Label<v1::ChildStatus>(c.status());
  if (c.status() == v1::CHILD_STATUS_AWAITING_NEW_PAIRING) {
    status_text += "，自 " + FormatCst(c.awaiting_since_us());
  }
  std::string pairings;
  for (const v1::PairingView& p : c.pairings()) {
    pairings += (pairings.empty() ? "" : "\n") + PairingLine(p);
  }
  std::string terms;
  for (const std::string& term : c.stipend_terms()) terms += (terms.empty() ? "" : ", ") + term;
  std::vector<std::pair<std::string, std::string>> fields = {
      {"儿童 child", c.child_id() + "  (version " + std::to_string(c.version()) + ")"},
      {"状态 status", status_text},
      {"类别 category", Label<v1::ChildCategory>(c.category())},
      {"姓名 name", c.child().name() + (c.child().girl() ? "（女）" : "（男）")},
      {"出生 born", Text(c.child().birth_date())},
      {"监护人 guardian", c.child().guardian().name() + "（" + c.child().guardian().relationship() +
                              "）" + c.child().guardian().phone()},
      {"学校 school", Text(c.child().school())},
      {"村居 unit", c.unit_id()},
      {"登记 registered", FormatCst(c.registered_at_us())},
      {"结对 pairings", pairings.empty() ? "—" : pairings},
      {"资金 money", FormatFen(c.support_money_fen())},
      {"物资 goods", FormatFen(c.support_goods_fen())},
      {"助学金 stipends", FormatFen(c.stipend_fen()) + (terms.empty() ? "" : "（" + terms + "）")},
      {"最近走访核查 last check", c.last_checked_at_us() == 0
                                       ? "—"
                                       : FormatCst(c.last_checked_at_us()) + " " +
                                             Short<v1::SchoolingStatus>(c.schooling()) + "，生活" +
                                             Short<v1::LivingStatus>(c.living())},
      {"心理辅导 counselling", std::to_string(c.counselling_referrals())},
  };
  if (c.care_ended_at_us() != 0) {
    fields.push_back({"关爱结束 care ended", FormatCst(c.care_ended_at_us())});
  }
  std::cout << FormatFields(fields);
  return kExitOk;
}

int RunMentorShow(const GlobalOptions& options, const ParsedArgs& args, const Subcommand& self) {
  std::string error;
  v1::GetMentorRequest request;
  request.set_mentor_id(AggregateIdArgument(args, kMentorNoun, &error));
  if (!error.empty() || request.mentor_id().empty()) {
    return SubcommandUsageError(self, error.empty() ? "the mentor is required" : error);
  }
  auto stub = ChildrenService::NewStub(Connect(options));
  grpc::ClientContext context;
  PrepareContext(options, /*with_deadline=*/true, &context);
  v1::GetMentorResponse response;
  const grpc::Status status = stub->GetMentor(&context, request, &response);
  if (!status.ok()) return ReportRpcError(status, context);
  if (options.json) {
    std::cout << DumpJsonLine(ProtoToJson(response.mentor())) << std::endl;
    return kExitOk;
  }
  const v1::MentorView& m = response.mentor();
  std::string children;
  for (const std::string& id : m.child_ids()) children += (children.empty() ? "" : ", ") + id;
  std::cout << FormatFields({
      {"导师 mentor", m.mentor_id() + "  (version " + std::to_string(m.version()) + ")"},
      {"类别 kind", Label<v1::MentorKind>(m.kind())},
      {"姓名 name", m.mentor().name()},
      {"单位 organisation", Text(m.mentor().organisation())},
      {"所属 unit", m.unit_id()},
      {"登记 registered", FormatCst(m.registered_at_us())},
      {"名额 places", std::to_string(m.child_ids_size()) + " / " + std::to_string(m.capacity())},
      {"结对儿童 children", children.empty() ? "—" : children},
      {"累计结对 pairings", std::to_string(m.pairings_taken())},
  });
  return kExitOk;
}

int RunChildList(const GlobalOptions& options, const ParsedArgs& args, const Subcommand& self) {
  FlagReader f(args, NowMicros());
  v1::ListChildrenRequest request;
  request.set_unit_subtree(f.Text("unit", false));
  const auto status_flag = f.Enum<v1::ChildStatus>("status", false);
  if (status_flag != v1::CHILD_STATUS_UNSPECIFIED) request.add_statuses(status_flag);
  request.set_category(f.Enum<v1::ChildCategory>("category", false));
  request.set_page_size(static_cast<uint32_t>(f.Number("limit", 1, 500)));
  if (!f.error().empty()) return SubcommandUsageError(self, f.error());
  auto stub = ChildrenService::NewStub(Connect(options));
  grpc::ClientContext context;
  PrepareContext(options, /*with_deadline=*/true, &context);
  v1::ListChildrenResponse response;
  const grpc::Status status = stub->ListChildren(&context, request, &response);
  if (!status.ok()) return ReportRpcError(status, context);
  if (options.json) {
    for (const auto& e : response.children()) std::cout << DumpJsonLine(ProtoToJson(e)) << "\n";
    std::cout << std::flush;
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& e : response.children()) {
    rows.push_back({e.child_id(), FormatCstMinutes(e.registered_at_us()), e.unit_id(),
                    Short<v1::ChildCategory>(e.category()), Short<v1::ChildStatus>(e.status()),
                    e.mentor_id().empty() ? "—" : e.mentor_id(), std::to_string(e.visits()),
                    FormatFen(e.support_fen()), FormatFen(e.stipend_fen())});
  }
  std::cout << FormatTable({"CHILD", "REGISTERED (CST)", "UNIT", "CATEGORY", "STATUS", "MENTOR",
                            "VISITS", "SUPPORT", "STIPENDS"},
                           rows, {6, 7, 8});
  if (!response.next_page_token().empty()) std::cout << "(more: raise --limit)\n";
  return kExitOk;
}

std::string FormatChildrenStatistics(const std::string& unit,
                                     const v1::GetChildrenStatisticsResponse& response) {
  const v1::ChildrenStatistics& s = response.statistics();
  auto n = [](int64_t v) { return std::to_string(v); };
  std::vector<std::vector<std::string>> rows = {
      {"登记儿童 registered", n(s.registered()), ""}};
  for (const auto& c : s.registered_by_category()) {
    rows.push_back({"  " + Short<v1::ChildCategory>(c.category()), n(c.count()), ""});
  }
  rows.push_back({"登记导师 mentors", n(s.mentors_registered()), ""});
  for (const auto& k : s.mentors_by_kind()) {
    rows.push_back({"  " + Short<v1::MentorKind>(k.kind()), n(k.count()), ""});
  }
  const std::vector<std::vector<std::string>> more = {
      {"结对 paired", n(s.paired()), ""},
      {"  重新结对 re-paired", n(s.re_paired()), ""},
      {"结对结束 pairings ended", n(s.pairings_ended()), ""},
      {"关爱结束 care ended", n(s.care_ended()), ""},
      {"期末在册 in care at end", n(s.in_care_at_end()), ""},
      {"  未结对 unpaired", n(s.unpaired_at_end()), ""},
      {"  已结对 paired", n(s.paired_at_end()), ""},
      {"  待重新结对 awaiting", n(s.awaiting_at_end()), ""},
      {"  超过" + n(s.awaiting_days()) + "天 over " + n(s.awaiting_days()) + " days",
       n(s.awaiting_over_days_at_end()), ""},
      {"走访 visits", n(s.visits()), ""},
      {"期内结对 pairings active", n(s.pairings_active()), ""},
      {"每对走访 visits per pairing", FormatRatio(s.visits_per_pairing()), ""},
      {"资金帮扶 money", n(s.money_deliveries()), FormatFen(s.money_fen())},
      {"物资帮扶 goods", n(s.goods_deliveries()), FormatFen(s.goods_fen())},
      {"助学金 stipends", n(s.stipends()), FormatFen(s.stipend_fen())},
      {"状况核查 status checks", n(s.status_checks()), ""},
      {"  生活困难 in hardship", n(s.checks_in_hardship()), ""},
      {"  辍学或风险 out of school", n(s.checks_out_of_school()), ""},
      {"心理辅导 counselling", n(s.counselling_referrals()), ""},
  };
  rows.insert(rows.end(), more.begin(), more.end());
  for (const auto& e : s.ended_by_reason()) {
    rows.push_back({"结束原因 " + Short<v1::PairingEndReason>(e.reason()), n(e.count()), ""});
  }
  std::string out = "留守儿童关爱 " + (unit.empty() ? std::string("(your unit)") : unit) + "  " +
                    s.from_day() + " .. " + s.to_day() + "  (as of " + s.as_of_day() + ")\n" +
                    FormatTable({"", "COUNT", "YUAN"}, rows, {1, 2});
  if (s.visits_by_term_size() > 0) {
    std::vector<std::vector<std::string>> terms;
    for (const auto& t : s.visits_by_term()) {
      terms.push_back({t.term(), t.from_day() + " .. " + t.to_day(), n(t.visits()),
                       n(t.pairings_active()), FormatRatio(t.visits_per_pairing())});
    }
    out += "\n" + FormatTable({"TERM", "DAYS", "VISITS", "PAIRINGS", "PER PAIRING"}, terms,
                              {2, 3, 4});
  }
  if (response.suppressed_cells_size() > 0) {
    std::string cells;
    for (const std::string& cell : response.suppressed_cells()) {
      cells += (cells.empty() ? "" : ", ") + cell;
    }
    out += "\nwithheld (1 to 4 outside your subtree, shown as 0): " + SanitizeForTerminal(cells) +
           "\n";
  }
  return out;
}

int RunChildStats(const GlobalOptions& options, const ParsedArgs& args, const Subcommand& self) {
  FlagReader f(args, NowMicros());
  v1::GetChildrenStatisticsRequest request;
  request.set_unit_subtree(f.Text("unit", false));
  request.set_from_day(f.Text("from", true));
  request.set_to_day(f.Text("to", true));
  if (auto as_of = args.Get("as-of")) request.set_as_of_day(*as_of);
  if (args.Has("awaiting-days")) {
    request.set_awaiting_days(static_cast<uint32_t>(f.Number("awaiting-days", 0, 3650)));
  }
  if (!f.error().empty()) return SubcommandUsageError(self, f.error());
  auto stub = ChildrenService::NewStub(Connect(options));
  grpc::ClientContext context;
  PrepareContext(options, /*with_deadline=*/true, &context);
  v1::GetChildrenStatisticsResponse response;
  const grpc::Status status = stub->GetChildrenStatistics(&context, request, &response);
  if (!status.ok()) return ReportRpcError(status, context);
  if (options.json) {
    nlohmann::ordered_json out = ProtoToJson(response.statistics());
    out["suppressed_cells"] = ProtoToJson(response)["suppressed_cells"];
    std::cout << DumpJsonLine(out) << std::endl;
    return kExitOk;
  }
  std::cout << FormatChildrenStatistics(request.unit_subtree(), response);
  return kExitOk;
}

}  // namespace haven::cli
