#include "seed/random.h"

namespace haven::seed {

uint64_t HashText(std::string_view text) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

Rng::Rng(uint64_t seed, std::string_view label, uint64_t index)
    : state_(seed * 0x9E3779B97F4A7C15ULL ^ HashText(label) ^ (index * 0xD1B54A32D192ED03ULL)) {
  Next();
  Next();
}

uint64_t Rng::Next() {
  uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

uint64_t Rng::Below(uint64_t n) {
  // Rejection sampling keeps every value equally likely.
  const uint64_t limit = UINT64_MAX - UINT64_MAX % n;
  uint64_t x;
  do {
    x = Next();
  } while (x >= limit);
  return x % n;
}

int64_t Rng::Between(int64_t lo, int64_t hi) {
  if (hi <= lo) return lo;
  return lo + static_cast<int64_t>(Below(static_cast<uint64_t>(hi - lo) + 1));
}

double Rng::Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

bool Rng::Chance(double p) { return Unit() < p; }

size_t Rng::Weighted(std::initializer_list<double> weights) {
  return Weighted(std::vector<double>(weights));
}

size_t Rng::Weighted(const std::vector<double>& weights) {
  double total = 0;
  for (double w : weights) total += w;
  double x = Unit() * total;
  for (size_t i = 0; i < weights.size(); ++i) {
    if (x < weights[i]) return i;
    x -= weights[i];
  }
  // Rounding left x at the very end: the last item that can be drawn.
  size_t last = weights.size() - 1;
  while (last > 0 && weights[last] <= 0) --last;
  return last;
}

}  // namespace haven::seed
