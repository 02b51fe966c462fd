#include "tools/bench/cluster/loopback_report.h"

#include <fmt/format.h>

#include "tools/bench/cluster/cluster_benchmark.h"
#include "tools/bench/report_format.h"

namespace holdfast::tools::cluster_bench {

namespace {

// About a RocketMQ send response.
constexpr size_t kReplyBytes = 64;

}  // namespace

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

}  // namespace holdfast::tools::cluster_bench
