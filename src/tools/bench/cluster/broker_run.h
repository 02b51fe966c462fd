// Part 3 of the cluster benchmark: a real broker per flush mode (`holdfast standalone` as a child
// process, bench/broker_process.h) on a new store, its start-up and idle memory, a new producer's
// first send, kProducers producer threads sync-sending while a push consumer in this process
// consumes, then one producer thread; and the table of what each run measured.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "store/message_store_config.h"
#include "tools/bench/broker_process.h"
#include "tools/bench/client_benchmark.h"
#include "tools/bench/cluster/cluster_benchmark.h"
#include "tools/bench/cluster/cluster_verdicts.h"
#include "tools/bench/process_stats.h"
#include "tools/latency_recorder.h"

namespace holdfast::tools::cluster_bench {

// What one broker run measured; failures are listed, and what they kept from running is absent.
struct BrokerRun {
  store::FlushDiskType mode = store::FlushDiskType::kSyncFlush;
  bool booted = false;
  std::vector<std::string> failures;
  double accept_ms = 0;
  double boot_line_ms = 0;
  // The first send on the new store, by a new producer (route look-up and connection included).
  std::optional<double> first_send_us;
  std::optional<ProcessMemory> idle_memory;
  std::optional<ClientBenchmarkResult> send_many;
  LatencySummary e2e;
  bool e2e_complete = false;  // every measured send was consumed in time
  std::optional<ClientBenchmarkResult> send_one;
  // CPU used during the 64-producer run by the broker process and by this one (producers and
  // consumer), per successful send; and both together over the wall time, in cores.
  std::optional<double> broker_cpu_us_per_send;
  std::optional<double> bench_cpu_us_per_send;
  std::optional<double> cores_busy;
};

// Runs a broker with flush mode `mode` on a new data directory under o.dir (removed afterwards;
// its log stays), from the calling thread, which must outlive the run (see broker_process.h).
BrokerRun RunBroker(const ClusterBenchmarkOptions& o, store::FlushDiskType mode, std::ostream& out);

// The runs' table, notes under it, and where the CPU went.
void PrintBrokers(const std::vector<BrokerRun>& runs, std::ostream& out);

// The figures of a run for the final table; all absent when run is null or did not boot.
ClusterFigures::Broker BrokerFigures(const BrokerRun* run);

}  // namespace holdfast::tools::cluster_bench
