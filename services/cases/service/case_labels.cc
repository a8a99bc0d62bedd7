#include "services/cases/service/case_labels.h"

#include <cstddef>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "google/protobuf/descriptor.h"

namespace haven::services {
namespace {

namespace v1 = cases::v1;

// Chinese labels indexed by enum number; every enum here numbers its values
// 0, 1, 2, ... without gaps.
constexpr const char* kChannel[] = {"未指定渠道",   "12338热线", "来信", "来访",
                                    "家访",         "病访",      "网络", "公安转介",
                                    "妇女微家转介", "妇代会转介"};
constexpr const char* kCategory[] = {"未分类",       "家庭暴力", "婚姻家庭纠纷", "劳动权益",
                                     "土地财产权益", "性骚扰",   "拐卖",         "咨询"};
constexpr const char* kUrgency[] = {"未定缓急", "一般", "紧急", "危急"};
constexpr const char* kRiskLevel[] = {"未评估", "低", "中", "高", "致命"};
constexpr const char* kContactMethod[] = {"未指定方式", "电话", "面谈", "家访",
                                          "信件",       "网络", "短信"};
constexpr const char* kCommitteeLevel[] = {"未指定级别", "市级", "县级", "乡镇级", "村级"};
constexpr const char* kMediationOutcome[] = {"未记录", "达成协议", "部分达成协议", "调解不成",
                                             "延期"};
constexpr const char* kAgreementCompliance[] = {"未回访", "协议履行", "协议未履行"};
constexpr const char* kPartnerType[] = {"未指定机构",     "法律援助中心", "律师",
                                        "家庭暴力报警点", "暴力鉴定中心", "庇护中心",
                                        "维权合议庭",     "劳动部门",     "综治维稳中心"};
constexpr const char* kConsentForm[] = {"未指定形式", "口头", "书面"};
constexpr const char* kReferralProgressKind[] = {"未指定", "提供法律咨询", "已起诉",
                                                 "开庭",   "判决",         "和解"};
constexpr const char* kReferralOutcome[] = {"未指定", "已解决", "部分解决", "未解决", "本人撤回"};
constexpr const char* kAssistanceKind[] = {"未指定",   "困难救助",     "两癌救助",
                                           "节日慰问", "法律援助费用", "其他帮扶"};
constexpr const char* kResolution[] = {"未指定",     "咨询已答复", "调解解决", "法律途径解决",
                                       "家暴已制止", "已提供帮扶", "已移交",   "本人撤回",
                                       "失去联系",   "未解决"};
constexpr const char* kSatisfaction[] = {"未评价", "满意", "基本满意", "不满意"};

// "CHANNEL_HOME_VISIT" -> "home visit": the name without the prefix shared
// with the zero value ("CHANNEL_UNSPECIFIED").
std::string English(const google::protobuf::EnumDescriptor* descriptor, int value) {
  const google::protobuf::EnumValueDescriptor* v = descriptor->FindValueByNumber(value);
  if (v == nullptr) return absl::StrCat("unknown (", value, ")");
  std::string prefix = descriptor->value(0)->name();
  prefix.resize(prefix.size() - (sizeof("UNSPECIFIED") - 1));
  std::string name = v->name().substr(prefix.size());
  return absl::StrReplaceAll(absl::AsciiStrToLower(name), {{"_", " "}});
}

template <size_t N>
Label Make(const google::protobuf::EnumDescriptor* descriptor, const char* const (&zh)[N],
           int value) {
  Label label;
  label.zh =
      value >= 0 && static_cast<size_t>(value) < N ? zh[value] : absl::StrCat("未知(", value, ")");
  label.en = English(descriptor, value);
  return label;
}

}  // namespace

Label LabelOf(v1::Channel value) { return Make(v1::Channel_descriptor(), kChannel, value); }
Label LabelOf(v1::Category value) { return Make(v1::Category_descriptor(), kCategory, value); }
Label LabelOf(v1::Urgency value) { return Make(v1::Urgency_descriptor(), kUrgency, value); }
Label LabelOf(v1::RiskLevel value) { return Make(v1::RiskLevel_descriptor(), kRiskLevel, value); }
Label LabelOf(v1::ContactMethod value) {
  return Make(v1::ContactMethod_descriptor(), kContactMethod, value);
}
Label LabelOf(v1::CommitteeLevel value) {
  return Make(v1::CommitteeLevel_descriptor(), kCommitteeLevel, value);
}
Label LabelOf(v1::MediationOutcome value) {
  return Make(v1::MediationOutcome_descriptor(), kMediationOutcome, value);
}
Label LabelOf(v1::AgreementCompliance value) {
  return Make(v1::AgreementCompliance_descriptor(), kAgreementCompliance, value);
}
Label LabelOf(v1::PartnerType value) {
  return Make(v1::PartnerType_descriptor(), kPartnerType, value);
}
Label LabelOf(v1::ConsentForm value) {
  return Make(v1::ConsentForm_descriptor(), kConsentForm, value);
}
Label LabelOf(v1::ReferralProgressKind value) {
  return Make(v1::ReferralProgressKind_descriptor(), kReferralProgressKind, value);
}
Label LabelOf(v1::ReferralOutcome value) {
  return Make(v1::ReferralOutcome_descriptor(), kReferralOutcome, value);
}
Label LabelOf(v1::AssistanceKind value) {
  return Make(v1::AssistanceKind_descriptor(), kAssistanceKind, value);
}
Label LabelOf(v1::Resolution value) {
  return Make(v1::Resolution_descriptor(), kResolution, value);
}
Label LabelOf(v1::Satisfaction value) {
  return Make(v1::Satisfaction_descriptor(), kSatisfaction, value);
}

}  // namespace haven::services
