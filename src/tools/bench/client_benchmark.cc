#include "tools/bench/client_benchmark.h"

#include <fmt/format.h>

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <sstream>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "holdfast/producer.h"
#include "holdfast/push_consumer.h"
#include "tools/bench/report_format.h"
#include "tools/bench/throughput_meter.h"

namespace holdfast::tools {
namespace {

using Clock = std::chrono::steady_clock;

// At most `limit` sends outstanding for one async sender thread.
class Window {
 public:
  explicit Window(int limit) : limit_(limit) {}
  void Acquire() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return outstanding_ < limit_; });
    ++outstanding_;
  }
  void Release() {
    std::lock_guard<std::mutex> lock(mu_);
    --outstanding_;
    cv_.notify_all();
  }
  void Drain() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return outstanding_ == 0; });
  }

 private:
  const int limit_;
  std::mutex mu_;
  std::condition_variable cv_;
  int outstanding_ = 0;
};

void SendLoop(Producer& producer, const ProduceBenchmarkOptions& o, int thread,
              Clock::time_point end, ThroughputMeter& meter) {
  MQMessage msg;
  msg.topic = o.topic;
  msg.body.assign(static_cast<size_t>(o.size), static_cast<char>('a' + thread % 26));
  Window window(o.async_window);
  while (Clock::now() < end) {
    msg.properties[kSendNanosProperty] = std::to_string(WallClockNanos());
    const Clock::time_point t0 = Clock::now();
    switch (o.mode) {
      case SendMode::kSync: {
        Result<SendResult> r = producer.Send(msg);
        if (r.ok() && r->send_status == SendStatus::kSendOk) {
          meter.Success(Clock::now() - t0);
        } else {
          meter.Failure();
        }
        break;
      }
      case SendMode::kAsync:
        window.Acquire();
        producer.SendAsync(msg, [&meter, &window, t0](Result<SendResult> r) {
          if (r.ok() && r->send_status == SendStatus::kSendOk) {
            meter.Success(Clock::now() - t0);
          } else {
            meter.Failure();
          }
          window.Release();
        });
        break;
      case SendMode::kOneway:
        if (producer.SendOneway(msg).ok()) {
          meter.Success(Clock::now() - t0);
        } else {
          meter.Failure();
        }
        break;
    }
  }
  window.Drain();
}

ClientBenchmarkResult Failed(std::string error) {
  ClientBenchmarkResult r;
  r.error = std::move(error);
  return r;
}

ClientBenchmarkResult Finish(ThroughputMeter& meter) {
  meter.StopReporting();
  ClientBenchmarkResult r;
  r.rate = meter.Rate();
  r.successes = meter.successes();
  r.failures = meter.failures();
  r.latency = meter.Summary();
  return r;
}

}  // namespace

int64_t WallClockNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::chrono::nanoseconds EndToEndLatency(const MQMessageExt& m, int64_t now_ns) {
  auto sent = m.properties.find(kSendNanosProperty);
  const int64_t latency_ns = sent != m.properties.end() ? now_ns - std::atoll(sent->second.c_str())
                                                        : now_ns - m.born_timestamp * 1'000'000;
  return std::chrono::nanoseconds(std::max<int64_t>(0, latency_ns));
}

ClientBenchmarkResult RunProduceBenchmark(const ProduceBenchmarkOptions& o, std::ostream& out) {
  ProducerOptions po;
  po.group = "benchmark_producer";
  po.client.namesrv_addr = o.namesrv_addr;
  po.client.instance_name = fmt::format("bench-producer-{}", NowMillis());
  Producer producer(po);
  if (Status s = producer.Start(); !s.ok()) return Failed("producer: " + s.ToString());
  // One send first, so the topic exists (auto-create) before the clock starts.
  MQMessage first;
  first.topic = o.topic;
  first.body.assign(static_cast<size_t>(o.size), 'w');
  if (Result<SendResult> r = producer.Send(first); !r.ok()) {
    return Failed("first send: " + r.status().ToString());
  }
  std::ostringstream discard;
  ThroughputMeter meter("Send", o.quiet ? static_cast<std::ostream&>(discard) : out);
  meter.StartReporting();
  const Clock::time_point end = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                                   std::chrono::duration<double>(o.seconds));
  std::vector<std::thread> threads;
  for (int t = 0; t < o.threads; ++t) {
    threads.emplace_back([&, t] { SendLoop(producer, o, t, end, meter); });
  }
  for (std::thread& t : threads) t.join();
  ClientBenchmarkResult r = Finish(meter);
  producer.Shutdown();
  return r;
}

ClientBenchmarkResult RunConsumeBenchmark(const ConsumeBenchmarkOptions& o, std::ostream& out) {
  std::ostringstream discard;
  ThroughputMeter meter("Consume", o.quiet ? static_cast<std::ostream&>(discard) : out);
  PushConsumerOptions co;
  co.group = o.group;
  co.client.namesrv_addr = o.namesrv_addr;
  co.client.instance_name = fmt::format("bench-consumer-{}", NowMillis());
  co.consume_from_where = o.from_first ? ConsumeFromWhere::kConsumeFromFirstOffset
                                       : ConsumeFromWhere::kConsumeFromLastOffset;
  co.consume_message_batch_max_size = 1;
  PushConsumer consumer(co);
  if (Status s = consumer.Subscribe(o.topic, "*"); !s.ok()) {
    return Failed("subscribe: " + s.ToString());
  }
  consumer.RegisterMessageListener([&meter](const std::vector<MQMessageExt>& msgs) {
    const int64_t now_ns = WallClockNanos();
    for (const MQMessageExt& m : msgs) meter.Success(EndToEndLatency(m, now_ns));
    return ConsumeStatus::kConsumeSuccess;
  });
  meter.StartReporting();
  if (Status s = consumer.Start(); !s.ok()) return Failed("consumer: " + s.ToString());
  std::this_thread::sleep_for(std::chrono::duration<double>(o.seconds));  // the measured period
  ClientBenchmarkResult r = Finish(meter);
  consumer.Shutdown();
  return r;
}

void PrintClientBenchmarkSummary(const std::string& what, const ClientBenchmarkResult& r,
                                 std::ostream& out) {
  if (!r.error.empty()) {
    out << what << ": could not run: " << r.error << "\n";
    return;
  }
  out << fmt::format(
      "{}: {} ops/s, {} ok, {} failed; latency p50 {} us, p99 {} us, p99.9 {} us, max {} us\n",
      what, Thousands(r.rate), Thousands(static_cast<double>(r.successes)),
      Thousands(static_cast<double>(r.failures)), Us(r.latency.p50_us()), Us(r.latency.p99_us()),
      Us(r.latency.p999_us()), Us(r.latency.max_us()));
}

}  // namespace holdfast::tools
