// loan_list: "u/" unit 0x00 order loan-id -> LoanListEntry, where order is
// 8 bytes big-endian ~(applied_at_us ^ 2^63): newest application first,
// ties by loan id.  The entry is rewritten on every event of its loan (the
// key never changes: a loan keeps its village and application time).
#include <algorithm>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "services/loans/projections/loan_projection_base.h"
#include "services/loans/projections/loan_projections.h"

namespace haven::loans {
namespace {

constexpr uint32_t kDefaultPageSize = 50;
constexpr uint32_t kMaxPageSize = 500;

std::string OrderBytes(int64_t applied_at_us) {
  const uint64_t order = ~(static_cast<uint64_t>(applied_at_us) ^ (uint64_t{1} << 63));
  std::string out;
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>(order >> shift));
  return out;
}

std::string UnitPrefix(const std::string& unit_id) {
  std::string prefix = "u/" + unit_id;
  prefix.push_back('\0');
  return prefix;
}

// The part of a list key after the unit prefix: order, then the loan id.
std::string SortKey(const v1::LoanListEntry& entry) {
  return OrderBytes(entry.applied_at_us()) + entry.loan_id();
}

class LoanListProjection final : public LoanProjection {
 public:
  std::string name() const override { return kLoanListNamespace; }

 protected:
  absl::Status OnEvent(const storage::RecordedEvent&, const v1::LoanEvent&,
                       const v1::LoanListEntry&, const v1::LoanListEntry& after,
                       storage::NamespaceBatch& rows) const override {
    rows.Put(UnitPrefix(after.village_unit_id()) + SortKey(after), after.SerializeAsString());
    return absl::OkStatus();
  }
};

bool Matches(const v1::LoanListEntry& entry, const v1::ListLoansRequest& request) {
  if (request.overdue_only() && !entry.overdue()) return false;
  if (request.statuses().empty()) return true;
  return std::find(request.statuses().begin(), request.statuses().end(), entry.status()) !=
         request.statuses().end();
}

}  // namespace

std::unique_ptr<storage::Projection> MakeLoanListProjection() {
  return std::make_unique<LoanListProjection>();
}

absl::StatusOr<v1::ListLoansResponse> ListLoans(const storage::ReadModelStore& store,
                                                const std::vector<std::string>& unit_ids,
                                                const v1::ListLoansRequest& request) {
  if (request.page_size() > kMaxPageSize) {
    return absl::InvalidArgumentError(absl::StrCat("page_size: must be at most ", kMaxPageSize));
  }
  const size_t page_size = request.page_size() == 0 ? kDefaultPageSize : request.page_size();
  std::string after;  // the sort key of the last loan of the previous page
  if (!request.page_token().empty() &&
      (!absl::WebSafeBase64Unescape(request.page_token(), &after) || after.size() < 9)) {
    return absl::InvalidArgumentError("page_token: not a token this service gave");
  }
  // Each unit's first page_size + 1 matches after the cursor, merged.
  std::vector<std::pair<std::string, v1::LoanListEntry>> found;
  for (const std::string& unit : unit_ids) {
    const std::string prefix = UnitPrefix(unit);
    storage::ScanOptions options;
    options.prefix = prefix;
    options.start = after.empty() ? prefix : prefix + after + std::string(1, '\0');
    options.limit = 256;
    size_t matches = 0;
    while (matches <= page_size) {
      absl::StatusOr<std::vector<storage::KeyValue>> rows = store.Scan(kLoanListNamespace, options);
      if (!rows.ok()) return rows.status();
      for (const storage::KeyValue& row : *rows) {
        v1::LoanListEntry entry;
        if (!entry.ParseFromString(row.value)) {
          return absl::DataLossError("loan_list: a stored entry does not parse");
        }
        if (!Matches(entry, request)) continue;
        found.emplace_back(row.key.substr(prefix.size()), std::move(entry));
        if (++matches > page_size) break;
      }
      if (rows->size() < options.limit) break;
      options.start = rows->back().key + std::string(1, '\0');
    }
  }
  std::sort(found.begin(), found.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  v1::ListLoansResponse response;
  for (size_t i = 0; i < found.size() && i < page_size; ++i) {
    *response.add_loans() = std::move(found[i].second);
  }
  if (found.size() > page_size) {
    response.set_next_page_token(absl::WebSafeBase64Escape(found[page_size - 1].first));
  }
  return response;
}

}  // namespace haven::loans
