#include "services/common/stream_queries.h"

#include <algorithm>
#include <chrono>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/common/command_executor.h"

namespace haven::services {
namespace {

constexpr std::chrono::seconds kMaxLogWait{30};
constexpr uint32_t kDefaultPageSize = 100;
constexpr uint32_t kMaxPageSize = 1000;
// A page token is this prefix and the version the page starts at.
constexpr char kPageTokenPrefix[] = "v";

}  // namespace

absl::Status WaitForLogPosition(const storage::EventLog& log,
                                const grpc::ServerContextBase& context, uint64_t min_position) {
  if (min_position == 0 || log.HeadPosition() >= min_position) return absl::OkStatus();
  using std::chrono::steady_clock;
  using std::chrono::system_clock;
  // Compare before subtracting: a call without a deadline has the largest
  // time point, and `deadline - now` would overflow.
  const system_clock::time_point now = system_clock::now();
  const system_clock::time_point deadline = context.deadline();
  system_clock::duration wait = kMaxLogWait;
  if (deadline < now + kMaxLogWait) wait = std::max(deadline - now, wait.zero());
  const uint64_t head = log.WaitForHeadAfter(
      min_position - 1,
      steady_clock::now() + std::chrono::duration_cast<steady_clock::duration>(wait));
  if (head >= min_position) return absl::OkStatus();
  return absl::DeadlineExceededError(absl::StrCat("min_position: the log reached position ", head,
                                                  ", not ", min_position,
                                                  ", within the call's deadline"));
}

absl::StatusOr<std::vector<storage::RecordedEvent>> ReadStreamAsOf(
    const storage::EventLog& log, const std::string& stream,
    std::optional<uint64_t> as_of_position, std::optional<int64_t> as_of_time_us) {
  if (as_of_position && as_of_time_us) {
    return absl::InvalidArgumentError(
        "as_of_time_us: give at most one of as_of_position and as_of_time_us");
  }
  auto history = ReadWholeStream(log, stream, as_of_position);
  if (!history.ok()) return history.status();
  if (as_of_time_us) {
    // Recorded times follow positions; stop at the first one too late.
    auto late = std::find_if(history->begin(), history->end(), [&](const auto& e) {
      return e.recorded_time_us > *as_of_time_us;
    });
    history->erase(late, history->end());
  }
  return history;
}

absl::StatusOr<HistoryPage> ReadHistoryPage(const storage::EventLog& log,
                                            const std::string& stream, uint32_t page_size,
                                            const std::string& page_token) {
  if (page_size > kMaxPageSize) {
    return absl::InvalidArgumentError(absl::StrCat("page_size: must be at most ", kMaxPageSize));
  }
  uint64_t from = 0;
  if (!page_token.empty()) {
    absl::string_view token = page_token;
    if (!absl::ConsumePrefix(&token, kPageTokenPrefix) || !absl::SimpleAtoi(token, &from)) {
      return absl::InvalidArgumentError("page_token: not a token this service gave");
    }
  }
  auto page = log.ReadStream(stream, from, storage::Direction::kForwards,
                             page_size == 0 ? kDefaultPageSize : page_size);
  if (!page.ok()) return page.status();
  HistoryPage out;
  out.events = std::move(page->events);
  if (page->has_next) out.next_page_token = absl::StrCat(kPageTokenPrefix, page->next_version);
  out.stream_version = page->last_version;
  return out;
}

}  // namespace haven::services
