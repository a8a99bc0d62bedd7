// The server clock, injected so tests control recorded times.
#ifndef HAVEN_STORAGE_CLOCK_H_
#define HAVEN_STORAGE_CLOCK_H_

#include <atomic>
#include <cstdint>
#include <memory>

namespace haven::storage {

class Clock {
 public:
  virtual ~Clock() = default;
  // Microseconds since the Unix epoch, UTC.  Thread-safe.
  virtual int64_t NowMicros() const = 0;
};

// The system's real-time clock.
std::shared_ptr<Clock> SystemClock();

// A clock that returns what the test sets.
class ManualClock : public Clock {
 public:
  explicit ManualClock(int64_t now_us = 0) : now_us_(now_us) {}
  int64_t NowMicros() const override { return now_us_.load(); }
  void Set(int64_t now_us) { now_us_.store(now_us); }
  void Advance(int64_t delta_us) { now_us_.fetch_add(delta_us); }

 private:
  std::atomic<int64_t> now_us_;
};

}  // namespace haven::storage

#endif  // HAVEN_STORAGE_CLOCK_H_
