// haven_rocksdb_raw_bench: the storage limit the Append path is measured
// against.  N threads each write RocksDB WriteBatches of --batch events with
// WriteOptions.sync = true into a fresh temporary DB, so RocksDB's own write
// group (leader/follower) commit merges concurrent writers into one WAL
// write + fsync, the same thing havend's group-commit writer does.
//
// Each event is one key (writer, sequence) -> a payload of the same size and
// shape as haven_append_bench sends.  With --index-puts each event also
// writes the two small index entries an event store keeps (stream+version ->
// position, event id -> location), to see the limit for that write shape.
//
//   haven_rocksdb_raw_bench --threads=64 --batch=1 --duration=10 --db-parent=/work/tmp
#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <rocksdb/write_batch.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "bench_common.h"

namespace hb = haven::bench;

namespace {

std::string Key(uint32_t writer, uint64_t seq) {
  std::string key(12, '\0');
  for (int i = 0; i < 4; ++i) key[i] = static_cast<char>(writer >> (24 - 8 * i));
  for (int i = 0; i < 8; ++i) key[4 + i] = static_cast<char>(seq >> (56 - 8 * i));
  return key;
}

}  // namespace

int main(int argc, char** argv) {
  hb::Flags flags(argc, argv,
                  {{"threads", "1"},
                   {"batch", "1"},
                   {"duration", "10"},
                   {"count", "0"},
                   {"warmup", "2"},
                   {"value-bytes", "200"},
                   {"sync", "true"},
                   {"db-parent", ""},
                   {"index-puts", "false"},
                   {"keep", "false"}});
  const int64_t threads = flags.Int("threads");
  const int64_t batch = flags.Int("batch");
  const int64_t count = flags.Int("count");
  const size_t value_bytes = static_cast<size_t>(flags.Int("value-bytes"));
  const bool index_puts = flags.Bool("index-puts");
  if (threads < 1 || batch < 1) hb::Flags::Die(argv[0], "--threads and --batch must be >= 1");

  std::filesystem::path parent =
      flags.Str("db-parent").empty() ? std::filesystem::temp_directory_path() : std::filesystem::path(flags.Str("db-parent"));
  std::string tmpl = (parent / "haven-rocksdb-raw.XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) {
    std::perror(("mkdtemp " + tmpl).c_str());
    return 1;
  }
  const std::string db_path = tmpl;

  rocksdb::Options options;
  options.create_if_missing = true;
  rocksdb::DB* raw_db = nullptr;
  rocksdb::Status open = rocksdb::DB::Open(options, db_path, &raw_db);
  if (!open.ok()) {
    std::fprintf(stderr, "open %s: %s\n", db_path.c_str(), open.ToString().c_str());
    return 1;
  }
  std::unique_ptr<rocksdb::DB> db(raw_db);

  rocksdb::WriteOptions write_options;
  write_options.sync = flags.Bool("sync");

  hb::Window window(count);
  std::vector<std::vector<int64_t>> latencies(threads);
  std::vector<int64_t> events(threads, 0), requests(threads, 0), errors(threads, 0);
  std::vector<std::thread> workers;
  for (int64_t t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      std::mt19937_64 rng(std::random_device{}() ^ (static_cast<uint64_t>(t) << 32));
      latencies[t].reserve(1 << 16);
      uint64_t seq = 0;
      rocksdb::WriteBatch wb;
      while (window.Running()) {
        wb.Clear();
        for (int64_t i = 0; i < batch; ++i, ++seq) {
          const std::string key = Key(static_cast<uint32_t>(t), seq);
          wb.Put(key, hb::MakePayload(rng, seq, value_bytes));
          if (index_puts) {
            std::string stream_key = "s/bench-" + std::to_string(t) + "/" + key.substr(4);
            wb.Put(stream_key, key.substr(4));
            std::string id_key = "i/" + hb::RandomUuidV4(rng);
            wb.Put(id_key, stream_key + key);
          }
        }
        auto start = hb::Clock::now();
        rocksdb::Status s = db->Write(write_options, &wb);
        auto end = hb::Clock::now();
        if (!s.ok()) {
          if (errors[t]++ == 0) std::fprintf(stderr, "write: %s\n", s.ToString().c_str());
          if (errors[t] > 100) window.Stop();
          continue;
        }
        if (window.Completed(batch)) {
          latencies[t].push_back(hb::NanosSince(start, end));
          events[t] += batch;
          ++requests[t];
        }
      }
    });
  }
  hb::DriveWindow(window, flags.Double("warmup"), flags.Double("duration"), count);
  for (auto& w : workers) w.join();

  std::vector<int64_t> all;
  int64_t total_events = 0, total_requests = 0, total_errors = 0;
  for (int64_t t = 0; t < threads; ++t) {
    all.insert(all.end(), latencies[t].begin(), latencies[t].end());
    total_events += events[t];
    total_requests += requests[t];
    total_errors += errors[t];
  }
  hb::PrintResult("rocksdb", threads, batch, total_events, total_requests, window.Seconds(),
                  hb::Stats(std::move(all)), total_errors);

  db.reset();
  if (!flags.Bool("keep")) {
    std::error_code ec;
    std::filesystem::remove_all(db_path, ec);
  } else {
    std::fprintf(stderr, "kept %s\n", db_path.c_str());
  }
  return total_errors > 0 || total_events == 0 ? 1 : 0;
}
