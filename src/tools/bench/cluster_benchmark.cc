// How the run is made (docs/benchmarks.md says what each figure means):
//
// The parts run one after another, never overlapping, so that no part takes CPU or disk from
// another: loopback limits, the store alone, the SYNC_FLUSH broker, the ASYNC_FLUSH broker, Redis.
// Each broker runs on a fresh data directory and gets fresh topic and group names, so that its
// start-up is that of an empty store and no earlier run's messages are consumed.
//
// The end-to-end latency: a push consumer in this process subscribes to the broker's new topic
// (created by one send beforehand) and consumes from the first offset. Warm-up sends follow until
// the consumer has received one, so that its rebalance is done before the clock starts. Then the
// 64 producer threads of RunProduceBenchmark send for `seconds`, each message stamped with the
// wall clock (kSendNanosProperty); the consumer records now - stamp for the stamped messages sent
// in the measured period, and after the producers stop it gets a bounded time to catch up.
#include "tools/bench/cluster_benchmark.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <sstream>
#include <thread>

#include <fmt/format.h>
#include <unistd.h>

#include "holdfast/producer.h"
#include "holdfast/push_consumer.h"
#include "tools/bench/broker_process.h"
#include "tools/bench/client_benchmark.h"
#include "tools/limits/disk_limits.h"
#include "tools/latency_recorder.h"
#include "tools/limits/loopback_limits.h"
#include "tools/limits/redis_peer.h"
#include "tools/bench/report_format.h"
#include "tools/bench/store/store_benchmark.h"
#include "tools/limits/thread_handoff_limits.h"

namespace holdfast::tools {

namespace {

using Clock = std::chrono::steady_clock;

constexpr int kProducers = 64;
constexpr int kMessageBytes = 1024;
constexpr size_t kReplyBytes = 64;
constexpr double kIdleRssLimitBytes = 30.0 * 1024 * 1024;
constexpr double kAcceptLimitMs = 100;
// A new store answers its first send within this many times its steady one-producer p50; the first
// send also looks up the new topic's route and connects, which the steady sends do not.
constexpr double kFirstSendMaxRatio = 10;
constexpr auto kConsumerReadyTimeout = std::chrono::seconds(30);
constexpr auto kWarmupSendInterval = std::chrono::milliseconds(20);
// Redis: a short pilot run sizes the measured run to about `seconds`.
constexpr int64_t kRedisPilotRequests64 = 2000;
constexpr int64_t kRedisPilotRequests1 = 200;
constexpr int64_t kRedisMinRequests = 200;
constexpr int64_t kRedisMaxRequests = 20'000'000;

// ---------------------------------------------------------------------------------------------
// The final table

std::string Rate(double v) { return Thousands(v) + " /s"; }
std::string Micros(double v) { return Us(v) + " us"; }
std::string Millis(double v) { return fmt::format("{:.1f} ms", v); }
std::string Mib(double bytes) { return fmt::format("{:.1f} MiB", bytes / (1024.0 * 1024.0)); }

using Formatter = std::string (*)(double);

struct Figure {
  std::string name;
  std::optional<double> value;
  Formatter format;
};

// A row comparing `value` with `base`: ratio value / base, PASS when it meets `target` (>= when
// higher_is_better, <= otherwise), "info" without a target.
VerdictRow Compare(const Figure& value, const Figure& base, std::optional<double> target,
                   bool higher_is_better) {
  VerdictRow row;
  row.figure = value.name;
  row.value = value.value ? value.format(*value.value) : "-";
  row.compared_with =
      base.value ? fmt::format("{} {}", base.name, base.format(*base.value)) : base.name + " -";
  row.target = target ? fmt::format("{} {:.2f}", higher_is_better ? ">=" : "<=", *target) : "-";
  if (!value.value || !base.value || *base.value <= 0) {
    row.ratio = "-";
    row.result = "n/a";
    return row;
  }
  const double ratio = *value.value / *base.value;
  row.ratio = fmt::format("{:.2f}", ratio);
  if (!target) {
    row.result = "info";
  } else {
    row.result = (higher_is_better ? ratio >= *target : ratio <= *target) ? "PASS" : "MISS";
  }
  return row;
}

// A row holding `value` under a fixed limit: PASS when value < limit.
VerdictRow UnderLimit(const Figure& value, double limit) {
  VerdictRow row = Compare(value, Figure{"limit", limit, value.format}, std::nullopt, false);
  row.compared_with = "-";
  row.target = "< " + value.format(limit);
  if (value.value) row.result = *value.value < limit ? "PASS" : "MISS";
  return row;
}

// A row with a figure only.
VerdictRow Alone(const Figure& value) {
  VerdictRow row;
  row.figure = value.name;
  row.value = value.value ? value.format(*value.value) : "-";
  row.compared_with = "-";
  row.ratio = "-";
  row.target = "-";
  row.result = value.value ? "info" : "n/a";
  return row;
}

// ---------------------------------------------------------------------------------------------
// 1. Loopback

struct LoopbackResult {
  std::optional<LoopbackPingPongStats> one;
  std::optional<LoopbackPingPongStats> many;
  std::optional<ThreadHandoffStats> handoff;
};

bool RunLoopback(double seconds, std::ostream& out, LoopbackResult* result) {
  Section(out, fmt::format("1) Loopback limits: TCP ping-pong on 127.0.0.1, {}-byte request, "
                           "{}-byte reply, {:g} s each",
                           kMessageBytes, kReplyBytes, seconds));
  TextTable t({"connections (one thread each)", "round trips/s", "p50 us", "p99 us", "p99.9 us",
               "round trips"});
  bool ok = true;
  for (int connections : {1, kProducers}) {
    LoopbackPingPongOptions o;
    o.connections = connections;
    o.request_bytes = kMessageBytes;
    o.reply_bytes = kReplyBytes;
    o.seconds = seconds;
    auto r = MeasureLoopbackPingPong(o);
    if (!r.ok()) {
      t.AddRow({fmt::format("{}", connections), "FAILED: " + r.status().ToString()});
      ok = false;
      continue;
    }
    t.AddRow({fmt::format("{}", connections), Thousands(r->round_trips_per_sec),
              Us(r->latency.p50_us()), Us(r->latency.p99_us()), Us(r->latency.p999_us()),
              Thousands(static_cast<double>(r->round_trips))});
    (connections == 1 ? result->one : result->many) = *r;
  }
  t.Print(out);
  out << '\n';

  // A send crosses thread hand-offs too (client and broker network threads, the sync thread, the
  // producer blocked in Send): what one costs here.
  TextTable h({"thread hand-off (mutex + condition variable, 2 threads)", "hand-offs/s", "p50 us",
               "p99 us", "p99.9 us"});
  ThreadHandoffOptions ho;
  ho.seconds = seconds;
  if (auto r = MeasureThreadHandoff(ho); r.ok()) {
    h.AddRow({"notify -> the woken thread runs", Thousands(r->handoffs_per_sec),
              Us(r->latency.p50_us()), Us(r->latency.p99_us()), Us(r->latency.p999_us())});
    result->handoff = *r;
  } else {
    h.AddRow({"FAILED: " + r.status().ToString()});
    ok = false;
  }
  h.Print(out);
  out << std::flush;
  return ok;
}

// ---------------------------------------------------------------------------------------------
// 2. The store alone

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

// ---------------------------------------------------------------------------------------------
// 3. The brokers

// Counts what the consumer receives and keeps the end-to-end latency of the measured messages.
// The listener runs on the consumer's threads; the rest on the benchmark's.
class EndToEndRecorder {
 public:
  void OnMessages(const std::vector<MQMessageExt>& msgs) {
    const int64_t now_ns = WallClockNanos();
    const int64_t from = measure_from_ns_.load();
    std::lock_guard lock(mu_);
    for (const MQMessageExt& m : msgs) {
      ++received_;
      auto stamp = m.properties.find(kSendNanosProperty);
      if (from > 0 && stamp != m.properties.end() && std::atoll(stamp->second.c_str()) >= from) {
        latency_.Record(EndToEndLatency(m, now_ns));
      }
    }
    cv_.notify_all();
  }
  // Records from now on the messages stamped from now on.
  void StartMeasuring() { measure_from_ns_.store(WallClockNanos()); }
  // Wait until n messages arrived in all / n measured messages arrived, or the deadline passed;
  // true when they did.
  bool WaitReceived(uint64_t n, Clock::time_point deadline) {
    std::unique_lock lock(mu_);
    return cv_.wait_until(lock, deadline, [&] { return received_ >= n; });
  }
  bool WaitMeasured(uint64_t n, Clock::time_point deadline) {
    std::unique_lock lock(mu_);
    return cv_.wait_until(lock, deadline, [&] { return latency_.count() >= n; });
  }
  LatencySummary Summary() const {
    std::lock_guard lock(mu_);
    return latency_.Summarize();
  }

 private:
  std::atomic<int64_t> measure_from_ns_{0};
  mutable std::mutex mu_;
  std::condition_variable cv_;
  uint64_t received_ = 0;    // guarded by mu_
  LatencyRecorder latency_;  // guarded by mu_
};

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

// CPU seconds of the broker and of this process now; nullopt if either cannot be read.
std::optional<std::pair<double, double>> CpuNow(pid_t broker_pid) {
  auto broker = ReadProcessCpuSeconds(broker_pid);
  auto self = ReadProcessCpuSeconds(::getpid());
  if (!broker.ok() || !self.ok()) return std::nullopt;
  return std::pair{*broker, *self};
}

std::string ModeWord(store::FlushDiskType mode) {
  return mode == store::FlushDiskType::kSyncFlush ? "sync" : "async";
}

// Creates the topic with one send, starts `consumer` on it and sends until it receives a message,
// so that it is subscribed and balanced before the measurement. Empty on success, else what failed.
std::string PrepareConsumer(const std::string& namesrv, const std::string& topic,
                            EndToEndRecorder* recorder, PushConsumer* consumer,
                            std::optional<double>* first_send_us) {
  ProducerOptions po;
  po.group = topic + "_warmup";
  po.client.namesrv_addr = namesrv;
  po.client.instance_name = topic + "-warmup";
  Producer producer(po);
  if (Status s = producer.Start(); !s.ok()) return "warm-up producer: " + s.ToString();
  MQMessage msg;
  msg.topic = topic;
  msg.body.assign(kMessageBytes, 'w');
  const Clock::time_point first_send = Clock::now();
  if (auto r = producer.Send(msg); !r.ok()) {
    producer.Shutdown();
    return "creating the topic: " + r.status().ToString();
  }
  *first_send_us = std::chrono::duration<double, std::micro>(Clock::now() - first_send).count();
  // The broker tells the name server about the new topic after it answered the send; a consumer
  // started before the name server knows the topic finds no route and looks again only at its
  // next route poll, 30 s later (as RocketMQ's does).
  const Clock::time_point route_deadline = Clock::now() + kConsumerReadyTimeout;
  while (!producer.FetchPublishMessageQueues(topic).ok()) {
    if (Clock::now() >= route_deadline) {
      producer.Shutdown();
      return "the name server had no route for the new topic within 30 s";
    }
    std::this_thread::sleep_for(kWarmupSendInterval);
  }
  if (Status s = consumer->Subscribe(topic, "*"); !s.ok()) {
    producer.Shutdown();
    return "subscribe: " + s.ToString();
  }
  consumer->RegisterMessageListener([recorder](const std::vector<MQMessageExt>& msgs) {
    recorder->OnMessages(msgs);
    return ConsumeStatus::kConsumeSuccess;
  });
  if (Status s = consumer->Start(); !s.ok()) {
    producer.Shutdown();
    return "consumer: " + s.ToString();
  }
  const Clock::time_point deadline = Clock::now() + kConsumerReadyTimeout;
  bool ready = false;
  while (!ready && Clock::now() < deadline) {
    if (auto r = producer.Send(msg); !r.ok()) {
      producer.Shutdown();
      return "warm-up send: " + r.status().ToString();
    }
    ready = recorder->WaitReceived(1, Clock::now() + kWarmupSendInterval);
  }
  producer.Shutdown();
  return ready ? "" : "the consumer received nothing within 30 s";
}

BrokerRun RunBroker(const ClusterBenchmarkOptions& o, store::FlushDiskType mode,
                    std::ostream& out) {
  BrokerRun run;
  run.mode = mode;
  const std::string word = ModeWord(mode);
  const std::filesystem::path data = o.dir / word;
  std::error_code ec;
  std::filesystem::remove_all(data, ec);  // an empty store: start-up is measured on one

  BrokerProcessOptions bo;
  bo.program = o.program;
  bo.dir = data.string();
  bo.log_path = (o.dir / (word + "-broker.log")).string();
  // The default configuration otherwise (1 GiB segments): a new store's first send is measured.
  if (mode == store::FlushDiskType::kAsyncFlush)
    bo.extra_args = {"--set", "flushDiskType=ASYNC_FLUSH"};
  auto broker = BrokerProcess::Start(bo);
  if (!broker.ok()) {
    run.failures.push_back(broker.status().ToString());
    return run;
  }
  run.booted = true;
  run.accept_ms = std::chrono::duration<double, std::milli>((*broker)->time_to_accept()).count();
  run.boot_line_ms =
      std::chrono::duration<double, std::milli>((*broker)->time_to_boot_line()).count();
  if (auto memory = ReadProcessMemory((*broker)->pid()); memory.ok()) {
    run.idle_memory = *memory;
  } else {
    run.failures.push_back("idle RSS: " + memory.status().ToString());
  }
  out << fmt::format("  {}: pid {}, broker 127.0.0.1:{}, name server {}, log {}\n",
                     FlushDiskTypeName(mode), (*broker)->pid(), (*broker)->broker_port(),
                     (*broker)->namesrv_addr(), bo.log_path)
      << std::flush;

  const std::string namesrv = (*broker)->namesrv_addr();
  const int64_t stamp = WallClockNanos() / 1'000'000;
  const std::string topic = fmt::format("ClusterBench_{}_{}", word, stamp);
  auto producers = [&](int threads) {
    ProduceBenchmarkOptions po;
    po.namesrv_addr = namesrv;
    po.topic = topic;
    po.threads = threads;
    po.size = kMessageBytes;
    po.mode = SendMode::kSync;
    po.seconds = o.seconds;
    po.quiet = true;
    return po;
  };
  {
    EndToEndRecorder recorder;
    PushConsumerOptions co;
    co.group = fmt::format("cluster_bench_{}_{}", word, stamp);
    co.client.namesrv_addr = namesrv;
    co.client.instance_name = co.group;
    co.consume_from_where = ConsumeFromWhere::kConsumeFromFirstOffset;
    PushConsumer consumer(co);
    if (std::string e = PrepareConsumer(namesrv, topic, &recorder, &consumer, &run.first_send_us);
        !e.empty()) {
      run.failures.push_back(e);
    } else {
      recorder.StartMeasuring();
      const auto cpu0 = CpuNow((*broker)->pid());
      const Clock::time_point wall0 = Clock::now();
      ClientBenchmarkResult r = RunProduceBenchmark(producers(kProducers), out);
      const double wall = std::chrono::duration<double>(Clock::now() - wall0).count();
      const auto cpu1 = CpuNow((*broker)->pid());
      if (cpu0 && cpu1 && r.successes > 0 && wall > 0) {
        const double sends = static_cast<double>(r.successes + r.failures);
        run.broker_cpu_us_per_send = (cpu1->first - cpu0->first) / sends * 1e6;
        run.bench_cpu_us_per_send = (cpu1->second - cpu0->second) / sends * 1e6;
        run.cores_busy = (cpu1->first - cpu0->first + cpu1->second - cpu0->second) / wall;
      }
      if (!r.error.empty()) run.failures.push_back("64 producers: " + r.error);
      // The consumer gets as long again as the producers had, at least 5 s, to catch up.
      const auto drain = std::chrono::duration_cast<Clock::duration>(
          std::chrono::duration<double>(std::max(5.0, o.seconds)));
      run.e2e_complete = recorder.WaitMeasured(r.successes, Clock::now() + drain);
      run.e2e = recorder.Summary();
      run.send_many = std::move(r);
    }
    consumer.Shutdown();
  }
  {
    ClientBenchmarkResult r = RunProduceBenchmark(producers(1), out);
    if (!r.error.empty()) run.failures.push_back("1 producer: " + r.error);
    run.send_one = std::move(r);
  }
  if (Status s = (*broker)->Stop(); !s.ok()) run.failures.push_back("stop: " + s.ToString());
  std::filesystem::remove_all(data, ec);
  return run;
}

void PrintBrokers(const std::vector<BrokerRun>& runs, std::ostream& out) {
  TextTable t({"broker", "spawn->accept ms", "spawn->boot line ms", "first send ms", "idle RSS",
               "anon", "file", "64 producers /s", "send p50 us", "send p99 us", "e2e p50 us",
               "e2e p99 us", "e2e msgs", "1 producer /s", "p50 us", "p99 us"});
  std::vector<std::string> notes;
  for (const BrokerRun& r : runs) {
    const std::string name(FlushDiskTypeName(r.mode));
    for (const std::string& f : r.failures) notes.push_back(name + ": " + f);
    if (!r.booted) {
      t.AddRow({name, "FAILED"});
      continue;
    }
    std::vector<std::string> row = {name,
                                    Millis(r.accept_ms),
                                    Millis(r.boot_line_ms),
                                    r.first_send_us ? Millis(*r.first_send_us / 1e3) : "-",
                                    "-",
                                    "-",
                                    "-"};
    if (r.idle_memory) {
      row[4] = Mib(static_cast<double>(r.idle_memory->rss_bytes));
      row[5] = Mib(static_cast<double>(r.idle_memory->rss_anon_bytes));
      row[6] = Mib(static_cast<double>(r.idle_memory->rss_file_bytes));
    }
    auto add_send = [&](const std::optional<ClientBenchmarkResult>& s) {
      const bool ok = s && s->error.empty();
      row.push_back(ok ? Thousands(s->rate) : "-");
      row.push_back(ok ? Us(s->latency.p50_us()) : "-");
      row.push_back(ok ? Us(s->latency.p99_us()) : "-");
      if (ok && s->failures > 0) {
        notes.push_back(fmt::format("{}: {} failed sends", name, Thousands(s->failures)));
      }
    };
    add_send(r.send_many);
    row.push_back(r.e2e.count > 0 ? Us(r.e2e.p50_us()) : "-");
    row.push_back(r.e2e.count > 0 ? Us(r.e2e.p99_us()) : "-");
    row.push_back(Thousands(static_cast<double>(r.e2e.count)));
    if (r.send_many && !r.e2e_complete) {
      notes.push_back(fmt::format("{}: the consumer received {} of the {} measured sends in time",
                                  name, Thousands(static_cast<double>(r.e2e.count)),
                                  Thousands(static_cast<double>(r.send_many->successes))));
    }
    add_send(r.send_one);
    t.AddRow(std::move(row));
  }
  t.Print(out);
  for (const std::string& n : notes) out << "  ! " << n << '\n';

  // Where the machine's CPU went while 64 producers sent (and the consumer consumed).
  out << '\n';
  TextTable cpu({"CPU during the 64-producer run", "broker us/send",
                 "bench us/send (producers + consumer)", "together us/send",
                 fmt::format("cores busy (of {})", std::thread::hardware_concurrency())});
  auto us = [](const std::optional<double>& v) { return v ? fmt::format("{:.1f}", *v) : "-"; };
  for (const BrokerRun& r : runs) {
    if (!r.booted) continue;
    std::optional<double> both;
    if (r.broker_cpu_us_per_send && r.bench_cpu_us_per_send) {
      both = *r.broker_cpu_us_per_send + *r.bench_cpu_us_per_send;
    }
    cpu.AddRow({std::string(FlushDiskTypeName(r.mode)), us(r.broker_cpu_us_per_send),
                us(r.bench_cpu_us_per_send), us(both),
                r.cores_busy ? fmt::format("{:.2f}", *r.cores_busy) : "-"});
  }
  cpu.Print(out);
  out << std::flush;
}

// ---------------------------------------------------------------------------------------------
// 4. Redis

struct RedisRun {
  std::optional<RedisBenchmarkResult> many;
  std::optional<RedisBenchmarkResult> one;
  int64_t requests_many = 0;
  int64_t requests_one = 0;
};

// A pilot run of `pilot` requests, then one sized to last about `seconds`.
Result<RedisBenchmarkResult> TimedXadd(const RedisPeer& peer, int clients, int64_t pilot,
                                       double seconds, int64_t* requests) {
  RedisXaddOptions xo;
  xo.clients = clients;
  xo.requests = pilot;
  xo.value_bytes = kMessageBytes;
  auto first = peer.RunXadd(xo);
  if (!first.ok()) return first.status();
  xo.requests = std::clamp(static_cast<int64_t>(first->requests_per_second * seconds),
                           kRedisMinRequests, kRedisMaxRequests);
  *requests = xo.requests;
  return peer.RunXadd(xo);
}

bool RunRedis(const ClusterBenchmarkOptions& o, std::ostream& out, RedisRun* run) {
  Section(out, fmt::format("4) Redis 7 Streams peer: redis-server --appendonly yes --appendfsync "
                           "always in {}, redis-benchmark XADD of {}-byte values, about {:g} s "
                           "per client count (sized by a short pilot run)",
                           o.dir.string(), kMessageBytes, o.seconds));
  if (o.skip_redis) {
    out << "  skipped (--skip-redis)\n" << std::flush;
    return true;
  }
  RedisPeerOptions ro;
  ro.parent_dir = o.dir.string();
  auto peer = RedisPeer::Start(ro);
  if (!peer.ok()) {
    out << "  ! Redis could not start: " << peer.status().ToString()
        << "\n  (install redis-server and redis-benchmark 7, or run with --skip-redis)\n"
        << std::flush;
    return false;
  }
  bool ok = true;
  TextTable t({"XADD, appendfsync always", "requests", "req/s", "p50 us", "p99 us", "max us"});
  for (int clients : {kProducers, 1}) {
    int64_t* requests = clients == 1 ? &run->requests_one : &run->requests_many;
    auto r = TimedXadd(**peer, clients, clients == 1 ? kRedisPilotRequests1 : kRedisPilotRequests64,
                       o.seconds, requests);
    const std::string label = fmt::format("-c {}", clients);
    if (!r.ok()) {
      t.AddRow({label, "FAILED: " + r.status().ToString()});
      ok = false;
      continue;
    }
    t.AddRow({label, Thousands(static_cast<double>(*requests)), Thousands(r->requests_per_second),
              Us(r->p50_latency_ms * 1e3), Us(r->p99_latency_ms * 1e3),
              Us(r->max_latency_ms * 1e3)});
    (clients == 1 ? run->one : run->many) = *r;
  }
  t.Print(out);
  if (Status s = (*peer)->Stop(); !s.ok()) {
    out << "  ! stopping Redis: " << s.ToString() << '\n';
    ok = false;
  }
  out << std::flush;
  return ok;
}

// ---------------------------------------------------------------------------------------------

ClusterFigures::Broker BrokerFigures(const BrokerRun* run) {
  ClusterFigures::Broker b;
  if (run == nullptr || !run->booted) return b;
  b.accept_ms = run->accept_ms;
  b.first_send_us = run->first_send_us;
  if (run->idle_memory) {
    b.idle_rss_bytes = static_cast<double>(run->idle_memory->rss_bytes);
    b.idle_rss_anon_bytes = static_cast<double>(run->idle_memory->rss_anon_bytes);
  }
  if (run->send_many && run->send_many->error.empty()) b.send_rate = run->send_many->rate;
  if (run->e2e.count > 0) {
    b.e2e_p50_us = run->e2e.p50_us();
    b.e2e_p99_us = run->e2e.p99_us();
  }
  if (run->send_one && run->send_one->error.empty() && run->send_one->latency.count > 0) {
    b.send_p50_us = run->send_one->latency.p50_us();
  }
  if (run->broker_cpu_us_per_send && run->bench_cpu_us_per_send) {
    b.cpu_us_per_send = *run->broker_cpu_us_per_send + *run->bench_cpu_us_per_send;
  }
  return b;
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

std::vector<VerdictRow> ClusterVerdicts(const ClusterFigures& f) {
  const Figure sync_rate{"SYNC_FLUSH send rate, 64 producers", f.sync.send_rate, Rate};
  const Figure async_rate{"ASYNC_FLUSH send rate, 64 producers", f.async.send_rate, Rate};
  const Figure store_rate{"store-only SYNC_FLUSH 64 in flight", f.store_sync_rate_64, Rate};
  const Figure redis_rate{"Redis XADD -c 64", f.redis_rate_64, Rate};
  const Figure redis_p50{"Redis XADD -c 1 p50", f.redis_p50_us_1, Micros};
  const Figure loop_p50{"loopback p50", f.loopback_p50_us, Micros};
  const Figure loop_rate{"loopback 64 connections", f.loopback_rate_64, Rate};
  const std::pair<const char*, const ClusterFigures::Broker*> modes[] = {{"SYNC_FLUSH", &f.sync},
                                                                         {"ASYNC_FLUSH", &f.async}};
  std::vector<VerdictRow> rows;
  rows.push_back(Compare(sync_rate, store_rate, 0.60, true));
  rows.push_back(Compare(sync_rate, redis_rate, 1.5, true));
  rows.push_back(Compare(Figure{"SYNC_FLUSH send p50, 1 producer", f.sync.send_p50_us, Micros},
                         redis_p50, 1.2, false));
  rows.push_back(Compare(Figure{"SYNC_FLUSH send p50, 1 producer", f.sync.send_p50_us, Micros},
                         Figure{"raw fdatasync p50", f.fdatasync_p50_us, Micros}, std::nullopt,
                         false));
  rows.push_back(Compare(store_rate,
                         Figure{"ideal group commit N=64", f.ideal_group_commit_64, Rate},
                         std::nullopt, true));
  rows.push_back(Compare(sync_rate, loop_rate, std::nullopt, true));
  rows.push_back(Compare(async_rate, loop_rate, std::nullopt, true));
  rows.push_back(Compare(Figure{"ASYNC_FLUSH send p50, 1 producer", f.async.send_p50_us, Micros},
                         loop_p50, std::nullopt, false));
  for (const auto& [name, b] : modes) {
    rows.push_back(
        Compare(Figure{fmt::format("{} e2e p50 (produce -> consume)", name), b->e2e_p50_us, Micros},
                loop_p50, std::nullopt, false));
    rows.push_back(
        Compare(Figure{fmt::format("{} e2e p99 (produce -> consume)", name), b->e2e_p99_us, Micros},
                loop_p50, std::nullopt, false));
  }
  rows.push_back(Alone(Figure{"loopback ping-pong p50, 1 connection", f.loopback_p50_us, Micros}));
  rows.push_back(Alone(Figure{"loopback ping-pong, 64 connections", f.loopback_rate_64, Rate}));
  rows.push_back(Alone(Figure{"thread hand-off p50", f.handoff_p50_us, Micros}));
  for (const auto& [name, b] : modes) {
    rows.push_back(Alone(Figure{fmt::format("{} CPU per send, broker + bench, 64 producers", name),
                                b->cpu_us_per_send, Micros}));
  }
  for (const auto& [name, b] : modes) {
    rows.push_back(
        UnderLimit(Figure{fmt::format("idle broker RSS ({})", name), b->idle_rss_bytes, Mib},
                   kIdleRssLimitBytes));
    rows.push_back(Alone(Figure{fmt::format("idle broker RSS, anonymous only ({})", name),
                                b->idle_rss_anon_bytes, Mib}));
    rows.push_back(UnderLimit(
        Figure{fmt::format("spawn -> accepting, empty store ({})", name), b->accept_ms, Millis},
        kAcceptLimitMs));
    rows.push_back(
        Compare(Figure{fmt::format("first send on a new store, new producer ({})", name),
                       b->first_send_us, Micros},
                Figure{fmt::format("1-producer send p50 ({})", name), b->send_p50_us, Micros},
                kFirstSendMaxRatio, false));
  }
  return rows;
}

void PrintVerdicts(const std::vector<VerdictRow>& rows, std::ostream& out) {
  TextTable t({"figure", "value", "compared with", "ratio", "target", "result"});
  for (const VerdictRow& r : rows) {
    t.AddRow({r.figure, r.value, r.compared_with, r.ratio, r.target, r.result});
  }
  t.Print(out);
  out << std::flush;
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
  LoopbackResult loopback;
  ok &= RunLoopback(o.seconds, out, &loopback);
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
  std::vector<BrokerRun> brokers;
  for (store::FlushDiskType mode :
       {store::FlushDiskType::kSyncFlush, store::FlushDiskType::kAsyncFlush}) {
    brokers.push_back(RunBroker(o, mode, out));
    if (!brokers.back().failures.empty()) ok = false;
  }
  PrintBrokers(brokers, out);
  figures.sync = BrokerFigures(&brokers[0]);
  figures.async = BrokerFigures(&brokers[1]);

  RedisRun redis;
  ok &= RunRedis(o, out, &redis);
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
