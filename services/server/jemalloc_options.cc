// jemalloc's options for the processes that run the projections (havend,
// haven_rebuild_bench); jemalloc reads this symbol when it starts.
//
// A catch-up or rebuild allocates and frees hundreds of megabytes a second
// in large blocks (a batch's pending rows and case records, the write batch
// of a commit).  With jemalloc's defaults, each block over 8 MiB came from
// an arena that returns it to the kernel when freed, and every page of the
// next one was faulted in again: about 260,000 page faults per rebuild of
// the 100,000-case log.  Here:
// - thp, metadata_thp: jemalloc asks for transparent huge pages (where the
//   kernel gives them on request, `madvise` in
//   /sys/kernel/mm/transparent_hugepage/enabled): 2 MiB per fault, and far
//   fewer TLB misses in the hash maps the folds probe;
// - oversize_threshold:0: large blocks come from the ordinary arenas, which
//   keep freed memory for reuse;
// - dirty_decay_ms: freed pages are kept 30 s (default 10 s) before they go
//   back to the kernel, long enough to span a rebuild's batches.
// Together: ~8,000 page faults instead of ~260,000, and a rebuild about 30%
// faster (docs/benchmarks.md, "Rebuild"), for ~15% more resident memory.
extern "C" {
// NOLINTNEXTLINE: the name is jemalloc's.
const char* malloc_conf =
    "thp:always,metadata_thp:always,oversize_threshold:0,dirty_decay_ms:30000";
}
