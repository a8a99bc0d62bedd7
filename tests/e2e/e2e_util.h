// Small client-side helpers shared by the end-to-end tests.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "haven/v1/event_store.grpc.pb.h"

namespace haven::e2e {

// A random (version 4) UUID in lowercase canonical form.
inline std::string NewUuid(std::mt19937_64& rng) {
  uint64_t hi = rng();
  uint64_t lo = rng();
  hi = (hi & ~uint64_t{0xF000}) | uint64_t{0x4000};                    // version 4
  lo = (lo & ~(uint64_t{0xC} << 60)) | (uint64_t{0x8} << 60);          // variant 10
  static const char* kHex = "0123456789abcdef";
  std::string s;
  s.reserve(36);
  for (int i = 0; i < 16; ++i) {
    uint8_t byte = i < 8 ? static_cast<uint8_t>(hi >> (56 - 8 * i))
                         : static_cast<uint8_t>(lo >> (56 - 8 * (i - 8)));
    if (i == 4 || i == 6 || i == 8 || i == 10) s.push_back('-');
    s.push_back(kHex[byte >> 4]);
    s.push_back(kHex[byte & 0xF]);
  }
  return s;
}

inline const char* CodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::OK: return "OK";
    case grpc::CANCELLED: return "CANCELLED";
    case grpc::UNKNOWN: return "UNKNOWN";
    case grpc::INVALID_ARGUMENT: return "INVALID_ARGUMENT";
    case grpc::DEADLINE_EXCEEDED: return "DEADLINE_EXCEEDED";
    case grpc::NOT_FOUND: return "NOT_FOUND";
    case grpc::ALREADY_EXISTS: return "ALREADY_EXISTS";
    case grpc::PERMISSION_DENIED: return "PERMISSION_DENIED";
    case grpc::RESOURCE_EXHAUSTED: return "RESOURCE_EXHAUSTED";
    case grpc::FAILED_PRECONDITION: return "FAILED_PRECONDITION";
    case grpc::ABORTED: return "ABORTED";
    case grpc::OUT_OF_RANGE: return "OUT_OF_RANGE";
    case grpc::UNIMPLEMENTED: return "UNIMPLEMENTED";
    case grpc::INTERNAL: return "INTERNAL";
    case grpc::UNAVAILABLE: return "UNAVAILABLE";
    case grpc::DATA_LOSS: return "DATA_LOSS";
    case grpc::UNAUTHENTICATED: return "UNAUTHENTICATED";
    default: return "?";
  }
}

inline std::string StatusText(const grpc::Status& st) {
  return std::string(CodeName(st.error_code())) + ": " + st.error_message();
}

// Sets a deadline and the acting user on a fresh context.
inline void PrepareContext(grpc::ClientContext* ctx, std::chrono::milliseconds timeout,
                           const std::string& actor = "e2e-tester") {
  ctx->set_deadline(std::chrono::system_clock::now() + timeout);
  if (!actor.empty()) ctx->AddMetadata("haven-actor", actor);
}

// The whole log, read with ReadAll pages from position 1.
struct LogSnapshot {
  std::vector<haven::v1::RecordedEvent> events;
  uint64_t head = 0;  // head_position of the last page read
  int pages = 0;
};

inline grpc::Status ReadWholeLog(haven::v1::EventStore::Stub* stub, LogSnapshot* out,
                                 uint32_t page_size = 1000) {
  out->events.clear();
  out->head = 0;
  out->pages = 0;
  uint64_t from = 1;
  for (;;) {
    grpc::ClientContext ctx;
    PrepareContext(&ctx, std::chrono::seconds(30));
    haven::v1::ReadAllRequest req;
    req.set_from_position(from);
    req.set_limit(page_size);
    haven::v1::ReadAllResponse resp;
    grpc::Status st = stub->ReadAll(&ctx, req, &resp);
    if (!st.ok()) return st;
    ++out->pages;
    out->head = resp.head_position();
    for (auto& e : *resp.mutable_events()) out->events.push_back(std::move(e));
    if (resp.events_size() == 0) break;
    if (resp.next_position() <= from) {
      return grpc::Status(grpc::StatusCode::INTERNAL,
                          "test: ReadAll next_position " + std::to_string(resp.next_position()) +
                              " does not advance past from_position " + std::to_string(from));
    }
    from = resp.next_position();
    if (from > resp.head_position()) break;
    if (out->pages > 100000) {
      return grpc::Status(grpc::StatusCode::INTERNAL, "test: ReadAll paging does not end");
    }
  }
  return grpc::Status::OK;
}

// Every event of one stream, read forwards with ReadStream pages.
inline grpc::Status ReadWholeStream(haven::v1::EventStore::Stub* stub, const std::string& stream,
                                    std::vector<haven::v1::RecordedEvent>* out,
                                    uint32_t page_size = 1000) {
  out->clear();
  uint64_t from = 0;
  for (int pages = 0;; ++pages) {
    grpc::ClientContext ctx;
    PrepareContext(&ctx, std::chrono::seconds(30));
    haven::v1::ReadStreamRequest req;
    req.set_stream_id(stream);
    req.set_from_version(from);
    req.set_direction(haven::v1::FORWARDS);
    req.set_limit(page_size);
    haven::v1::ReadStreamResponse resp;
    grpc::Status st = stub->ReadStream(&ctx, req, &resp);
    if (!st.ok()) return st;
    for (auto& e : *resp.mutable_events()) out->push_back(std::move(e));
    if (!resp.has_next_version() || resp.events_size() == 0) break;
    if (resp.next_version() <= from && pages > 0) {
      return grpc::Status(grpc::StatusCode::INTERNAL, "test: ReadStream paging does not advance");
    }
    from = resp.next_version();
    if (pages > 100000) {
      return grpc::Status(grpc::StatusCode::INTERNAL, "test: ReadStream paging does not end");
    }
  }
  return grpc::Status::OK;
}

// Collects problems found by a verification pass, keeping the first few in
// full and counting the rest.
class Problems {
 public:
  explicit Problems(size_t keep = 40) : keep_(keep) {}
  void Add(std::string msg) {
    ++count_;
    if (kept_.size() < keep_) kept_.push_back(std::move(msg));
  }
  bool empty() const { return count_ == 0; }
  size_t count() const { return count_; }
  std::string Text() const {
    std::string s = std::to_string(count_) + " problem(s):\n";
    for (const auto& m : kept_) s += "  - " + m + "\n";
    if (count_ > kept_.size()) s += "  ... and " + std::to_string(count_ - kept_.size()) + " more\n";
    return s;
  }

 private:
  size_t keep_;
  size_t count_ = 0;
  std::vector<std::string> kept_;
};

}  // namespace haven::e2e
