// The jemalloc options havend links in (services/server/jemalloc_options.cc)
// are the ones jemalloc runs with: a misspelt option is only a warning on
// stderr, and an unlinked one nothing at all.
#include <jemalloc/jemalloc.h>

#include <sys/types.h>

#include <cstddef>
#include <string>

#include "gtest/gtest.h"

namespace {

template <typename T>
T Option(const char* name) {
  T value{};
  size_t size = sizeof(value);
  EXPECT_EQ(mallctl(name, &value, &size, nullptr, 0), 0) << name;
  return value;
}

TEST(JemallocOptionsTest, LargeBlocksAreKeptForReuseInHugePages) {
  EXPECT_EQ(std::string(Option<const char*>("opt.thp")), "always");
  EXPECT_EQ(std::string(Option<const char*>("opt.metadata_thp")), "always");
  EXPECT_EQ(Option<size_t>("opt.oversize_threshold"), 0u);
  EXPECT_EQ(Option<ssize_t>("opt.dirty_decay_ms"), 30000);
}

}  // namespace
