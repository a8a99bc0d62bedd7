#include "seed/identity.h"

#include <cstdio>
#include <vector>

namespace haven::seed {
namespace {

// The most common family names, most frequent first (a name is drawn with a
// weight falling with its rank, as in real populations).
const std::vector<std::string>& Surnames() {
  static const std::vector<std::string> kSurnames = {
      "王", "李", "张", "刘", "陈", "杨", "黄", "赵",   "吴",   "周", "徐", "孙", "马", "朱",
      "胡", "郭", "何", "高", "林", "罗", "郑", "梁",   "谢",   "宋", "唐", "许", "韩", "冯",
      "邓", "曹", "彭", "曾", "肖", "田", "董", "袁",   "潘",   "于", "蒋", "蔡", "余", "杜",
      "叶", "程", "苏", "魏", "吕", "丁", "任", "沈",   "姚",   "卢", "姜", "崔", "钟", "谭",
      "陆", "汪", "范", "金", "石", "廖", "贾", "夏",   "韦",   "付", "方", "白", "邹", "孟",
      "熊", "秦", "邱", "江", "尹", "薛", "闫", "段",   "雷",   "侯", "龙", "史", "陶", "黎",
      "贺", "顾", "毛", "郝", "龚", "邵", "万", "钱",   "严",   "覃", "武", "戴", "莫", "孔",
      "向", "汤", "殷", "葛", "倪", "伍", "施", "诸葛", "欧阳",
  };
  return kSurnames;
}

// Given names seen across generations: older women's names (秀英, 桂兰)
// and younger ones (婷, 欣怡).
const std::vector<std::string>& FemaleGiven() {
  static const std::vector<std::string> kNames = {
      "秀英", "桂英", "秀兰", "玉兰", "桂兰", "秀珍", "凤英", "玉珍", "玉英", "兰英",
      "秀梅", "桂芳", "淑珍", "淑英", "翠花", "春梅", "冬梅", "红梅", "海燕", "丽华",
      "丽萍", "丽娟", "小红", "晓燕", "建华", "美玲", "慧敏", "玉梅", "金凤", "雪梅",
      "丽",   "敏",   "静",   "燕",   "艳",   "娟",   "霞",   "芳",   "红",   "萍",
      "玲",   "琴",   "英",   "梅",   "华",   "兰",   "婷",   "雪",   "琳",   "颖",
      "倩",   "洁",   "莉",   "晶",   "丹",   "璐",   "婷婷", "欣怡", "思琪", "佳怡",
      "梦瑶", "雨欣", "紫涵", "晓雯", "文静", "佳慧", "诗涵", "雅婷", "晓琳", "春燕",
      "素芬", "彩霞", "桂香", "巧玲", "月娥", "美华", "凤霞", "金兰", "爱华", "亚楠",
  };
  return kNames;
}

const std::vector<std::string>& MaleGiven() {
  static const std::vector<std::string> kNames = {
      "伟",   "强",   "磊",   "军",   "勇",   "杰",   "涛",   "斌",   "超",   "明",
      "刚",   "平",   "辉",   "鹏",   "华",   "飞",   "波",   "宁",   "林",   "峰",
      "建国", "建华", "国强", "志强", "志明", "永刚", "海涛", "晓东", "文斌", "建军",
      "卫东", "红军", "春生", "德明", "宏伟", "振华", "立新", "家豪", "俊杰", "浩然",
      "子轩", "宇航", "鑫",   "亮",   "兵",   "利民", "长福", "金宝", "大勇", "国平",
  };
  return kNames;
}

const char* const kMobilePrefixes[] = {
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151",
    "152", "153", "155", "156", "157", "158", "159", "166", "173", "177", "180",
    "181", "182", "183", "185", "186", "187", "188", "189", "191", "198", "199"};

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

}  // namespace

char IdCheckCharacter(std::string_view first17) {
  static constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  static constexpr char kCheck[] = "10X98765432";
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (first17[i] - '0') * kWeights[i];
  return kCheck[sum % 11];
}

bool HasValidCheckCharacter(std::string_view id) {
  if (id.size() != 18) return false;
  for (size_t i = 0; i < 17; ++i) {
    if (id[i] < '0' || id[i] > '9') return false;
  }
  return IdCheckCharacter(id.substr(0, 17)) == id[17];
}

std::string MakeIdNumber(Rng& rng, std::string_view region, int year, int month, int day,
                         bool female) {
  const int sequence = static_cast<int>(rng.Below(500)) * 2 + (female ? 0 : 1);
  char buf[24];
  std::snprintf(buf, sizeof buf, "%.6s%04d%02d%02d%03d", std::string(region).c_str(), year, month,
                day, sequence);
  std::string id(buf, 17);
  id += IdCheckCharacter(id);
  return id;
}

std::pair<int, int> RandomBirthday(Rng& rng, int year) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const int month = static_cast<int>(rng.Between(1, 12));
  const int days = month == 2 && IsLeap(year) ? 29 : kDays[month - 1];
  return {month, static_cast<int>(rng.Between(1, days))};
}

std::string MobileNumber(Rng& rng) {
  std::string number = kMobilePrefixes[rng.Below(std::size(kMobilePrefixes))];
  for (int i = 0; i < 8; ++i) number += static_cast<char>('0' + rng.Below(10));
  return number;
}

std::string Surname(Rng& rng) {
  // Rank-weighted: the k-th name with weight 1/(k+8), a gentle Zipf curve.
  const auto& names = Surnames();
  static const std::vector<double> weights = [] {
    std::vector<double> w;
    for (size_t k = 0; k < Surnames().size(); ++k) w.push_back(1.0 / (k + 8.0));
    return w;
  }();
  return names[rng.Weighted(weights)];
}

std::string FemaleName(Rng& rng) { return Surname(rng) + rng.Pick(FemaleGiven()); }

std::string MaleName(Rng& rng) { return Surname(rng) + rng.Pick(MaleGiven()); }

}  // namespace haven::seed
