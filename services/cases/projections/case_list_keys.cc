#include "services/cases/projections/case_list_keys.h"

#include <algorithm>

#include "services/cases/projections/row_codec.h"

namespace haven::cases::list_keys {
namespace {

char EnumByte(int value) { return static_cast<char>(std::clamp(value, 0, 255)); }

std::string WithId(std::string_view family, std::string_view id) {
  std::string key(family);
  key.append(id);
  key.push_back('\0');
  return key;
}

}  // namespace

std::string AllBase() { return "t"; }
std::string UnitBase(std::string_view unit_id) { return WithId("u/", unit_id); }
std::string UnitCategoryBase(std::string_view unit_id, int category) {
  return WithId("v/", unit_id) + EnumByte(category);
}
std::string AssigneeBase(std::string_view assignee) { return WithId("a/", assignee); }
std::string CategoryBase(int category) { return std::string("g") + EnumByte(category); }
std::string ChannelBase(int channel) { return std::string("h") + EnumByte(channel); }
std::string DueBase() { return "f"; }
std::string UnitDueBase(std::string_view unit_id) { return WithId("F/", unit_id); }

std::string OpenedSortPrefix(int64_t opened_at_us) {
  std::string key;
  AppendBigEndian64(&key, ~OrderedFromSigned(opened_at_us));
  return key;
}

std::string DueSortPrefix(int64_t due_at_us) {
  std::string key;
  AppendBigEndian64(&key, OrderedFromSigned(due_at_us));
  return key;
}

std::string OpenedSortKey(int64_t opened_at_us, std::string_view case_id) {
  std::string key = OpenedSortPrefix(opened_at_us);
  key.append(case_id);
  return key;
}

std::string DueSortKey(int64_t due_at_us, std::string_view case_id) {
  std::string key = DueSortPrefix(due_at_us);
  key.append(case_id);
  return key;
}

std::vector<std::string> IndexKeys(const rowpb::CaseRecord& r) {
  std::vector<std::string> keys;
  const char status = StatusByte(r.closed());
  const std::string opened = OpenedSortKey(r.opened_at_us(), r.case_id());
  keys.push_back(AllBase() + status + opened);
  keys.push_back(UnitBase(r.org_unit_id()) + status + opened);
  keys.push_back(UnitCategoryBase(r.org_unit_id(), r.category()) + status + opened);
  if (!r.assignee().empty()) keys.push_back(AssigneeBase(r.assignee()) + status + opened);
  keys.push_back(CategoryBase(r.category()) + status + opened);
  keys.push_back(ChannelBase(r.channel()) + status + opened);
  if (!r.closed() && r.pending_follow_ups_size() > 0) {
    const std::string due = DueSortKey(NextFollowUpDueUs(r), r.case_id());
    keys.push_back(DueBase() + due);
    keys.push_back(UnitDueBase(r.org_unit_id()) + due);
  }
  std::sort(keys.begin(), keys.end());
  return keys;
}

rowpb::CaseListEntry EntryOf(const rowpb::CaseRecord& r) {
  rowpb::CaseListEntry e;
  e.set_case_id(r.case_id());
  e.set_closed(r.closed());
  e.set_category(r.category());
  e.set_channel(r.channel());
  e.set_org_unit_id(r.org_unit_id());
  e.set_assignee(r.assignee());
  e.set_opened_at_us(r.opened_at_us());
  e.set_next_follow_up_due_us(NextFollowUpDueUs(r));
  e.set_urgency(r.urgency());
  e.set_priority(r.priority());
  e.set_risk(r.risk());
  return e;
}

}  // namespace haven::cases::list_keys
