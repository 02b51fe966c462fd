#include "tools/bench/cluster/redis_run.h"

#include <algorithm>
#include <string>

#include <fmt/format.h>

#include "tools/bench/report_format.h"

namespace holdfast::tools::cluster_bench {

namespace {

// Redis: a short pilot run sizes the measured run to about `seconds`.
constexpr int64_t kRedisPilotRequests64 = 2000;
constexpr int64_t kRedisPilotRequests1 = 200;
constexpr int64_t kRedisMinRequests = 200;
constexpr int64_t kRedisMaxRequests = 20'000'000;

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

}  // namespace

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

}  // namespace holdfast::tools::cluster_bench
