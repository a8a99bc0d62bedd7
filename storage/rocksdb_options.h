// RocksDB settings shared by the event log and the read-model store.
// Internal to storage/: includes RocksDB headers.
#ifndef HAVEN_STORAGE_ROCKSDB_OPTIONS_H_
#define HAVEN_STORAGE_ROCKSDB_OPTIONS_H_

#include "rocksdb/filter_policy.h"
#include "rocksdb/options.h"
#include "rocksdb/status.h"
#include "rocksdb/table.h"

namespace haven::storage {

// For keys mostly looked up whole and often absent (a new event id, a
// projection's first row for a stream): whole-key bloom filters in the SST
// files and over the memtable, so a miss costs a hash, not a search.
inline rocksdb::ColumnFamilyOptions PointLookupFamilyOptions() {
  rocksdb::ColumnFamilyOptions options;
  rocksdb::BlockBasedTableOptions table;
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  options.memtable_whole_key_filtering = true;
  options.memtable_prefix_bloom_size_ratio = 0.02;
  return options;
}

// True if Open failed because another process holds the directory's LOCK.
inline bool IsLockError(const rocksdb::Status& s) {
  return s.IsIOError() && s.ToString().find("lock") != std::string::npos;
}

}  // namespace haven::storage

#endif  // HAVEN_STORAGE_ROCKSDB_OPTIONS_H_
