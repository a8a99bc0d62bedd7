#include "services/legalaid/partner_referrals.h"

#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "services/cases/domain/event_types.h"
#include "storage/key_format.h"

namespace haven::legalaid {
namespace {

using cases::v1::CaseEvent;
using storage::keys::DecodeFixed64BigEndian;
using storage::keys::PutFixed64BigEndian;

constexpr uint32_t kDefaultPageSize = 50;
constexpr uint32_t kMaxPageSize = 500;

std::string CaseKey(const std::string& case_id) { return absl::StrCat("c/", case_id); }
std::string ReferralKey(const std::string& referral_id) { return absl::StrCat("r/", referral_id); }
std::string PartnerPrefix(const std::string& partner_id) {
  return absl::StrCat("p/", partner_id, absl::string_view("\0", 1));
}

absl::StatusOr<v1::ReferralSummary> LoadReferral(const storage::NamespaceBatch& rows,
                                                 const std::string& referral_id) {
  auto stored = rows.Get(ReferralKey(referral_id));
  if (!stored.ok()) return stored.status();
  v1::ReferralSummary summary;
  if (!stored->has_value() || !summary.ParseFromString(**stored)) {
    return absl::DataLossError("legal_aid_referrals: an event names a referral with no row");
  }
  return summary;
}

absl::Status MadeReferral(const storage::RecordedEvent& event, const cases::v1::ReferralMade& made,
                          storage::NamespaceBatch& rows) {
  v1::ReferralSummary summary;
  summary.set_referral_id(made.referral_id());
  summary.set_case_id(event.stream);
  summary.set_status(v1::REFERRAL_STATUS_AWAITING_ANSWER);
  summary.set_partner_type(made.partner_type());
  summary.set_referred_at_us(made.referred_at_us());
  auto category = rows.Get(CaseKey(event.stream));
  if (!category.ok()) return category.status();
  if (category->has_value()) {
    summary.set_category(static_cast<cases::v1::Category>(DecodeFixed64BigEndian(**category)));
  }
  rows.Put(ReferralKey(made.referral_id()), summary.SerializeAsString());
  std::string index = PartnerPrefix(made.partner_id());
  PutFixed64BigEndian(&index, ~static_cast<uint64_t>(made.referred_at_us()));
  index += made.referral_id();
  rows.Put(index, "");
  return absl::OkStatus();
}

// Applies `change` to the row of `referral_id`.
template <typename Change>
absl::Status UpdateReferral(const std::string& referral_id, storage::NamespaceBatch& rows,
                            Change change) {
  auto summary = LoadReferral(rows, referral_id);
  if (!summary.ok()) return summary.status();
  change(*summary);
  rows.Put(ReferralKey(referral_id), summary->SerializeAsString());
  return absl::OkStatus();
}

}  // namespace

bool PartnerReferralsProjection::Wants(const storage::RecordedEvent& event) const {
  switch (cases::EventCaseOf(event.type)) {
    case CaseEvent::kOpened:
    case CaseEvent::kReferralMade:
    case CaseEvent::kReferralAccepted:
    case CaseEvent::kReferralDeclined:
    case CaseEvent::kReferralOutcomeReported:
      return true;
    default:
      return false;
  }
}

absl::Status PartnerReferralsProjection::Apply(const storage::RecordedEvent& event,
                                               storage::NamespaceBatch& rows) const {
  auto decoded = cases::DecodeCaseEvent(event.type, event.payload);
  if (!decoded.ok()) return decoded.status();
  const CaseEvent& e = *decoded;
  switch (e.event_case()) {
    case CaseEvent::kOpened: {
      std::string category;
      PutFixed64BigEndian(&category, static_cast<uint64_t>(e.opened().category()));
      rows.Put(CaseKey(event.stream), category);
      return absl::OkStatus();
    }
    case CaseEvent::kReferralMade:
      return MadeReferral(event, e.referral_made(), rows);
    case CaseEvent::kReferralAccepted:
      return UpdateReferral(e.referral_accepted().referral_id(), rows, [&](auto& s) {
        s.set_status(v1::REFERRAL_STATUS_ACTIVE);
        s.set_answered_at_us(e.referral_accepted().accepted_at_us());
      });
    case CaseEvent::kReferralDeclined:
      return UpdateReferral(e.referral_declined().referral_id(), rows, [&](auto& s) {
        s.set_status(v1::REFERRAL_STATUS_DECLINED);
        s.set_answered_at_us(e.referral_declined().declined_at_us());
      });
    case CaseEvent::kReferralOutcomeReported:
      return UpdateReferral(e.referral_outcome_reported().referral_id(), rows, [&](auto& s) {
        s.set_status(v1::REFERRAL_STATUS_CLOSED);
        s.set_closed_at_us(e.referral_outcome_reported().reported_at_us());
        s.set_outcome(e.referral_outcome_reported().outcome());
      });
    default:
      return absl::OkStatus();
  }
}

absl::StatusOr<ReferralPage> ListPartnerReferrals(const storage::ReadModelStore& store,
                                                  const std::string& partner_id,
                                                  const std::set<v1::ReferralStatus>& statuses,
                                                  uint32_t page_size,
                                                  const std::string& page_token) {
  if (page_size > kMaxPageSize) return absl::InvalidArgumentError("page_size: at most 500");
  const uint32_t limit = page_size == 0 ? kDefaultPageSize : page_size;
  const std::string prefix = PartnerPrefix(partner_id);
  storage::ScanOptions scan;
  scan.prefix = prefix;
  if (!page_token.empty()) {
    std::string last;
    if (!absl::WebSafeBase64Unescape(page_token, &last) || last.size() <= sizeof(uint64_t)) {
      return absl::InvalidArgumentError("page_token: not a token from a previous page");
    }
    scan.start = prefix + last;
    scan.start.push_back('\0');
  }
  ReferralPage page;
  std::string last_suffix;  // of the last referral kept
  bool more = false;        // a matching referral follows the page
  scan.limit = 256;         // index rows per scan; the filter may skip many
  while (!more) {
    auto index = store.Scan(kPartnerReferralsNamespace, scan);
    if (!index.ok()) return index.status();
    for (const storage::KeyValue& row : *index) {
      const std::string suffix = row.key.substr(prefix.size());
      auto stored = store.Get(kPartnerReferralsNamespace, ReferralKey(suffix.substr(8)));
      if (!stored.ok()) return stored.status();
      v1::ReferralSummary summary;
      if (!stored->has_value() || !summary.ParseFromString(**stored)) {
        return absl::DataLossError("legal_aid_referrals: an index row has no referral row");
      }
      if (!statuses.empty() && statuses.count(summary.status()) == 0) continue;
      if (page.referrals.size() == limit) {
        more = true;
        break;
      }
      page.referrals.push_back(std::move(summary));
      last_suffix = suffix;
    }
    if (index->size() < scan.limit) break;
    scan.start = index->back().key + std::string(1, '\0');
  }
  if (more) absl::WebSafeBase64Escape(last_suffix, &page.next_page_token);
  return page;
}

absl::StatusOr<std::optional<v1::ReferralSummary>> FindReferral(
    const storage::ReadModelStore& store, const std::string& referral_id) {
  auto stored = store.Get(kPartnerReferralsNamespace, ReferralKey(referral_id));
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) return std::nullopt;
  v1::ReferralSummary summary;
  if (!summary.ParseFromString(**stored)) {
    return absl::DataLossError("legal_aid_referrals: a referral row does not parse");
  }
  return summary;
}

absl::StatusOr<std::set<std::string>> PartnerReferralIds(const storage::ReadModelStore& store,
                                                         const std::string& partner_id) {
  const std::string prefix = PartnerPrefix(partner_id);
  storage::ScanOptions scan;
  scan.prefix = prefix;
  scan.limit = storage::ScanOptions::kNoLimit;
  auto index = store.Scan(kPartnerReferralsNamespace, scan);
  if (!index.ok()) return index.status();
  std::set<std::string> ids;
  for (const storage::KeyValue& row : *index) ids.insert(row.key.substr(prefix.size() + 8));
  return ids;
}

}  // namespace haven::legalaid
