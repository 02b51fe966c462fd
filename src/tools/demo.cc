#include "tools/demo.h"

#include <fmt/format.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>

#include "holdfast/producer.h"
#include "holdfast/push_consumer.h"
#include "tools/latency_recorder.h"

namespace holdfast::tools {
namespace {

using Clock = std::chrono::steady_clock;

// Messages of this run, by key, and which of them the consumer has seen.
class Tally {
 public:
  void Expect(const std::string& key, const std::string& body) {
    std::lock_guard<std::mutex> lock(mu_);
    expected_[key] = body;
  }
  void Arrived(const MQMessageExt& m) {
    std::lock_guard<std::mutex> lock(mu_);
    if (m.keys.empty()) return;
    auto it = expected_.find(m.keys.front());
    if (it == expected_.end()) return;  // from an earlier run
    if (it->second != m.body) {
      ++wrong_body_;
    } else if (!arrived_.emplace(it->first, true).second) {
      ++duplicates_;
    }
    cv_.notify_all();
  }
  // A send refused with an answer stored nothing: it is not waited for.
  void Unexpect(const std::string& key) {
    std::lock_guard<std::mutex> lock(mu_);
    expected_.erase(key);
    cv_.notify_all();
  }
  // Waits until everything expected arrived or the deadline passes.
  bool WaitAll(Clock::time_point deadline) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_until(lock, deadline, [&] { return arrived_.size() == expected_.size(); });
  }
  bool Seen(const std::string& key) const {
    std::lock_guard<std::mutex> lock(mu_);
    return arrived_.count(key) > 0;
  }
  size_t arrived() const {
    std::lock_guard<std::mutex> lock(mu_);
    return arrived_.size();
  }
  int duplicates() const {
    std::lock_guard<std::mutex> lock(mu_);
    return duplicates_;
  }
  int wrong_body() const {
    std::lock_guard<std::mutex> lock(mu_);
    return wrong_body_;
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, std::string> expected_;
  std::map<std::string, bool> arrived_;
  int duplicates_ = 0;
  int wrong_body_ = 0;
};

}  // namespace

int RunDemo(const DemoOptions& o, std::ostream& out) {
  const auto run = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  Tally tally;

  PushConsumerOptions co;
  co.group = o.group;
  co.client.namesrv_addr = o.namesrv_addr;
  co.client.instance_name = fmt::format("demo-consumer-{}", run);
  co.consume_from_where = ConsumeFromWhere::kConsumeFromFirstOffset;
  PushConsumer consumer(co);
  consumer.RegisterMessageListener([&tally](const std::vector<MQMessageExt>& msgs) {
    for (const MQMessageExt& m : msgs) tally.Arrived(m);
    return ConsumeStatus::kConsumeSuccess;
  });

  ProducerOptions po;
  po.group = "holdfast_demo_producer";
  po.client.namesrv_addr = o.namesrv_addr;
  po.client.instance_name = fmt::format("demo-producer-{}", run);
  Producer producer(po);
  if (Status s = producer.Start(); !s.ok()) {
    out << "demo: producer: " << s.ToString() << "\n";
    return 1;
  }
  out << fmt::format("demo: sending {} messages to topic {} via name server {}\n", o.count, o.topic,
                     o.namesrv_addr);
  const auto t0 = Clock::now();
  int sent = 0;
  std::vector<std::string> timed_out;  // keys of sends that ended without an answer
  std::chrono::nanoseconds first_send{0};
  bool first_send_ok = false;
  LatencyRecorder later_sends;  // every send after the first
  for (int i = 0; i < o.count; ++i) {
    MQMessage m;
    m.topic = o.topic;
    m.tags = "demo";
    m.keys = {fmt::format("demo-{}-{}", run, i)};
    m.body = fmt::format("Hello Holdfast #{} of run {}", i, run);
    tally.Expect(m.keys.front(), m.body);
    const auto sent_at = Clock::now();
    Result<SendResult> r = producer.Send(m);
    const auto took = Clock::now() - sent_at;
    if (i == 0) {
      first_send = took;
      first_send_ok = r.ok();
    } else {
      later_sends.Record(took);
    }
    if (!r.ok()) {
      out << fmt::format("demo: send #{} failed: {}\n", i, r.status().ToString());
      if (r.status().code() == Status::Code::kTimeout) {
        // No answer is not a refusal: the broker may have stored it (RocketMQ's producer says
        // the same by throwing, not by a send status). Retrying could store it twice.
        out << "demo:   a send that timed out may still have been stored; the consumer will "
               "tell\n";
        timed_out.push_back(m.keys.front());
      } else {
        tally.Unexpect(m.keys.front());
      }
      continue;
    }
    ++sent;
    if (i < 3 || i == o.count - 1) {
      out << fmt::format("  #{} {} msgId={} queue={} offset={}\n", i,
                         SendStatusName(r->send_status), r->msg_id, r->message_queue.queue_id,
                         r->queue_offset);
    } else if (i == 3) {
      out << "  ...\n";
    }
  }
  const double send_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  out << fmt::format("demo: {} of {} sent in {:.0f} ms (sync send, SEND_OK after fdatasync)\n",
                     sent, o.count, send_ms);
  const LatencySummary later = later_sends.Summarize();
  out << fmt::format(
      "demo: first send {} in {:.2f} ms; the {} after it: p50 {:.2f} ms, max {:.2f} ms\n",
      first_send_ok ? "answered" : "failed",
      std::chrono::duration<double, std::milli>(first_send).count(), later.count,
      later.p50_us() / 1e3, later.max_us() / 1e3);

  // The group consumes from its committed offset, or from the first message when it has none;
  // messages of earlier runs are recognised by their keys and ignored.
  if (Status s = consumer.Subscribe(o.topic, "*"); !s.ok()) {
    out << "demo: subscribe: " << s.ToString() << "\n";
    return 1;
  }
  if (Status s = consumer.Start(); !s.ok()) {
    out << "demo: consumer: " << s.ToString() << "\n";
    return 1;
  }
  const bool all = tally.WaitAll(Clock::now() + o.timeout);
  const double total_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  consumer.Shutdown();
  producer.Shutdown();
  if (all && sent == o.count && tally.wrong_body() == 0) {
    out << fmt::format(
        "demo: every message arrived: {} of {} consumed in group {} with exact bodies, {} "
        "duplicates, {:.0f} ms from first send\n",
        tally.arrived(), o.count, o.group, tally.duplicates(), total_ms);
    return 0;
  }
  out << fmt::format(
      "demo: FAILED: {} sent, {} of {} consumed, {} with a wrong body, after {:.0f} ms\n", sent,
      tally.arrived(), o.count, tally.wrong_body(), total_ms);
  if (!timed_out.empty()) {
    size_t stored = 0;
    for (const std::string& key : timed_out) stored += tally.Seen(key) ? 1 : 0;
    out << fmt::format(
        "demo: {} of the {} sends that timed out were stored all the same (docs/durability.md: "
        "a timeout means the answer is unknown, not that the message is lost)\n",
        stored, timed_out.size());
  }
  return 1;
}

}  // namespace holdfast::tools
