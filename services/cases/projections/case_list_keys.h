// The index rows of the case_list projection (PROJECTIONS.md, "case_list").
// Each index is a family of keys "<family prefix><sort key>": the family
// prefix selects the cases (a unit and a status, an assignee and a
// status...), the sort key orders them:
//   opened order: 8 bytes big-endian ~(opened_at_us as ordered unsigned),
//                 then the case id: newest first, ties by case id;
//   due order:    8 bytes big-endian next follow-up due (ordered unsigned),
//                 then the case id: soonest first.
// Variable-length ids inside a family prefix end with 0x00 (ids never
// hold it), so no family's range overlaps another's.
//
// Thread safety: pure functions.
#ifndef HAVEN_SERVICES_CASES_PROJECTIONS_CASE_LIST_KEYS_H_
#define HAVEN_SERVICES_CASES_PROJECTIONS_CASE_LIST_KEYS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "services/cases/projections/case_record.h"

namespace haven::cases::list_keys {

// The status byte that ends opened-order family prefixes.
inline constexpr char kOpenStatus = 'o';
inline constexpr char kClosedStatus = 'c';
inline char StatusByte(bool closed) { return closed ? kClosedStatus : kOpenStatus; }

// Opened-order families; append StatusByte to get a family prefix.
std::string AllBase();                           // "t"
std::string UnitBase(std::string_view unit_id);  // "u/" unit 0x00
// "v/" unit 0x00 category byte
std::string UnitCategoryBase(std::string_view unit_id, int category);
std::string AssigneeBase(std::string_view assignee);  // "a/" assignee 0x00
std::string CategoryBase(int category);               // "g" category byte
std::string ChannelBase(int channel);                 // "h" channel byte
// Due-order families: open cases with a follow-up not done.
std::string DueBase();                              // "f"
std::string UnitDueBase(std::string_view unit_id);  // "F/" unit 0x00

// Sort keys.
std::string OpenedSortKey(int64_t opened_at_us, std::string_view case_id);
std::string DueSortKey(int64_t due_at_us, std::string_view case_id);
// The 8-byte prefix of an opened-order sort key for `opened_at_us`.
std::string OpenedSortPrefix(int64_t opened_at_us);
// The 8-byte prefix of a due-order sort key for `due_at_us`.
std::string DueSortPrefix(int64_t due_at_us);

// Every index key of `record`, sorted.
std::vector<std::string> IndexKeys(const rowpb::CaseRecord& record);
// The value of every index row of `record`.
rowpb::CaseListEntry EntryOf(const rowpb::CaseRecord& record);

}  // namespace haven::cases::list_keys

#endif  // HAVEN_SERVICES_CASES_PROJECTIONS_CASE_LIST_KEYS_H_
