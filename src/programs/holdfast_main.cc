// holdfast: the one program. Subcommands parse their options and hand over to the library.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <sys/resource.h>

#include <csignal>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <iostream>

#include "broker/broker_config.h"
#include "broker/broker_controller.h"
#include "namesrv/namesrv_controller.h"

#include "tools/admin/admin_cli.h"
#include "tools/client_benchmark.h"
#include "tools/cluster_benchmark.h"
#include "tools/demo.h"
#include "tools/queues_benchmark.h"
#include "tools/store_benchmark_cli.h"
#include "tools/store_check.h"

namespace {

std::string CommandLine(int argc, char** argv) {
  std::string line;
  for (int i = 0; i < argc; ++i) {
    if (i > 0) line += ' ';
    line += argv[i];
  }
  return line;
}

// Blocks SIGINT and SIGTERM in every thread started after this call, so that
// WaitForTerminationSignal() receives them.
sigset_t BlockTerminationSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

// A store keeps a file descriptor open for every segment of every consume queue, so a broker with
// thousands of queues needs more than the common soft limit of 1024 (RocketMQ's guide raises it
// too). The hard limit is what the administrator allows; take all of it.
void RaiseOpenFileLimit() {
  struct rlimit limit;
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &limit) != 0) {
      spdlog::warn("could not raise the open-file limit to {}", limit.rlim_max);
    }
  }
}

int WaitForTerminationSignal(const sigset_t& set) {
  int sig = 0;
  sigwait(&set, &sig);
  return sig;
}

int RunNamesrv(const holdfast::namesrv::NamesrvConfig& config) {
  sigset_t signals = BlockTerminationSignals();
  holdfast::namesrv::NamesrvController controller(config);
  if (holdfast::Status s = controller.Start(); !s.ok()) {
    std::cerr << "holdfast namesrv: " << s.ToString() << "\n";
    return 1;
  }
  std::cout << "The Name Server boot success. listening on " << config.bind_address << ":"
            << controller.port() << std::endl;
  int sig = WaitForTerminationSignal(signals);
  spdlog::info("name server: signal {}, shutting down", sig);
  controller.Shutdown();
  return 0;
}

// Where a process on this host reaches a server bound on `bind_address`.
std::string LocalAddressOf(const std::string& bind_address) {
  return holdfast::broker::IsWildcardAddress(bind_address) ? "127.0.0.1" : bind_address;
}

// Runs a broker until SIGINT/SIGTERM; with a name server of its own in the process when
// `namesrv` is given (the standalone mode).
int RunBroker(const std::string& conf_path, const holdfast::broker::PropertyOverrides& overrides,
              const holdfast::namesrv::NamesrvConfig* namesrv) {
  sigset_t signals = BlockTerminationSignals();
  std::unique_ptr<holdfast::namesrv::NamesrvController> embedded;
  std::string embedded_addr;
  holdfast::broker::PropertyOverrides effective = overrides;
  if (namesrv != nullptr) {
    embedded = std::make_unique<holdfast::namesrv::NamesrvController>(*namesrv);
    if (holdfast::Status s = embedded->Start(); !s.ok()) {
      std::cerr << "holdfast: name server: " << s.ToString() << "\n";
      return 1;
    }
    embedded_addr = LocalAddressOf(namesrv->bind_address) + ":" + std::to_string(embedded->port());
    effective["namesrvAddr"] = embedded_addr;
  }
  auto config = holdfast::broker::LoadBrokerConfig(holdfast::store::FileSystem::Default(),
                                                   conf_path, effective);
  if (!config.ok()) {
    std::cerr << "holdfast broker: bad configuration:\n" << config.status().message() << "\n";
    return 2;
  }
  holdfast::broker::BrokerController broker(std::move(config).value());
  if (holdfast::Status s = broker.Start(); !s.ok()) {
    std::cerr << "holdfast broker: " << s.ToString() << "\n";
    return 1;
  }
  std::cout << "The broker boot success. serving at " << broker.broker_addr();
  if (embedded) std::cout << ", name server at " << embedded_addr;
  std::cout << std::endl;
  int sig = WaitForTerminationSignal(signals);
  spdlog::info("broker: signal {}, shutting down", sig);
  broker.Shutdown();
  if (embedded) embedded->Shutdown();
  return 0;
}

// "key=value" items from --set into overrides.
bool ParseSets(const std::vector<std::string>& sets, holdfast::broker::PropertyOverrides* out) {
  for (const std::string& kv : sets) {
    size_t eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) {
      std::cerr << "holdfast: --set expects key=value, got '" << kv << "'\n";
      return false;
    }
    (*out)[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  // Create spdlog's registry before any thread exists, so every thread sees it fully built.
  // Logs go to stderr: stdout carries only what a command reports (boot lines, results), so a
  // parent reading it never stalls behind log traffic.
  spdlog::set_default_logger(spdlog::stderr_color_mt("holdfast"));
  spdlog::set_level(spdlog::level::info);
  RaiseOpenFileLimit();
  CLI::App app{
      "Holdfast: a RocketMQ-compatible message broker that never loses an acknowledged message"};
  app.require_subcommand(1);

  holdfast::tools::StoreCheckOptions check;
  std::string flush = "sync";
  auto* store_check = app.add_subcommand(
      "store-check",
      "Append, read back, reopen and verify messages in a store on a data directory");
  store_check->add_option("--dir", check.dir, "Store root directory (storePathRootDir)")
      ->capture_default_str();
  store_check->add_option("-n,--messages", check.messages, "Messages to append")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000000));
  store_check->add_option("--size", check.body_size, "Body size in bytes")
      ->capture_default_str()
      ->check(CLI::Range(1, 4 * 1024 * 1024));
  store_check
      ->add_option("--flush", flush, "flushDiskType: sync (SYNC_FLUSH) or async (ASYNC_FLUSH)")
      ->capture_default_str()
      ->check(CLI::IsMember({"sync", "async"}));

  auto* bench = app.add_subcommand("bench", "Benchmarks, each beside the physical limit it meets");
  bench->require_subcommand(1);
  auto* bench_store = bench->add_subcommand(
      "store",
      "The store's append throughput and latency under SYNC_FLUSH and ASYNC_FLUSH, and its "
      "crash-recovery time, against this disk's measured limits");
  holdfast::tools::StoreBenchmarkCli bench_store_cli(bench_store);

  holdfast::namesrv::NamesrvConfig namesrv_config;
  auto* namesrv = app.add_subcommand("namesrv", "Run a name server (mqnamesrv)");
  namesrv->add_option("-p,--listen-port", namesrv_config.listen_port, "listenPort")
      ->capture_default_str();
  namesrv->add_option("--bind", namesrv_config.bind_address, "Address to listen on")
      ->capture_default_str();
  namesrv
      ->add_option("--broker-expired-ms", namesrv_config.broker_channel_expired_time,
                   "Drop a broker after this long without a registration (ms)")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{1000}, int64_t{86'400'000}));

  std::string broker_conf;
  std::string namesrv_addr;
  std::vector<std::string> broker_sets;
  auto* broker = app.add_subcommand("broker", "Run a broker (mqbroker) from a broker.conf file");
  broker->add_option("-c,--config", broker_conf, "broker.conf (RocketMQ properties)");
  broker->add_option("-n,--namesrv", namesrv_addr, "namesrvAddr, e.g. 127.0.0.1:9876;host2:9876");
  broker->add_option("--set", broker_sets, "Override a broker.conf key: key=value (repeatable)");

  std::string standalone_dir = "./holdfast-data";
  std::string standalone_bind = "127.0.0.1";
  int standalone_port = 10911;
  holdfast::namesrv::NamesrvConfig standalone_namesrv;
  std::vector<std::string> standalone_sets;
  auto* standalone = app.add_subcommand(
      "standalone", "Run a name server and a broker in one process on a local data directory");
  standalone->add_option("--dir", standalone_dir, "storePathRootDir")->capture_default_str();
  standalone->add_option("-p,--listen-port", standalone_port, "The broker's listenPort")
      ->capture_default_str();
  standalone->add_option("--namesrv-port", standalone_namesrv.listen_port, "The name server's port")
      ->capture_default_str();
  standalone
      ->add_option("--bind", standalone_bind,
                   "Address the broker and the name server listen on (bindAddress); the broker "
                   "registers it as brokerIP1 unless it is 0.0.0.0")
      ->capture_default_str();
  standalone->add_option("--set", standalone_sets, "Override a broker key: key=value");

  holdfast::tools::admin::AdminCli admin(&app);
  holdfast::tools::ProduceBenchmarkOptions produce_options;
  std::string produce_mode = "sync";
  auto* bench_produce = bench->add_subcommand(
      "produce", "Send messages from many threads; TPS and latency each second, then percentiles");
  bench_produce->add_option("-n,--namesrv", produce_options.namesrv_addr)->capture_default_str();
  bench_produce->add_option("-t,--topic", produce_options.topic)->capture_default_str();
  bench_produce->add_option("-w,--threads", produce_options.threads)
      ->capture_default_str()
      ->check(CLI::Range(1, 1024));
  bench_produce->add_option("-s,--size", produce_options.size, "Body bytes")
      ->capture_default_str()
      ->check(CLI::Range(1, 4 * 1024 * 1024));
  bench_produce->add_option("-m,--mode", produce_mode, "sync, async or oneway")
      ->capture_default_str()
      ->check(CLI::IsMember({"sync", "async", "oneway"}));
  bench_produce
      ->add_option("--async-window", produce_options.async_window,
                   "Outstanding async sends per thread")
      ->capture_default_str()
      ->check(CLI::Range(1, 10000));
  bench_produce->add_option("-d,--seconds", produce_options.seconds)
      ->capture_default_str()
      ->check(CLI::Range(0.1, 86400.0));
  holdfast::tools::ConsumeBenchmarkOptions consume_options;
  auto* bench_consume = bench->add_subcommand(
      "consume", "Consume in a group; TPS and end-to-end latency each second, then percentiles");
  bench_consume->add_option("-n,--namesrv", consume_options.namesrv_addr)->capture_default_str();
  bench_consume->add_option("-t,--topic", consume_options.topic)->capture_default_str();
  bench_consume->add_option("-g,--group", consume_options.group)->capture_default_str();
  bench_consume->add_option("-d,--seconds", consume_options.seconds)
      ->capture_default_str()
      ->check(CLI::Range(0.1, 86400.0));
  bench_consume->add_flag("--from-first", consume_options.from_first,
                          "A new group starts at the first message instead of the last");

  holdfast::tools::ClusterBenchmarkOptions cluster_options;
  std::string cluster_dir = "./bench-data";
  auto* bench_cluster = bench->add_subcommand("cluster",
                                              "A real broker per flush mode against loopback, "
                                              "store-only and Redis figures of the same run");
  bench_cluster->add_option("--dir", cluster_dir, "Data directory on the disk under test")
      ->capture_default_str();
  bench_cluster->add_option("-d,--seconds", cluster_options.seconds, "Measured seconds per case")
      ->capture_default_str()
      ->check(CLI::Range(0.1, 3600.0));
  bench_cluster->add_flag("--skip-redis", cluster_options.skip_redis,
                          "Leave out the Redis peer (e.g. when redis-server is not installed)");
  bench_cluster->add_flag("--skip-store", cluster_options.skip_store,
                          "Leave out the store-only figure");

  holdfast::tools::QueuesBenchmarkOptions queues_options;
  auto* bench_queues = bench->add_subcommand(
      "queues",
      "Disk, RSS and start time of a store with many nearly empty queues, beside the least the "
      "file system needs for the same bytes; and what one consume-queue append costs");
  bench_queues->add_option("--dir", queues_options.dir, "Data directory on the disk under test")
      ->capture_default_str();
  bench_queues->add_option("--queues", queues_options.queues, "Queue counts to measure")
      ->capture_default_str()
      ->delimiter(',')
      ->check(CLI::Range(1, 1'000'000));
  bench_queues->add_option("-m,--messages", queues_options.messages_per_queue, "Messages a queue")
      ->capture_default_str()
      ->check(CLI::Range(1, 100'000));
  bench_queues->add_option("--body-size", queues_options.body_size, "Body bytes")
      ->capture_default_str()
      ->check(CLI::Range(1, 4 * 1024 * 1024));
  bench_queues
      ->add_option("--append-rounds", queues_options.append_rounds,
                   "Fresh files per append case (the median is printed)")
      ->capture_default_str()
      ->check(CLI::Range(1, 100));
  bench_queues->add_flag("--skip-append", queues_options.skip_append, "Leave out the append costs");

  holdfast::tools::DemoOptions demo_options;
  auto* demo = app.add_subcommand(
      "demo", "Send messages with sync send, consume them in a group, check every one arrived");
  demo->add_option("-n,--namesrv", demo_options.namesrv_addr, "Name server list")
      ->capture_default_str();
  demo->add_option("-t,--topic", demo_options.topic)->capture_default_str();
  demo->add_option("-g,--group", demo_options.group, "Consumer group")->capture_default_str();
  demo->add_option("-c,--count", demo_options.count, "Messages to send")
      ->capture_default_str()
      ->check(CLI::Range(1, 1'000'000));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }

  if (namesrv->parsed()) return RunNamesrv(namesrv_config);
  if (broker->parsed()) {
    holdfast::broker::PropertyOverrides overrides;
    if (!namesrv_addr.empty()) overrides["namesrvAddr"] = namesrv_addr;
    if (!ParseSets(broker_sets, &overrides)) return 2;
    return RunBroker(broker_conf, overrides, nullptr);
  }
  if (standalone->parsed()) {
    holdfast::broker::PropertyOverrides overrides;
    overrides["storePathRootDir"] = standalone_dir;
    overrides["listenPort"] = std::to_string(standalone_port);
    overrides["bindAddress"] = standalone_bind;  // brokerIP1 follows it (broker_config.h)
    overrides["flushDiskType"] = "SYNC_FLUSH";   // zero loss is the default
    if (!ParseSets(standalone_sets, &overrides)) return 2;
    standalone_namesrv.bind_address = standalone_bind;
    return RunBroker("", overrides, &standalone_namesrv);
  }
  if (admin.parsed()) return admin.Run(std::cout, std::cerr);
  if (bench_produce->parsed() || bench_consume->parsed()) {
    spdlog::set_level(spdlog::level::warn);
    holdfast::tools::ClientBenchmarkResult r;
    if (bench_produce->parsed()) {
      produce_options.mode = produce_mode == "async"    ? holdfast::tools::SendMode::kAsync
                             : produce_mode == "oneway" ? holdfast::tools::SendMode::kOneway
                                                        : holdfast::tools::SendMode::kSync;
      r = holdfast::tools::RunProduceBenchmark(produce_options, std::cout);
    } else {
      r = holdfast::tools::RunConsumeBenchmark(consume_options, std::cout);
    }
    holdfast::tools::PrintClientBenchmarkSummary(bench_produce->parsed() ? "send" : "consume", r,
                                                 std::cout);
    return r.error.empty() ? 0 : 1;
  }
  if (bench_cluster->parsed()) {
    spdlog::set_level(spdlog::level::warn);
    cluster_options.dir = cluster_dir;
    cluster_options.command_line = CommandLine(argc, argv);
    return holdfast::tools::RunClusterBenchmark(cluster_options, std::cout);
  }
  if (bench_queues->parsed()) {
    spdlog::set_level(spdlog::level::warn);
    queues_options.command_line = CommandLine(argc, argv);
    return holdfast::tools::RunQueuesBenchmark(queues_options, std::cout);
  }
  if (demo->parsed()) {
    spdlog::set_level(spdlog::level::warn);
    return holdfast::tools::RunDemo(demo_options, std::cout);
  }
  if (store_check->parsed()) {
    check.sync_flush = flush == "sync";
    return holdfast::tools::RunStoreCheck(check, std::cout);
  }
  if (bench_store->parsed()) {
    // The report goes to stdout; the store's own log to stderr, warnings and above.
    spdlog::set_level(spdlog::level::warn);
    return holdfast::tools::RunStoreBenchmark(bench_store_cli.Options(CommandLine(argc, argv)),
                                              std::cout);
  }
  return 0;
}
