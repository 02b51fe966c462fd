// The end-to-end latency: a push consumer in this process subscribes to the broker's new topic
// (created by one send beforehand) and consumes from the first offset. Warm-up sends follow until
// the consumer has received one, so that its rebalance is done before the clock starts. Then the
// 64 producer threads of RunProduceBenchmark send for `seconds`, each message stamped with the
// wall clock (kSendNanosProperty); the consumer records now - stamp for the stamped messages sent
// in the measured period, and after the producers stop it gets a bounded time to catch up.
#include "tools/bench/cluster/broker_run.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <thread>
#include <utility>

#include <fmt/format.h>

#include "holdfast/producer.h"
#include "holdfast/push_consumer.h"
#include "tools/bench/cluster/end_to_end_recorder.h"
#include "tools/bench/report_format.h"
#include "tools/bench/store/store_benchmark_options.h"

namespace holdfast::tools::cluster_bench {

namespace {

using Clock = std::chrono::steady_clock;

constexpr auto kConsumerReadyTimeout = std::chrono::seconds(30);
constexpr auto kWarmupSendInterval = std::chrono::milliseconds(20);

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

}  // namespace

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

}  // namespace holdfast::tools::cluster_bench
