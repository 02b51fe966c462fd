// How the run is made (docs/benchmarks.md says what each figure means):
//
// The parts run one after another, never overlapping, so that no part takes CPU or disk from
// another: loopback limits, the store alone, the SYNC_FLUSH broker, the ASYNC_FLUSH broker, Redis.
// Each broker runs on a fresh data directory and gets fresh topic and group names, so that its
// start-up is that of an empty store and no earlier run's messages are consumed.
//
// Each part is a file of its own: loopback_report.h, broker_run.h, redis_run.h; the store alone is
// `holdfast bench store` (bench/store/); the final table is cluster_verdicts.h.
#include "tools/bench/cluster/cluster_benchmark.h"

#include <fmt/format.h>

#include "tools/bench/cluster/broker_run.h"
#include "tools/bench/cluster/cluster_verdicts.h"
#include "tools/bench/cluster/loopback_report.h"
#include "tools/bench/cluster/redis_run.h"
#include "tools/bench/report_format.h"
#include "tools/bench/store/store_benchmark.h"
#include "tools/limits/machine_description.h"

namespace holdfast::tools {

namespace {

using cluster_bench::kMessageBytes;
using cluster_bench::kProducers;

bool RunStoreOnly(const ClusterBenchmarkOptions& o, std::ostream& out,
                  StoreBenchmarkFigures* figures) {
  Section(out, fmt::format("2) The store alone: `holdfast bench store` for SYNC_FLUSH with {} "
                           "appends in flight, {:g} s; its report follows",
                           kProducers, o.seconds));
  StoreBenchmarkOptions so;
  so.dir = o.dir;
  so.seconds = o.seconds;
  so.threads = {kProducers};
  so.blocking_threads = {};
  so.modes = {store::FlushDiskType::kSyncFlush};
  so.skip_recovery = true;
  so.body_size = kMessageBytes;
  so.command_line = "(part of bench cluster)";
  so.figures = figures;
  out << '\n';
  return RunStoreBenchmark(so, out) == 0;
}

}  // namespace

Status ValidateClusterBenchmarkOptions(const ClusterBenchmarkOptions& o) {
  if (!(o.seconds > 0) || o.seconds > 3600) {
    return Status::InvalidArgument(fmt::format("--seconds {} is not in (0, 3600]", o.seconds));
  }
  if (o.dir.empty()) return Status::InvalidArgument("--dir is empty");
  if (o.program.empty()) return Status::InvalidArgument("the holdfast program path is empty");
  return Status::Ok();
}

int RunClusterBenchmark(const ClusterBenchmarkOptions& options, std::ostream& out) {
  if (Status s = ValidateClusterBenchmarkOptions(options); !s.ok()) {
    out << "invalid options: " << s.message() << '\n' << std::flush;
    return 2;
  }
  ClusterBenchmarkOptions o = options;
  std::error_code ec;
  std::filesystem::create_directories(o.dir, ec);
  if (ec) {
    out << "cannot create " << o.dir.string() << ": " << ec.message() << '\n' << std::flush;
    return 1;
  }
  o.dir = std::filesystem::absolute(o.dir, ec);

  out << "Holdfast cluster benchmark\n";
  out << "machine:  " << DescribeMachine(o.dir) << '\n';
  out << "command:  " << (o.command_line.empty() ? "(not given)" : o.command_line) << '\n';
  out << "data:     " << o.dir.string() << " (data directories removed at the end, logs kept)\n";
  out << fmt::format(
             "messages: {}-byte bodies on loopback; {:g} s per case; {} producer threads "
             "(sync send) against the brokers\n",
             kMessageBytes, o.seconds, kProducers)
      << std::flush;

  bool ok = true;
  ClusterFigures figures;
  cluster_bench::LoopbackResult loopback;
  ok &= cluster_bench::RunLoopback(o.seconds, out, &loopback);
  if (loopback.one) figures.loopback_p50_us = loopback.one->latency.p50_us();
  if (loopback.many) figures.loopback_rate_64 = loopback.many->round_trips_per_sec;
  if (loopback.handoff) figures.handoff_p50_us = loopback.handoff->latency.p50_us();

  if (o.skip_store) {
    Section(out, "2) The store alone: skipped (--skip-store)");
  } else {
    StoreBenchmarkFigures store;
    ok &= RunStoreOnly(o, out, &store);
    if (const auto* c = store.Find(store::FlushDiskType::kSyncFlush, kProducers)) {
      figures.store_sync_rate_64 = c->msgs_per_sec;
    }
    figures.fdatasync_p50_us = store.fdatasync_p50_us;
    if (auto it = store.ideal_group_commit_msgs_per_sec.find(kProducers);
        it != store.ideal_group_commit_msgs_per_sec.end()) {
      figures.ideal_group_commit_64 = it->second;
    }
  }

  Section(out,
          fmt::format("3) The broker: `holdfast standalone` per flush mode on a new store with the "
                      "default settings; a new producer's first send,\n"
                      "   then {} threads sync-send {:g} s while a push consumer in this process "
                      "consumes the topic (e2e: send -> listener), then 1 thread sync-sends {:g} s",
                      kProducers, o.seconds, o.seconds));
  std::vector<cluster_bench::BrokerRun> brokers;
  for (store::FlushDiskType mode :
       {store::FlushDiskType::kSyncFlush, store::FlushDiskType::kAsyncFlush}) {
    brokers.push_back(cluster_bench::RunBroker(o, mode, out));
    if (!brokers.back().failures.empty()) ok = false;
  }
  cluster_bench::PrintBrokers(brokers, out);
  figures.sync = cluster_bench::BrokerFigures(&brokers[0]);
  figures.async = cluster_bench::BrokerFigures(&brokers[1]);

  cluster_bench::RedisRun redis;
  ok &= cluster_bench::RunRedis(o, out, &redis);
  if (redis.many) figures.redis_rate_64 = redis.many->requests_per_second;
  if (redis.one) figures.redis_p50_us_1 = redis.one->p50_latency_ms * 1e3;

  Section(out, "5) The broker against the limits and the targets");
  PrintVerdicts(ClusterVerdicts(figures), out);
  out << '\n'
      << (ok ? "done: every part ran (a MISS is a result, not a failure)\n"
             : "done: FAILURES above (lines starting with '!')\n")
      << std::flush;
  return ok ? 0 : 1;
}

}  // namespace holdfast::tools
