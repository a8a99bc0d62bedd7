// RocksDB status -> absl::Status, converted once at the storage boundary.
#ifndef HAVEN_STORAGE_ROCKSDB_STATUS_H_
#define HAVEN_STORAGE_ROCKSDB_STATUS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "rocksdb/status.h"

namespace haven::storage {

inline absl::Status FromRocks(const rocksdb::Status& s, const std::string& what) {
  if (s.ok()) return absl::OkStatus();
  const std::string message = absl::StrCat(what, ": ", s.ToString());
  if (s.IsNotFound()) return absl::NotFoundError(message);
  if (s.IsCorruption()) return absl::DataLossError(message);
  if (s.IsBusy() || s.IsTimedOut() || s.IsTryAgain()) return absl::UnavailableError(message);
  return absl::InternalError(message);
}

}  // namespace haven::storage

#endif  // HAVEN_STORAGE_ROCKSDB_STATUS_H_
