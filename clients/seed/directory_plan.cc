#include "seed/directory_plan.h"

#include <cstdio>
#include <set>

#include "seed/identity.h"
#include "seed/random.h"

namespace haven::seed {
namespace {

namespace dv1 = haven::directory::v1;

const std::vector<std::string> kCityNames = {"秣陵市", "建康市", "石城市", "白下市", "江乘市"};

// First and second syllables of place names.
const std::vector<std::string> kFirst = {
    "栖", "秦", "雨", "江", "浦", "溧", "高", "汤", "淳", "龙", "石", "白", "青", "桂", "梅",
    "松", "柳", "金", "玉", "凤", "紫", "燕", "鹤", "云", "湖", "泉", "沙", "桥", "河", "东",
    "西", "南", "北", "新", "长", "永", "安", "太", "平", "兴", "福", "宝", "华", "清", "丰",
    "麒", "仙", "孝", "铜", "横", "竹", "谷", "马", "龟", "湾", "茅", "方", "晶", "禄", "和"};
const std::vector<std::string> kSecond = {
    "淮", "霞", "水", "花", "宁", "口", "合", "山", "溪", "湖", "城", "港", "阳", "泉",
    "桥", "塘", "林", "岗", "圩", "集", "庄", "埠", "营", "铺", "坊", "甸", "浦", "陵",
    "源", "川", "田", "沟", "坝", "墩", "洲", "井", "门", "台", "岭", "渡"};
// 王家湾村, 陈家巷村: a family name, 家, and a landform.
const std::vector<std::string> kVillageLandform = {"湾", "庄", "巷", "桥", "圩", "岗", "塘",
                                                   "洼", "埠", "冲", "坝", "墩", "营", "店",
                                                   "边", "嘴", "坂", "岭", "湖", "沟"};
const std::vector<std::string> kVillagePrefix = {"新", "东", "西", "南", "北", "前",
                                                 "后", "大", "小", "上", "下", "中"};
const std::vector<std::string> kCommunitySuffix = {"苑", "园", "里", "村", "路", "坊", "湾"};
const std::vector<std::string> kMicroHomeKinds = {"学习引领微家", "网格睦邻微家", "平安守望微家",
                                                  "公益服务微家", "创业指导微家"};

std::string TwoSyllables(Rng& rng) { return rng.Pick(kFirst) + rng.Pick(kSecond); }

// A name not yet used under the same parent.
template <typename Make>
std::string UniqueName(std::set<std::string>& taken, Make make) {
  for (int attempt = 0;; ++attempt) {
    std::string name = make();
    if (taken.insert(name).second) return name;
    if (attempt > 200) {  // Practically unreachable; keep names unique anyway.
      name += std::to_string(attempt);
      if (taken.insert(name).second) return name;
    }
  }
}

std::string VillageName(Rng& rng, bool community) {
  if (community) {
    switch (rng.Weighted({4, 3, 2})) {
      case 0:
        return TwoSyllables(rng) + "社区";
      case 1:
        return rng.Pick(kFirst) + rng.Pick(kCommunitySuffix) + "社区";
      default:
        return TwoSyllables(rng) + "路社区";
    }
  }
  switch (rng.Weighted({4, 4, 2})) {
    case 0:
      return Surname(rng).substr(0, 3) + "家" + rng.Pick(kVillageLandform) + "村";
    case 1:
      return TwoSyllables(rng) + "村";
    default:
      return rng.Pick(kVillagePrefix) + rng.Pick(kSecond) + "村";
  }
}

std::string Code(const char* format, int a, int b = 0, int c = 0) {
  char buf[32];
  std::snprintf(buf, sizeof buf, format, a, b, c);
  return buf;
}

}  // namespace

std::string DirectoryPlan::PlaceName(int index) const {
  const UnitPlan& u = units[index];
  std::string out;
  if (u.county >= 0) out += units[u.county].name;
  if (u.township >= 0) out += units[u.township].name;
  if (u.village >= 0) out += units[u.village].name;
  if (out.empty()) out = units[city].name;
  return out;
}

DirectoryPlan PlanDirectory(const DirectoryOptions& options) {
  DirectoryPlan plan;
  plan.seed = options.seed;
  Rng rng(options.seed, "directory");
  const std::string prefix = "s" + std::to_string(options.seed);
  // The city: province 32, city 99, which no real city holds.
  const std::string city_code = "329900000000";
  UnitPlan city;
  city.unit_id = prefix + "-city";
  city.name = kCityNames[rng.Below(kCityNames.size())];
  city.kind = dv1::UNIT_KIND_CITY;
  city.statistical_code = city_code;
  plan.units.push_back(city);
  plan.city = 0;

  const auto add = [&](UnitPlan unit) {
    plan.units.push_back(std::move(unit));
    return static_cast<int>(plan.units.size() - 1);
  };

  std::set<std::string> county_names;
  const int districts = (options.counties * 2 + 4) / 5;  // About 40% are urban districts.
  for (int c = 0; c < options.counties; ++c) {
    const bool district = c < districts;
    UnitPlan county;
    char id[48];
    std::snprintf(id, sizeof id, "%s-c%02d", prefix.c_str(), c + 1);
    county.unit_id = id;
    county.kind = district ? dv1::UNIT_KIND_DISTRICT : dv1::UNIT_KIND_COUNTY;
    county.name =
        UniqueName(county_names, [&] { return TwoSyllables(rng) + (district ? "区" : "县"); });
    // Districts 02.., counties 21.. as in the national codes.
    const int county_number = district ? 2 + c : 21 + (c - districts);
    county.statistical_code = Code("3299%02d000000", county_number % 100);
    county.parent_id = city.unit_id;
    county.parent = plan.city;
    const int county_index = add(county);
    plan.units[county_index].county = county_index;
    plan.counties.push_back(county_index);

    std::set<std::string> township_names;
    for (int t = 0; t < options.townships_per_county; ++t) {
      UnitPlan township;
      std::snprintf(id, sizeof id, "%s-c%02d-t%02d", prefix.c_str(), c + 1, t + 1);
      township.unit_id = id;
      // Districts have streets (街道, codes 0xx); counties towns (镇, 1xx)
      // and a few townships (乡, 2xx).
      int township_number;
      if (district) {
        township.kind = dv1::UNIT_KIND_STREET;
        township.name = UniqueName(township_names, [&] { return TwoSyllables(rng) + "街道"; });
        township_number = 1 + t;
      } else {
        township.kind = dv1::UNIT_KIND_TOWNSHIP;
        const bool xiang = rng.Chance(0.25);
        township.name =
            UniqueName(township_names, [&] { return TwoSyllables(rng) + (xiang ? "乡" : "镇"); });
        township_number = (xiang ? 200 : 100) + 1 + t;
      }
      township.statistical_code =
          county.statistical_code.substr(0, 6) + Code("%03d000", township_number % 1000);
      township.parent_id = county.unit_id;
      township.parent = county_index;
      township.county = county_index;
      const int township_index = add(township);
      plan.units[township_index].township = township_index;
      plan.townships.push_back(township_index);

      std::set<std::string> village_names;
      for (int v = 0; v < options.villages_per_township; ++v) {
        UnitPlan village;
        std::snprintf(id, sizeof id, "%s-c%02d-t%02d-v%02d", prefix.c_str(), c + 1, t + 1, v + 1);
        village.unit_id = id;
        // Streets have communities (社区, 0xx); towns mostly villages (村,
        // 2xx) and a community at the town seat.
        const bool community = district || v == 0;
        village.kind = community ? dv1::UNIT_KIND_COMMUNITY : dv1::UNIT_KIND_VILLAGE;
        village.name = UniqueName(village_names, [&] { return VillageName(rng, community); });
        village.statistical_code = township.statistical_code.substr(0, 9) +
                                   Code("%03d", ((community ? 1 : 200) + v) % 1000);
        village.parent_id = township.unit_id;
        village.parent = township_index;
        village.county = county_index;
        village.township = township_index;
        // Busier places: urban communities and big villages draw more cases.
        village.weight = (district ? 1.5 : 1.0) * (0.4 + 1.6 * rng.Unit());
        const int village_index = add(village);
        plan.units[village_index].village = village_index;
        plan.villages.push_back(village_index);
      }
    }
  }

  // Women's micro-homes (妇女微家) in villages and communities, named for
  // their kind or their host.
  for (int m = 0; m < options.micro_homes && !plan.villages.empty(); ++m) {
    const int village_index = plan.villages[rng.Below(plan.villages.size())];
    const UnitPlan& village = plan.units[village_index];
    UnitPlan home;
    char id[48];
    std::snprintf(id, sizeof id, "%s-mh%02d", prefix.c_str(), m + 1);
    home.unit_id = id;
    home.kind = dv1::UNIT_KIND_MICRO_HOME;
    home.name =
        rng.Chance(0.6) ? village.name + rng.Pick(kMicroHomeKinds) : FemaleName(rng) + "家庭微家";
    home.name += Code("（%d号）", m + 1);
    home.parent_id = village.unit_id;
    home.parent = village_index;
    home.county = village.county;
    home.township = village.township;
    home.village = village_index;
    plan.micro_homes.push_back(add(home));
  }

  // Committees outside the geographic tree.
  if (!plan.counties.empty()) {
    const std::string county_name = plan.units[plan.counties[0]].name;
    const std::vector<std::pair<dv1::UnitKind, std::string>> committees = {
        {dv1::UNIT_KIND_DEPARTMENT_COMMITTEE, county_name + "区直机关妇委会"},
        {dv1::UNIT_KIND_ENTERPRISE_COMMITTEE,
         plan.units[0].name.substr(0, 6) + "华泰电子有限公司妇委会"},
        {dv1::UNIT_KIND_MEMBER_ORGANISATION, plan.units[0].name + "女企业家协会"},
    };
    for (size_t k = 0; k < committees.size(); ++k) {
      UnitPlan unit;
      unit.unit_id = prefix + Code("-org%02d", static_cast<int>(k + 1));
      unit.kind = committees[k].first;
      unit.name = committees[k].second;
      const bool under_county = k == 0;
      unit.parent = under_county ? plan.counties[0] : plan.city;
      unit.parent_id = plan.units[unit.parent].unit_id;
      unit.county = under_county ? plan.counties[0] : -1;
      plan.committees.push_back(add(unit));
    }
  }
  return plan;
}

std::string UnitRequestId(const DirectoryPlan& plan, int index) {
  return "seed-" + std::to_string(plan.seed) + "-unit-" + plan.units[index].unit_id;
}

}  // namespace haven::seed
