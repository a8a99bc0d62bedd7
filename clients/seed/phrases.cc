#include "seed/phrases.h"

#include <algorithm>
#include <vector>

namespace haven::seed {
namespace {

using List = std::vector<std::string>;

const char* const kChineseDigits[] = {"零", "一", "两", "三", "四", "五",
                                      "六", "七", "八", "九", "十"};

std::string ChildrenText(Rng& rng, int n) {
  if (n <= 0) return "尚无子女";
  if (n == 1) return rng.Chance(0.5) ? "一子" : "一女";
  if (n == 2) {
    switch (rng.Below(3)) {
      case 0:
        return "一儿一女";
      case 1:
        return "两个女儿";
      default:
        return "两个儿子";
    }
  }
  return std::string(kChineseDigits[std::min(n, 10)]) + "个孩子";
}

void ReplaceAll(std::string& text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

// Fills the placeholders of a phrase.
std::string Fill(Rng& rng, std::string text, const AccountFacts& f) {
  ReplaceAll(text, "{R}", f.respondent.empty() ? "对方" : f.respondent);
  ReplaceAll(text, "{P}", f.place);
  ReplaceAll(text, "{T}", f.township);
  ReplaceAll(text, "{C}", f.company.empty() ? "所在单位" : f.company);
  ReplaceAll(text, "{AGE}", std::to_string(f.age));
  ReplaceAll(text, "{Y}", std::to_string(std::max(1, f.years_married)));
  ReplaceAll(text, "{K}", ChildrenText(rng, f.children));
  ReplaceAll(text, "{N}", kChineseDigits[rng.Between(2, 6)]);
  ReplaceAll(text, "{M}", std::to_string(rng.Between(5, 20) * 100));
  ReplaceAll(text, "{CA}", std::to_string(rng.Between(6, 15)));
  return text;
}

// `count` distinct phrases of `list`, in a random order.
std::string Several(Rng& rng, const List& list, size_t count, const AccountFacts& f) {
  std::vector<size_t> order(list.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng.Below(i)]);
  std::string out;
  for (size_t i = 0; i < std::min(count, list.size()); ++i) out += Fill(rng, list[order[i]], f);
  return out;
}

const List& Openers(cv1::Channel channel) {
  static const List kHotline = {"来电人称：", "12338妇女维权热线来电，求助人反映：",
                                "求助人致电12338热线，称", "热线来电，"};
  static const List kLetter = {"来信反映：", "求助人来信称，", "收到求助人来信，信中反映："};
  static const List kVisit = {"来访人到妇联信访接待室反映：", "求助人到妇联来访，称",
                              "信访接待日来访，求助人反映：", "来访反映："};
  static const List kHomeVisit = {"妇联干部入户走访时了解到：", "家访中求助人反映："};
  static const List kHospital = {"到医院看望求助人时，其反映：", "病访了解到："};
  static const List kOnline = {"通过妇联微信公众号留言求助：", "网上求助称：",
                               "在“网上妇联”平台留言，"};
  static const List kPolice = {"派出所家庭暴力报警点转介：", "110接警后转妇联，民警出警了解到：",
                               "公安机关转介："};
  static const List kMicroHome = {"妇女微家主人转介：", "经妇女微家转来，求助人称",
                                  "妇女微家接待日，求助人反映："};
  static const List kCongress = {"村妇代会主任反映：", "经村妇代会转介，求助人称",
                                 "社区维权预警信息员报告："};
  switch (channel) {
    case cv1::CHANNEL_LETTER:
      return kLetter;
    case cv1::CHANNEL_VISIT:
      return kVisit;
    case cv1::CHANNEL_HOME_VISIT:
      return kHomeVisit;
    case cv1::CHANNEL_HOSPITAL_VISIT:
      return kHospital;
    case cv1::CHANNEL_ONLINE:
      return kOnline;
    case cv1::CHANNEL_POLICE_REFERRAL:
      return kPolice;
    case cv1::CHANNEL_MICRO_HOME_REFERRAL:
      return kMicroHome;
    case cv1::CHANNEL_VILLAGE_CONGRESS_REFERRAL:
      return kCongress;
    default:
      return kHotline;
  }
}

const List& Backgrounds(cv1::Category category, cv1::Subcategory sub) {
  static const List kMarried = {"求助人今年{AGE}岁，与丈夫{R}结婚{Y}年，育有{K}。",
                                "求助人{AGE}岁，家住{P}，婚后育有{K}。",
                                "求助人与{R}结婚{Y}年，{K}正在上学。"};
  static const List kElder = {"求助人今年{AGE}岁，老伴已去世多年，独自居住在{P}。",
                              "求助人{AGE}岁，身体不好，平时靠养老金和低保生活。"};
  static const List kGirl = {"求助人今年{AGE}岁，再婚后与{R}共同生活，育有{K}。",
                             "求助人{AGE}岁，家住{P}，孙女由其照看。"};
  static const List kWorker = {"求助人今年{AGE}岁，在{C}工作{N}年。",
                               "求助人{AGE}岁，系{C}职工，已签订劳动合同。"};
  static const List kVillager = {"求助人今年{AGE}岁，户籍在{P}。",
                                 "求助人{AGE}岁，系{P}村民，婚后户口一直未迁出。"};
  static const List kPlain = {"求助人今年{AGE}岁。", "求助人家住{P}。", ""};
  switch (category) {
    case cv1::CATEGORY_DOMESTIC_VIOLENCE:
      if (sub == cv1::SUBCATEGORY_ELDER_ABUSE) return kElder;
      if (sub == cv1::SUBCATEGORY_GIRL_ABUSE) return kGirl;
      return kMarried;
    case cv1::CATEGORY_MARRIAGE_FAMILY:
      return sub == cv1::SUBCATEGORY_SUPPORT ? kPlain : kMarried;
    case cv1::CATEGORY_LABOUR_RIGHTS:
    case cv1::CATEGORY_SEXUAL_HARASSMENT:
      return kWorker;
    case cv1::CATEGORY_LAND_PROPERTY:
      return kVillager;
    default:
      return kPlain;
  }
}

const List& Problems(cv1::Category category, cv1::Subcategory sub) {
  static const List kIpv = {"丈夫{R}长期酗酒，酒后经常对其打骂。",
                            "{R}因家庭琐事多次动手殴打求助人，最近一次致其面部、手臂多处淤青。",
                            "{R}怀疑其有外遇，限制其外出，并没收了她的手机。",
                            "{R}赌博欠下债务，向其要钱不成便拳脚相加。",
                            "前几天{R}用皮带抽打求助人，邻居听到呼救后报了警。",
                            "{R}扬言如果她提出离婚就要报复她的娘家人，求助人非常害怕。",
                            "孩子多次目睹家暴，出现害怕、失眠等情况。",
                            "求助人曾因伤到镇卫生院就诊，有病历记录。",
                            "求助人目前暂住娘家，不敢回家。",
                            "{R}经常当着孩子的面辱骂她，还不让她回娘家。",
                            "{R}掌管家中全部收入，求助人买菜都要向他要钱。"};
  static const List kElder = {
      "儿子{R}不让求助人进家门，她只能借住在邻居家。", "儿媳经常辱骂求助人，有时连饭都不给吃。",
      "{R}将她的养老金据为己有，不给生活费。", "{R}酒后推搡求助人，致其摔倒骨折。",
      "几个子女互相推诿，都不愿意照顾老人。"};
  static const List kGirl = {"其女儿今年{CA}岁，经常遭{R}打骂，身上有多处伤痕。",
                             "学校老师发现孩子身上有伤，告知了求助人。",
                             "{R}不让女儿上学，要她在家干活。",
                             "孩子说{R}经常用衣架打她，现在很怕回家。"};
  static const List kDivorce = {
      "夫妻感情不和已分居{N}年，{R}不同意离婚。", "{R}长期在外务工，很少回家，也不承担家庭开支。",
      "求助人想起诉离婚，不知道如何准备材料。", "{R}在外另有他人，提出离婚但拒绝分割财产。",
      "双方协议离婚时对房子归属分歧很大。"};
  static const List kCustody = {"离婚后孩子由{R}抚养，{R}不让求助人探望孩子。",
                                "双方争夺孩子抚养权，{R}的家人把孩子藏了起来。",
                                "{R}再婚后对孩子不管不问，孩子想跟母亲生活。"};
  static const List kSupport = {"离婚时约定{R}每月支付抚养费{M}元，但已连续{N}个月未支付。",
                                "子女不履行赡养义务，求助人生活没有着落。",
                                "孩子上学需要费用，{R}拒绝承担。"};
  static const List kProperty = {"婚后共同购买的房屋被{R}擅自出售。",
                                 "{R}隐瞒婚后收入，转移夫妻共同财产。",
                                 "{R}以个人名义借了不少钱，现在债主找上门来。"};
  static const List kInLaw = {"婆媳关系紧张，婆婆经常当着孩子的面指责求助人。",
                              "因带孩子和家务分工问题与婆婆多次发生争吵。",
                              "丈夫{R}夹在中间不作为，矛盾越来越深。",
                              "婆婆要求她辞职在家带孩子，她不同意。"};
  static const List kReconcile = {"夫妻因家庭琐事经常吵架，近期闹到要离婚。",
                                  "{R}沉迷网络游戏，不顾家庭，双方矛盾激化。",
                                  "双方为孩子教育问题争执不下，已冷战{N}个月。"};
  static const List kEqualPay = {"同岗位男职工工资比她高出近三成。",
                                 "单位评先评优、晋升总是优先考虑男职工。",
                                 "年终奖金女职工统一按男职工的八成发放。"};
  static const List kDismissal = {"怀孕{N}个月时被{C}以业绩不达标为由辞退。",
                                  "休完产假回单位后被告知岗位已取消，要求其自动离职。",
                                  "哺乳期内单位单方面解除劳动合同，未给任何补偿。",
                                  "单位得知其怀孕后不再与其续签劳动合同。"};
  static const List kHarm = {"孕期被调到需要长时间站立的岗位，工资也被降低。",
                             "产假期间单位停发工资，也不缴社保。",
                             "哺乳期内单位安排其上夜班，不给哺乳时间。"};
  static const List kLand = {"出嫁后村里将其承包地收回，分给了其他人。",
                             "离婚后户口仍在本村，但村组不再分给她土地。",
                             "土地确权时，村里没有把她和孩子登记进去。"};
  static const List kHomestead = {"离婚后前夫家人不让其居住，宅基地上的房屋被占用。",
                                  "宅基地确权时村里未将其列入家庭成员。",
                                  "娘家兄弟以她已出嫁为由，不让她分得宅基地。"};
  static const List kIncome = {"村里征地补偿款分配时，外嫁女不能享受。",
                               "村集体经济分红没有她和孩子的份。",
                               "村规民约规定出嫁女不再享受村民待遇。"};
  static const List kHarassment = {"单位领导多次通过微信发送骚扰信息，并在办公室动手动脚。",
                                   "在公交车上遭人猥亵，已向公安报案。",
                                   "同事经常讲下流笑话，她提出后反遭孤立。"};
  static const List kTrafficking = {"其妹妹多年前被人以介绍工作为名骗走，至今下落不明。",
                                    "求助人当年被拐卖至本地，现希望回原籍寻亲。",
                                    "有人以介绍对象为名，要带村里的女孩去外地。"};
  static const List kConsult = {
      "咨询离婚时夫妻共同财产如何分割。",    "咨询如何申请人身安全保护令。",
      "咨询孩子抚养费的标准和计算方法。",    "咨询产假及生育津贴的相关规定。",
      "咨询农村外嫁女土地承包权益问题。",    "咨询“两癌”免费筛查和救助政策。",
      "咨询妇女小额担保贴息贷款的申请条件。"};
  switch (sub) {
    case cv1::SUBCATEGORY_INTIMATE_PARTNER_VIOLENCE:
      return kIpv;
    case cv1::SUBCATEGORY_ELDER_ABUSE:
      return kElder;
    case cv1::SUBCATEGORY_GIRL_ABUSE:
      return kGirl;
    case cv1::SUBCATEGORY_DIVORCE:
      return kDivorce;
    case cv1::SUBCATEGORY_CUSTODY:
      return kCustody;
    case cv1::SUBCATEGORY_SUPPORT:
      return kSupport;
    case cv1::SUBCATEGORY_MARITAL_PROPERTY:
      return kProperty;
    case cv1::SUBCATEGORY_IN_LAW:
      return kInLaw;
    case cv1::SUBCATEGORY_RECONCILIATION:
      return kReconcile;
    case cv1::SUBCATEGORY_EQUAL_PAY:
      return kEqualPay;
    case cv1::SUBCATEGORY_FOUR_PERIODS_DISMISSAL:
      return kDismissal;
    case cv1::SUBCATEGORY_FOUR_PERIODS_HARM:
      return kHarm;
    case cv1::SUBCATEGORY_CONTRACTED_LAND:
      return kLand;
    case cv1::SUBCATEGORY_HOMESTEAD:
      return kHomestead;
    case cv1::SUBCATEGORY_COLLECTIVE_INCOME:
      return kIncome;
    default:
      break;
  }
  switch (category) {
    case cv1::CATEGORY_DOMESTIC_VIOLENCE:
      return kIpv;
    case cv1::CATEGORY_SEXUAL_HARASSMENT:
      return kHarassment;
    case cv1::CATEGORY_TRAFFICKING:
      return kTrafficking;
    default:
      return kConsult;
  }
}

const List& Requests(cv1::Category category) {
  static const List kDv = {"希望妇联帮助制止家暴。", "希望了解如何申请人身安全保护令。",
                           "要求离婚，希望得到法律援助。", "希望妇联出面对{R}进行批评教育。"};
  static const List kFamily = {"希望妇联出面调解。", "希望得到法律援助。",
                               "希望妇联帮忙做对方的思想工作。", "想了解法律上怎么规定。"};
  static const List kLabour = {"希望妇联协调单位恢复其工作岗位。", "要求单位依法支付经济补偿。",
                               "希望了解劳动仲裁的程序。"};
  static const List kLand = {"希望妇联帮助协调村委会，落实其土地权益。",
                             "要求与其他村民享受同等待遇。"};
  static const List kOther = {"希望妇联给予帮助。", "希望依法维护自身权益。"};
  static const List kConsult = {"接线员当场作了解答。", "已当场解答并告知相关政策。"};
  switch (category) {
    case cv1::CATEGORY_DOMESTIC_VIOLENCE:
      return kDv;
    case cv1::CATEGORY_MARRIAGE_FAMILY:
      return kFamily;
    case cv1::CATEGORY_LABOUR_RIGHTS:
      return kLabour;
    case cv1::CATEGORY_LAND_PROPERTY:
      return kLand;
    case cv1::CATEGORY_CONSULTATION:
      return kConsult;
    default:
      return kOther;
  }
}

std::string PickText(Rng& rng, const List& list) { return rng.Pick(list); }

}  // namespace

std::string Account(Rng& rng, const AccountFacts& f) {
  std::string text = Fill(rng, PickText(rng, Openers(f.channel)), f);
  text += Fill(rng, PickText(rng, Backgrounds(f.category, f.subcategory)), f);
  const size_t problems = f.category == cv1::CATEGORY_CONSULTATION ? 1 : rng.Between(2, 3);
  text += Several(rng, Problems(f.category, f.subcategory), problems, f);
  text += Fill(rng, PickText(rng, Requests(f.category)), f);
  return text;
}

std::string CompanyName(Rng& rng, const std::string& city_prefix) {
  static const List kCore = {"华泰", "金鼎", "宏达", "瑞丰", "恒通", "永兴", "新源", "锦绣",
                             "天成", "益民", "佳美", "东升", "鑫源", "长江", "紫金"};
  static const List kTrade = {"电子",     "纺织",     "服饰", "食品", "物流", "商贸",
                              "家政服务", "餐饮管理", "电器", "塑业", "包装", "酒店管理"};
  static const List kForm = {"有限公司", "有限责任公司", "股份有限公司"};
  return city_prefix + rng.Pick(kCore) + rng.Pick(kTrade) + rng.Pick(kForm);
}

std::string Workplace(Rng& rng, const std::string& city_prefix) {
  static const List kOther = {"务农",     "个体经营",     "超市收银员", "灵活就业",
                              "家庭主妇", "幼儿园保育员", "社区保洁员"};
  if (rng.Chance(0.5)) return CompanyName(rng, city_prefix);
  return rng.Pick(kOther);
}

std::string ContactSummary(Rng& rng, cv1::ContactMethod method, bool inbound) {
  static const List kPhoneOut = {"电话回访，了解求助人近况。", "电话联系求助人，核实相关情况。",
                                 "电话告知求助人下一步处理意见。",
                                 "电话联系对方当事人，做其思想工作。"};
  static const List kPhoneIn = {"求助人来电询问办理进展。", "求助人来电补充反映情况。",
                                "求助人来电称情况有所好转。"};
  static const List kInPerson = {"约求助人到妇联面谈，进一步了解情况。",
                                 "求助人到妇联面谈，提交了相关材料。",
                                 "与求助人面谈，告知其依法享有的权利。"};
  static const List kHome = {"上门走访，与求助人及其家人谈话。",
                             "会同村妇代会主任入户走访，了解家庭情况。", "会同社区民警上门走访。"};
  static const List kOther = {"短信告知求助人办理进展。", "通过微信与求助人沟通。",
                              "寄送书面答复意见。"};
  switch (method) {
    case cv1::CONTACT_METHOD_PHONE:
      return rng.Pick(inbound ? kPhoneIn : kPhoneOut);
    case cv1::CONTACT_METHOD_IN_PERSON:
      return rng.Pick(kInPerson);
    case cv1::CONTACT_METHOD_HOME_VISIT:
      return rng.Pick(kHome);
    default:
      return rng.Pick(kOther);
  }
}

std::string NoteText(Rng& rng, cv1::Category category) {
  static const List kCommon = {"已与村（社区）妇代会主任沟通，请其关注该户情况。",
                               "求助人提供了相关证据材料，已存档。", "建议求助人注意保留相关证据。",
                               "求助人情绪较为稳定。", "已向分管领导汇报。"};
  static const List kDv = {
      "已告知求助人可向法院申请人身安全保护令。", "已告知求助人遇到危险及时拨打110报警。",
      "已将该户列入社区维权预警重点关注对象。", "求助人提供了病历和受伤照片。"};
  static const List kFamily = {"已与对方当事人电话沟通，对方表示愿意调解。",
                               "求助人暂未决定是否离婚，先观察一段时间。",
                               "已向求助人讲解婚姻家庭相关法律规定。"};
  if (category == cv1::CATEGORY_DOMESTIC_VIOLENCE && rng.Chance(0.6)) return rng.Pick(kDv);
  if (category == cv1::CATEGORY_MARRIAGE_FAMILY && rng.Chance(0.6)) return rng.Pick(kFamily);
  return rng.Pick(kCommon);
}

std::string RiskBasis(Rng& rng, cv1::RiskLevel level) {
  static const List kLow = {"偶发推搡，无明显伤情。", "双方争吵为主，未发生肢体冲突。"};
  static const List kMedium = {"多次殴打，有报警记录。", "对方有酗酒史，冲突频繁。"};
  static const List kHigh = {"使用器械殴打，伤情较重。", "对方扬言报复，并有跟踪行为。",
                             "暴力频率明显增加，孩子也受到威胁。"};
  static const List kLethal = {"对方曾掐其脖子并威胁杀人。", "对方持刀威胁，已被公安机关控制过。"};
  switch (level) {
    case cv1::RISK_LEVEL_LOW:
      return rng.Pick(kLow);
    case cv1::RISK_LEVEL_MEDIUM:
      return rng.Pick(kMedium);
    case cv1::RISK_LEVEL_HIGH:
      return rng.Pick(kHigh);
    default:
      return rng.Pick(kLethal);
  }
}

std::string EarlyWarningBasis(Rng& rng) {
  static const List kList = {"社区维权预警信息员报告该户近期矛盾激化。",
                             "网格员反映该户夜间多次传出争吵和呼救声。",
                             "村妇代会主任反映对方近期再次酗酒闹事。"};
  return rng.Pick(kList);
}

std::string MediationSummary(Rng& rng, cv1::MediationOutcome outcome, cv1::Subcategory sub) {
  static const List kAgreementDivorce = {"双方同意协议离婚，孩子由女方抚养，男方每月支付抚养费。",
                                         "双方就财产分割达成一致，签订了调解协议。"};
  static const List kAgreementFamily = {"双方达成调解协议：对方保证不再打骂，按月给付家庭生活费。",
                                        "婆媳双方互相谅解，约定分开居住、互相尊重。",
                                        "双方互相谅解，表示愿意继续共同生活。",
                                        "子女签订赡养协议，按月轮流照顾老人。"};
  static const List kPartial = {"双方就孩子抚养达成一致，财产分割问题仍有分歧。",
                                "对方同意支付部分费用，其余问题另行协商。"};
  static const List kFailed = {"双方分歧较大，调解未成功，建议通过诉讼解决。",
                               "对方拒不到场，调解终止。", "对方不同意任何方案，调解不成。"};
  static const List kAdjourned = {"对方要求考虑几天，约定择期再调。",
                                  "部分当事人未到场，改期再调。"};
  switch (outcome) {
    case cv1::MEDIATION_OUTCOME_AGREEMENT:
      return rng.Pick(sub == cv1::SUBCATEGORY_DIVORCE || sub == cv1::SUBCATEGORY_MARITAL_PROPERTY
                          ? kAgreementDivorce
                          : kAgreementFamily);
    case cv1::MEDIATION_OUTCOME_PARTIAL:
      return rng.Pick(kPartial);
    case cv1::MEDIATION_OUTCOME_FAILED:
      return rng.Pick(kFailed);
    default:
      return rng.Pick(kAdjourned);
  }
}

std::string AgreementNote(Rng& rng, cv1::AgreementCompliance compliance) {
  static const List kKept = {"回访得知协议履行良好，家庭关系有所缓和。", "对方已按协议支付抚养费。",
                             "双方按协议履行，未再发生纠纷。"};
  static const List kBroken = {"对方未按协议支付抚养费。", "对方再次违反协议，矛盾重新激化。"};
  return rng.Pick(compliance == cv1::AGREEMENT_COMPLIANCE_KEPT ? kKept : kBroken);
}

std::string ConsentNote(Rng& rng) {
  static const List kList = {"求助人同意将案件转介相关部门办理。",
                             "已向求助人说明转介事项，求助人签字同意。",
                             "求助人口头同意转介，已记录在案。"};
  return rng.Pick(kList);
}

std::string ReferralReason(Rng& rng, cv1::PartnerType type, cv1::Category category) {
  static const List kLegal = {"需要代理离婚诉讼，求助人经济困难。",
                              "需申请人身安全保护令，请提供法律帮助。",
                              "涉及抚养费追索，需要律师代理。", "调解不成，需通过诉讼维护权益。"};
  static const List kLabour = {"涉嫌违反女职工劳动保护规定，请劳动保障监察部门依法查处。",
                               "需申请劳动仲裁，请予以指导。"};
  static const List kLand = {"涉及外嫁女土地承包权益，需要法律援助。"};
  static const List kPolice = {"涉嫌违法犯罪，请公安机关依法处理。"};
  static const List kTransfer = {"涉及多部门职责，移交综治中心统筹调处。",
                                 "矛盾较为复杂，纳入矛盾纠纷大调解体系。"};
  static const List kCourt = {"涉及妇女权益诉讼，请维权合议庭依法审理。"};
  switch (type) {
    case cv1::PARTNER_TYPE_LABOUR_BUREAU:
      return rng.Pick(kLabour);
    case cv1::PARTNER_TYPE_POLICE_ALARM_POINT:
      return rng.Pick(kPolice);
    case cv1::PARTNER_TYPE_DISPUTE_RESOLUTION_CENTRE:
      return rng.Pick(kTransfer);
    case cv1::PARTNER_TYPE_COURT_RIGHTS_PANEL:
      return rng.Pick(kCourt);
    default:
      return rng.Pick(category == cv1::CATEGORY_LAND_PROPERTY ? kLand : kLegal);
  }
}

std::string DeclineReason(Rng& rng) {
  static const List kList = {"不符合法律援助经济困难条件，建议委托律师。",
                             "案件不属于本中心受理范围，建议转律师事务所。",
                             "申请人材料不全，暂无法受理。", "本所律师近期案件已满，无法承接。"};
  return rng.Pick(kList);
}

std::string ProgressNote(Rng& rng, cv1::ReferralProgressKind kind, const std::string& court) {
  switch (kind) {
    case cv1::REFERRAL_PROGRESS_KIND_ADVICE_GIVEN:
      return rng.Chance(0.5) ? "律师已与求助人面谈，提供法律意见。" : "已指导求助人收集证据材料。";
    case cv1::REFERRAL_PROGRESS_KIND_SUIT_FILED:
      return "已向" + court + "提起诉讼。";
    case cv1::REFERRAL_PROGRESS_KIND_HEARING:
      return court + "已开庭审理。";
    case cv1::REFERRAL_PROGRESS_KIND_JUDGMENT:
      return rng.Chance(0.5) ? "法院判决准予离婚，孩子由女方抚养。"
                             : "法院判决支持求助人的诉讼请求。";
    default:
      return "双方在法院主持下达成和解。";
  }
}

std::string ReferralOutcomeSummary(Rng& rng, cv1::ReferralOutcome outcome) {
  static const List kResolved = {"案件已审结，求助人合法权益得到维护。",
                                 "经仲裁，单位支付经济补偿并补缴社保。", "对方已按判决履行。"};
  static const List kPartly = {"部分诉讼请求得到支持。", "已追回部分抚养费。"};
  static const List kNot = {"诉讼请求未获支持。", "证据不足，未能解决。"};
  static const List kWithdrawn = {"求助人考虑再三，撤回申请。", "双方和好，求助人撤诉。"};
  switch (outcome) {
    case cv1::REFERRAL_OUTCOME_RESOLVED:
      return rng.Pick(kResolved);
    case cv1::REFERRAL_OUTCOME_PARTLY_RESOLVED:
      return rng.Pick(kPartly);
    case cv1::REFERRAL_OUTCOME_NOT_RESOLVED:
      return rng.Pick(kNot);
    default:
      return rng.Pick(kWithdrawn);
  }
}

std::string AlarmAccount(Rng& rng) {
  static const List kList = {"邻居报警称听到呼救声，民警到场时求助人面部红肿。",
                             "求助人本人报警，称被丈夫殴打。",
                             "民警出警制止，对施暴人进行了训诫。"};
  return rng.Pick(kList);
}

std::string InjuryNote(Rng& rng) {
  static const List kList = {"申请对面部、手臂伤情进行鉴定。", "申请对头部外伤进行伤情鉴定。",
                             "陪同求助人到鉴定中心验伤。"};
  return rng.Pick(kList);
}

std::string DischargeNote(Rng& rng) {
  static const List kList = {"返回娘家居住。", "对方出具保证书后返回家中。", "租房独立生活。",
                             "由亲属接回照顾。"};
  return rng.Pick(kList);
}

std::string DenialReason(Rng& rng) {
  static const List kList = {"证据不足，不能证明存在遭受家庭暴力的现实危险。", "申请人撤回申请。"};
  return rng.Pick(kList);
}

std::string AssistanceNote(Rng& rng, cv1::AssistanceKind kind) {
  switch (kind) {
    case cv1::ASSISTANCE_KIND_HARDSHIP_RELIEF:
      return rng.Chance(0.5) ? "发放困难妇女救助金。" : "为单亲贫困母亲发放临时救助。";
    case cv1::ASSISTANCE_KIND_TWO_CANCERS_RELIEF:
      return "贫困母亲“两癌”救助。";
    case cv1::ASSISTANCE_KIND_FESTIVAL_VISIT:
      return rng.Chance(0.5) ? "春节走访慰问困难妇女，送去米、油等慰问品。" : "“三八”节慰问。";
    case cv1::ASSISTANCE_KIND_LEGAL_AID_FEE:
      return "资助诉讼相关费用。";
    default:
      return "其他帮扶。";
  }
}

std::string FollowUpPurpose(Rng& rng, cv1::Category category) {
  if (category == cv1::CATEGORY_DOMESTIC_VIOLENCE) {
    return rng.Chance(0.6) ? "回访了解家暴是否再次发生。" : "回访了解求助人安全状况。";
  }
  static const List kList = {"回访调解协议履行情况。", "回访案件办理满意度。",
                             "回访了解求助人生活近况。"};
  return rng.Pick(kList);
}

std::string FollowUpNote(Rng& rng) {
  static const List kList = {"求助人表示目前生活平稳。", "未再发生家庭暴力。",
                             "求助人对妇联工作表示满意。", "家庭关系明显缓和。",
                             "求助人已找到新工作。"};
  return rng.Pick(kList);
}

std::string ClosureNote(Rng& rng, cv1::Resolution resolution) {
  switch (resolution) {
    case cv1::RESOLUTION_ADVICE_GIVEN:
      return "已为求助人提供法律咨询和政策解答，案件办结。";
    case cv1::RESOLUTION_MEDIATED:
      return rng.Chance(0.5) ? "经调解双方达成协议，案件办结。" : "调解成功，矛盾化解，案件办结。";
    case cv1::RESOLUTION_LEGAL_ACTION:
      return "经法律途径解决，求助人权益得到维护，案件办结。";
    case cv1::RESOLUTION_VIOLENCE_STOPPED:
      return rng.Chance(0.5) ? "经多方干预，家暴行为得到制止，案件办结。"
                             : "施暴人写下保证书，回访未再发生家暴，案件办结。";
    case cv1::RESOLUTION_ASSISTANCE_PROVIDED:
      return "已落实帮扶措施，案件办结。";
    case cv1::RESOLUTION_TRANSFERRED:
      return "已移交综治中心统筹调处，案件办结。";
    case cv1::RESOLUTION_WITHDRAWN:
      return "求助人主动撤回求助，案件办结。";
    case cv1::RESOLUTION_UNREACHABLE:
      return "多次联系不上求助人，案件办结。";
    default:
      return "已尽力协调，问题暂未解决，已告知其他救济途径。";
  }
}

std::string PendingReferralReason(Rng& rng) {
  static const List kList = {"诉讼周期较长，妇联工作已完成，由法律援助中心继续跟进。",
                             "案件已进入司法程序，妇联持续关注。"};
  return rng.Pick(kList);
}

std::string ReopenReason(Rng& rng, cv1::Category category) {
  if (category == cv1::CATEGORY_DOMESTIC_VIOLENCE) return "求助人反映对方再次实施家暴。";
  static const List kList = {"对方未履行调解协议，求助人再次求助。",
                             "求助人对处理结果有异议，要求重新处理。",
                             "出现新的情况，需要继续跟进。"};
  return rng.Pick(kList);
}

std::string WithdrawConsentReason(Rng& rng) {
  static const List kList = {"求助人与对方和好，不再需要转介。", "求助人决定暂不起诉。"};
  return rng.Pick(kList);
}

}  // namespace haven::seed
