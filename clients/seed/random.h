// A small deterministic random source for the workload generator.  The
// standard library's distributions differ between implementations, so the
// generator draws everything from SplitMix64 through these helpers: the same
// seed gives the same data on every machine.
#ifndef HAVEN_CLIENTS_SEED_RANDOM_H_
#define HAVEN_CLIENTS_SEED_RANDOM_H_

#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <vector>

namespace haven::seed {

class Rng {
 public:
  // A stream for one purpose: the seed, a label ("case", "directory") and
  // an index give independent, reproducible streams.
  Rng(uint64_t seed, std::string_view label, uint64_t index = 0);

  uint64_t Next();
  // 0 <= result < n (n > 0); unbiased.
  uint64_t Below(uint64_t n);
  // lo <= result <= hi.
  int64_t Between(int64_t lo, int64_t hi);
  // True with probability p.
  bool Chance(double p);
  // [0, 1).
  double Unit();
  // An index drawn with the given (non-negative, not all zero) weights.
  size_t Weighted(std::initializer_list<double> weights);
  size_t Weighted(const std::vector<double>& weights);

  template <typename T>
  const T& Pick(const std::vector<T>& items) {
    return items[Below(items.size())];
  }

 private:
  uint64_t state_;
};

// A stable 64-bit hash (FNV-1a) of text, for deriving seeds.
uint64_t HashText(std::string_view text);

}  // namespace haven::seed

#endif  // HAVEN_CLIENTS_SEED_RANDOM_H_
