#include "commands_case_format.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <map>

#include "display_width.h"

namespace haven::cli {
namespace {

using google::protobuf::EnumDescriptor;
using google::protobuf::EnumValueDescriptor;

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string Upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// Chinese labels by full value name.  Values missing here show their flag
// name, so the table may lag the schema without hiding anything.
const std::map<std::string, std::string>& Labels() {
  static const auto* labels = new std::map<std::string, std::string>{
      // Channel.
      {"CHANNEL_HOTLINE", "12338热线"},
      {"CHANNEL_LETTER", "来信"},
      {"CHANNEL_VISIT", "来访"},
      {"CHANNEL_HOME_VISIT", "家访"},
      {"CHANNEL_HOSPITAL_VISIT", "病访"},
      {"CHANNEL_ONLINE", "网上"},
      {"CHANNEL_POLICE_REFERRAL", "公安报警点转介"},
      {"CHANNEL_MICRO_HOME_REFERRAL", "妇女微家转介"},
      {"CHANNEL_VILLAGE_CONGRESS_REFERRAL", "村妇代会转介"},
      // Category and subcategory.
      {"CATEGORY_DOMESTIC_VIOLENCE", "家庭暴力"},
      {"CATEGORY_MARRIAGE_FAMILY", "婚姻家庭纠纷"},
      {"CATEGORY_LABOUR_RIGHTS", "劳动权益"},
      {"CATEGORY_LAND_PROPERTY", "土地财产权益"},
      {"CATEGORY_SEXUAL_HARASSMENT", "性骚扰"},
      {"CATEGORY_TRAFFICKING", "拐卖"},
      {"CATEGORY_CONSULTATION", "咨询"},
      {"SUBCATEGORY_INTIMATE_PARTNER_VIOLENCE", "亲密关系暴力"},
      {"SUBCATEGORY_ELDER_ABUSE", "虐待老人"},
      {"SUBCATEGORY_GIRL_ABUSE", "虐待女童"},
      {"SUBCATEGORY_DIVORCE", "离婚"},
      {"SUBCATEGORY_CUSTODY", "子女抚养权"},
      {"SUBCATEGORY_SUPPORT", "抚养赡养扶养"},
      {"SUBCATEGORY_MARITAL_PROPERTY", "夫妻财产"},
      {"SUBCATEGORY_IN_LAW", "婆媳纠纷"},
      {"SUBCATEGORY_RECONCILIATION", "夫妻调和"},
      {"SUBCATEGORY_EQUAL_PAY", "同工同酬"},
      {"SUBCATEGORY_FOUR_PERIODS_DISMISSAL", "四期内辞退"},
      {"SUBCATEGORY_FOUR_PERIODS_HARM", "四期内权益受损"},
      {"SUBCATEGORY_CONTRACTED_LAND", "土地承包经营权"},
      {"SUBCATEGORY_HOMESTEAD", "宅基地"},
      {"SUBCATEGORY_COLLECTIVE_INCOME", "集体收益分配"},
      // Urgency.
      {"URGENCY_ROUTINE", "一般"},
      {"URGENCY_URGENT", "紧急"},
      {"URGENCY_EMERGENCY", "危急"},
      // Vulnerability tags.
      {"VULNERABILITY_TAG_SINGLE_PARENT_POOR_MOTHER", "单亲贫困母亲"},
      {"VULNERABILITY_TAG_DISABLED", "残疾"},
      {"VULNERABILITY_TAG_PRISONER_FAMILY", "服刑人员家属"},
      {"VULNERABILITY_TAG_SUBSISTENCE_ALLOWANCE", "低保"},
      {"VULNERABILITY_TAG_LAID_OFF", "下岗失业"},
      {"VULNERABILITY_TAG_JOB_SEEKER_4050", "4050人员"},
      {"VULNERABILITY_TAG_POOR_GIRL", "贫困女童"},
      // Gender and relationship.
      {"GENDER_FEMALE", "女"},
      {"GENDER_MALE", "男"},
      {"RELATIONSHIP_SPOUSE", "配偶"},
      {"RELATIONSHIP_FORMER_SPOUSE", "前配偶"},
      {"RELATIONSHIP_PARTNER", "同居伴侣"},
      {"RELATIONSHIP_PARENT", "父母"},
      {"RELATIONSHIP_CHILD", "子女"},
      {"RELATIONSHIP_IN_LAW", "姻亲"},
      {"RELATIONSHIP_OTHER_RELATIVE", "其他亲属"},
      {"RELATIONSHIP_EMPLOYER", "用人单位"},
      {"RELATIONSHIP_VILLAGE_COLLECTIVE", "村集体"},
      {"RELATIONSHIP_OTHER", "其他"},
      // Risk.
      {"RISK_LEVEL_LOW", "低"},
      {"RISK_LEVEL_MEDIUM", "中"},
      {"RISK_LEVEL_HIGH", "高"},
      {"RISK_LEVEL_LETHAL", "致命"},
      // Contact method.
      {"CONTACT_METHOD_PHONE", "电话"},
      {"CONTACT_METHOD_IN_PERSON", "面谈"},
      {"CONTACT_METHOD_HOME_VISIT", "上门走访"},
      {"CONTACT_METHOD_LETTER", "信函"},
      {"CONTACT_METHOD_ONLINE", "网络"},
      {"CONTACT_METHOD_SMS", "短信"},
      // Mediation.
      {"COMMITTEE_LEVEL_CITY", "市级"},
      {"COMMITTEE_LEVEL_COUNTY", "县级"},
      {"COMMITTEE_LEVEL_TOWNSHIP", "乡级"},
      {"COMMITTEE_LEVEL_VILLAGE", "村级"},
      {"MEDIATION_OUTCOME_AGREEMENT", "达成协议"},
      {"MEDIATION_OUTCOME_PARTIAL", "部分达成"},
      {"MEDIATION_OUTCOME_FAILED", "调解不成"},
      {"MEDIATION_OUTCOME_ADJOURNED", "择期再调"},
      {"AGREEMENT_COMPLIANCE_KEPT", "履行"},
      {"AGREEMENT_COMPLIANCE_BROKEN", "未履行"},
      {"PARTY_ROLE_APPLICANT", "申请人"},
      {"PARTY_ROLE_RESPONDENT", "被申请人"},
      {"PARTY_ROLE_RELATIVE", "亲属"},
      {"PARTY_ROLE_WITNESS", "证人"},
      {"PARTY_ROLE_OTHER", "其他"},
      // Referral.
      {"PARTNER_TYPE_LEGAL_AID_CENTRE", "法律援助中心"},
      {"PARTNER_TYPE_LAWYER", "律师"},
      {"PARTNER_TYPE_POLICE_ALARM_POINT", "家暴报警点"},
      {"PARTNER_TYPE_VIOLENCE_ASSESSMENT_CENTRE", "暴力鉴定中心"},
      {"PARTNER_TYPE_CIVIL_AFFAIRS_SHELTER", "民政庇护中心"},
      {"PARTNER_TYPE_COURT_RIGHTS_PANEL", "法院维权合议庭"},
      {"PARTNER_TYPE_LABOUR_BUREAU", "劳动保障部门"},
      {"PARTNER_TYPE_DISPUTE_RESOLUTION_CENTRE", "矛盾纠纷调处中心"},
      {"CONSENT_FORM_ORAL", "口头"},
      {"CONSENT_FORM_WRITTEN", "书面"},
      {"REFERRAL_PROGRESS_KIND_ADVICE_GIVEN", "已提供咨询"},
      {"REFERRAL_PROGRESS_KIND_SUIT_FILED", "已立案起诉"},
      {"REFERRAL_PROGRESS_KIND_HEARING", "已开庭"},
      {"REFERRAL_PROGRESS_KIND_JUDGMENT", "已判决"},
      {"REFERRAL_PROGRESS_KIND_SETTLEMENT", "已和解"},
      {"REFERRAL_OUTCOME_RESOLVED", "已解决"},
      {"REFERRAL_OUTCOME_PARTLY_RESOLVED", "部分解决"},
      {"REFERRAL_OUTCOME_NOT_RESOLVED", "未解决"},
      {"REFERRAL_OUTCOME_WITHDRAWN", "本人撤回"},
      {"REFERRAL_STATUS_MADE", "待接收"},
      {"REFERRAL_STATUS_ACCEPTED", "已接收"},
      {"REFERRAL_STATUS_DECLINED", "已拒绝"},
      {"REFERRAL_STATUS_CLOSED", "已办结"},
      // Protection.
      {"PROTECTION_ORDER_DECISION_GRANTED", "准予"},
      {"PROTECTION_ORDER_DECISION_DENIED", "驳回"},
      {"PROTECTION_ORDER_STATUS_APPLIED", "已申请"},
      {"PROTECTION_ORDER_STATUS_GRANTED", "已签发"},
      {"PROTECTION_ORDER_STATUS_DENIED", "已驳回"},
      // Assistance.
      {"ASSISTANCE_KIND_HARDSHIP_RELIEF", "困难救助"},
      {"ASSISTANCE_KIND_TWO_CANCERS_RELIEF", "两癌救助"},
      {"ASSISTANCE_KIND_FESTIVAL_VISIT", "节日慰问"},
      {"ASSISTANCE_KIND_LEGAL_AID_FEE", "法律援助费用"},
      {"ASSISTANCE_KIND_OTHER", "其他"},
      // Closure.
      {"RESOLUTION_ADVICE_GIVEN", "咨询解答"},
      {"RESOLUTION_MEDIATED", "调解结案"},
      {"RESOLUTION_LEGAL_ACTION", "法律途径解决"},
      {"RESOLUTION_VIOLENCE_STOPPED", "家暴制止"},
      {"RESOLUTION_ASSISTANCE_PROVIDED", "提供帮扶"},
      {"RESOLUTION_TRANSFERRED", "移交大调解"},
      {"RESOLUTION_WITHDRAWN", "本人撤回"},
      {"RESOLUTION_UNREACHABLE", "失去联系"},
      {"RESOLUTION_NOT_RESOLVED", "未解决"},
      {"SATISFACTION_SATISFIED", "满意"},
      {"SATISFACTION_BASICALLY_SATISFIED", "基本满意"},
      {"SATISFACTION_UNSATISFIED", "不满意"},
      {"CASE_STATUS_OPEN", "办理中"},
      {"CASE_STATUS_CLOSED", "已结案"},
      {"CASE_LIST_SORT_OPENED_NEWEST_FIRST", "立案时间从新到旧"},
      {"CASE_LIST_SORT_FOLLOW_UP_DUE_SOONEST_FIRST", "回访到期从早到晚"},
      // Org units.
      {"UNIT_KIND_CITY", "市"},
      {"UNIT_KIND_COUNTY", "县"},
      {"UNIT_KIND_DISTRICT", "区"},
      {"UNIT_KIND_TOWNSHIP", "乡镇"},
      {"UNIT_KIND_STREET", "街道"},
      {"UNIT_KIND_VILLAGE", "村"},
      {"UNIT_KIND_COMMUNITY", "社区"},
      {"UNIT_KIND_MICRO_HOME", "妇女微家"},
      {"UNIT_KIND_DEPARTMENT_COMMITTEE", "机关妇委会"},
      {"UNIT_KIND_ENTERPRISE_COMMITTEE", "非公企业妇委会"},
      {"UNIT_KIND_MEMBER_ORGANISATION", "团体会员"},
      // Targets.
      {"TARGET_PERIOD_YEAR", "全年"},
      {"TARGET_PERIOD_FIRST_HALF", "上半年"},
      {"TARGET_PERIOD_SECOND_HALF", "下半年"},
      {"TARGET_PERIOD_Q1", "一季度"},
      {"TARGET_PERIOD_Q2", "二季度"},
      {"TARGET_PERIOD_Q3", "三季度"},
      {"TARGET_PERIOD_Q4", "四季度"},
      {"COMPARISON_AT_LEAST", "不低于"},
      {"COMPARISON_AT_MOST", "不高于"},
      {"TARGET_STATUS_MET", "完成"},
      {"TARGET_STATUS_NOT_MET", "未完成"},
      {"TARGET_STATUS_NO_DATA", "无数据"},
      {"TARGET_STATUS_WITHHELD", "不公开"},
      {"SPAN_PERIOD", "本期"},
      {"SPAN_YEAR_TO_DATE", "年初至今"},
      {"INDICATOR_KIND_COUNT", "数量"},
      {"INDICATOR_KIND_FEN", "金额"},
      {"INDICATOR_KIND_RATE", "比率"},
      {"INDICATOR_KIND_NUMBER", "数值"},
  };
  return *labels;
}

bool IsUnspecified(const EnumValueDescriptor* value) { return value->number() == 0; }

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
// algorithm); valid for any year.
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

// Reads exactly `n` digits at *pos.
bool ReadDigits(std::string_view text, size_t* pos, size_t n, int* out) {
  if (*pos + n > text.size()) return false;
  int value = 0;
  for (size_t i = 0; i < n; ++i) {
    const char c = text[*pos + i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  *pos += n;
  *out = value;
  return true;
}

std::string FormatCstPattern(int64_t micros, bool seconds) {
  if (micros == 0) return "—";
  int64_t secs = micros / 1000000;
  if (micros % 1000000 < 0) --secs;
  const std::time_t t = static_cast<std::time_t>(secs + kCstOffsetSeconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[48];
  if (seconds) {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  } else {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min);
  }
  return buf;
}

}  // namespace

std::string EnumValuePrefix(const EnumDescriptor* type) {
  std::string out;
  const std::string& name = type->name();
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (i > 0 && std::isupper(static_cast<unsigned char>(c))) out += '_';
    out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out + "_";
}

std::string EnumFlagName(const EnumDescriptor* type, int number) {
  const EnumValueDescriptor* value = type->FindValueByNumber(number);
  if (value == nullptr) return std::to_string(number);
  const std::string prefix = EnumValuePrefix(type);
  std::string_view name = value->name();
  if (name.size() > prefix.size() && name.substr(0, prefix.size()) == prefix) {
    name.remove_prefix(prefix.size());
  }
  return Lower(name);
}

std::optional<int> ParseEnumFlag(const EnumDescriptor* type, std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::string normal = Upper(text);
  for (char& c : normal) {
    if (c == '-') c = '_';
  }
  const EnumValueDescriptor* value = type->FindValueByName(EnumValuePrefix(type) + normal);
  if (value == nullptr) value = type->FindValueByName(normal);
  if (value == nullptr || IsUnspecified(value)) return std::nullopt;
  return value->number();
}

std::optional<std::vector<int>> ParseEnumListFlag(const EnumDescriptor* type,
                                                  std::string_view text) {
  std::vector<int> out;
  if (text.empty()) return out;
  for (const std::string& item : SplitList(text)) {
    auto number = ParseEnumFlag(type, item);
    if (!number) return std::nullopt;
    out.push_back(*number);
  }
  return out;
}

std::string EnumFlagChoices(const EnumDescriptor* type) {
  std::string out;
  for (int i = 0; i < type->value_count(); ++i) {
    const EnumValueDescriptor* value = type->value(i);
    if (IsUnspecified(value)) continue;
    if (!out.empty()) out += ", ";
    out += EnumFlagName(type, value->number());
  }
  return out;
}

std::string EnumLabel(const EnumDescriptor* type, int number) {
  const EnumValueDescriptor* value = type->FindValueByNumber(number);
  if (value == nullptr) return std::to_string(number);
  auto it = Labels().find(value->name());
  if (it != Labels().end()) return it->second;
  return EnumFlagName(type, number);
}

std::string EnumLabelWithName(const EnumDescriptor* type, int number) {
  if (number == 0) return "—";
  const std::string label = EnumLabel(type, number);
  const std::string name = EnumFlagName(type, number);
  return label == name ? name : label + " (" + name + ")";
}

std::string FormatCst(int64_t micros_since_epoch) {
  return FormatCstPattern(micros_since_epoch, /*seconds=*/true);
}

std::string FormatCstMinutes(int64_t micros_since_epoch) {
  return FormatCstPattern(micros_since_epoch, /*seconds=*/false);
}

std::optional<int64_t> ParseTimeFlag(std::string_view text, int64_t now_us) {
  if (text == "now") return now_us;
  if (!text.empty() && (text[0] == '+' || text[0] == '-')) {
    if (text.size() < 3) return std::nullopt;
    const char unit = text.back();
    int64_t unit_us = 0;
    switch (unit) {
      case 'd':
        unit_us = 86400LL * 1000000;
        break;
      case 'h':
        unit_us = 3600LL * 1000000;
        break;
      case 'm':
        unit_us = 60LL * 1000000;
        break;
      case 's':
        unit_us = 1000000;
        break;
      default:
        return std::nullopt;
    }
    int64_t amount = 0;
    for (char c : text.substr(1, text.size() - 2)) {
      if (c < '0' || c > '9') return std::nullopt;
      amount = amount * 10 + (c - '0');
      if (amount > 100000000) return std::nullopt;
    }
    return now_us + (text[0] == '+' ? 1 : -1) * amount * unit_us;
  }
  size_t pos = 0;
  int year, month, day, hour = 0, minute = 0, second = 0;
  if (!ReadDigits(text, &pos, 4, &year) || pos >= text.size() || text[pos++] != '-' ||
      !ReadDigits(text, &pos, 2, &month) || pos >= text.size() || text[pos++] != '-' ||
      !ReadDigits(text, &pos, 2, &day)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month)) return std::nullopt;
  int64_t offset_seconds = kCstOffsetSeconds;
  if (pos < text.size()) {
    if (text[pos] != ' ' && text[pos] != 'T') return std::nullopt;
    ++pos;
    if (!ReadDigits(text, &pos, 2, &hour) || pos >= text.size() || text[pos++] != ':' ||
        !ReadDigits(text, &pos, 2, &minute)) {
      return std::nullopt;
    }
    if (pos < text.size() && text[pos] == ':') {
      ++pos;
      if (!ReadDigits(text, &pos, 2, &second)) return std::nullopt;
    }
    if (hour > 23 || minute > 59 || second > 59) return std::nullopt;
    if (pos < text.size()) {
      if (text[pos] == 'Z' && pos + 1 == text.size()) {
        offset_seconds = 0;
        ++pos;
      } else if (text[pos] == '+' || text[pos] == '-') {
        const int sign = text[pos] == '+' ? 1 : -1;
        ++pos;
        int oh, om;
        if (!ReadDigits(text, &pos, 2, &oh) || pos >= text.size() || text[pos++] != ':' ||
            !ReadDigits(text, &pos, 2, &om) || oh > 14 || om > 59) {
          return std::nullopt;
        }
        offset_seconds = sign * (oh * 3600 + om * 60);
      }
    }
  }
  if (pos != text.size()) return std::nullopt;
  const int64_t seconds =
      DaysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset_seconds;
  return seconds * 1000000;
}

std::optional<int64_t> ParseYuanToFen(std::string_view text) {
  int64_t yuan = 0;
  int64_t fen = 0;
  size_t i = 0;
  size_t digits = 0;
  for (; i < text.size() && text[i] != '.'; ++i) {
    const char c = text[i];
    if (c == ',') continue;
    if (c < '0' || c > '9') return std::nullopt;
    yuan = yuan * 10 + (c - '0');
    if (yuan > 1000000000000LL) return std::nullopt;
    ++digits;
  }
  if (digits == 0) return std::nullopt;
  if (i < text.size()) {
    ++i;  // '.'
    const size_t decimals = text.size() - i;
    if (decimals == 0 || decimals > 2) return std::nullopt;
    for (size_t k = 0; k < 2; ++k) {
      int d = 0;
      if (k < decimals) {
        const char c = text[i + k];
        if (c < '0' || c > '9') return std::nullopt;
        d = c - '0';
      }
      fen = fen * 10 + d;
    }
  }
  return yuan * 100 + fen;
}

std::string FormatFen(int64_t fen) {
  const bool negative = fen < 0;
  uint64_t magnitude = negative ? static_cast<uint64_t>(-(fen + 1)) + 1 : fen;
  std::string digits = std::to_string(magnitude / 100);
  std::string grouped;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) grouped += ',';
    grouped += digits[i];
  }
  char cents[4];
  std::snprintf(cents, sizeof cents, "%02d", static_cast<int>(magnitude % 100));
  return (negative ? "-" : "") + grouped + "." + cents + "元";
}

std::vector<std::string> SplitList(std::string_view text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    const size_t comma = text.find(',', start);
    std::string_view item = text.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    out.emplace_back(item);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

std::string FormatTable(const std::vector<std::string>& header,
                        const std::vector<std::vector<std::string>>& rows,
                        const std::vector<size_t>& right_aligned) {
  std::vector<std::vector<std::string>> all;
  if (!header.empty()) all.push_back(header);
  for (const auto& row : rows) all.push_back(row);
  size_t columns = 0;
  for (auto& row : all) {
    for (std::string& cell : row) cell = SanitizeForTerminal(cell);
    columns = std::max(columns, row.size());
  }
  std::vector<int> widths(columns, 0);
  for (const auto& row : all) {
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], DisplayWidth(row[i]));
  }
  std::string out;
  for (const auto& row : all) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      if (i > 0) line += "  ";
      const bool right =
          std::find(right_aligned.begin(), right_aligned.end(), i) != right_aligned.end();
      if (right) {
        line += PadLeft(row[i], widths[i]);
      } else if (i + 1 == row.size()) {
        line += row[i];
      } else {
        line += PadRight(row[i], widths[i]);
      }
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

std::string FormatFields(const std::vector<std::pair<std::string, std::string>>& fields) {
  int width = 0;
  for (const auto& [label, value] : fields) width = std::max(width, DisplayWidth(label));
  std::string out;
  for (const auto& [label, value] : fields) {
    std::string text = PadRight(label, width) + "  ";
    size_t start = 0;
    bool first = true;
    while (true) {
      const size_t nl = value.find('\n', start);
      const std::string part =
          value.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
      if (!first) text += "\n" + std::string(width + 2, ' ');
      text += SanitizeForTerminal(part);
      first = false;
      if (nl == std::string::npos) break;
      start = nl + 1;
    }
    out += text + "\n";
  }
  return out;
}

}  // namespace haven::cli
