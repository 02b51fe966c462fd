// holdfast_redis_peer: prints redis-benchmark's XADD figures against a private fsync-always
// redis-server, the reference point next to the broker's benchmark. Usage:
//   holdfast_redis_peer [-c clients]... [-n requests] [-d value_bytes] [--dir dir]
#include <CLI/CLI.hpp>
#include <cstdio>
#include <vector>

#include "tools/limits/redis_peer.h"

int main(int argc, char** argv) {
  CLI::App app{"XADD of 1 KiB values against redis-server --appendfsync always"};
  std::vector<int> clients{64, 1};
  holdfast::tools::RedisXaddOptions options;
  app.add_option("-c,--clients", clients, "client counts to run, one benchmark each");
  app.add_option("-n,--requests", options.requests, "requests per benchmark");
  app.add_option("-d,--value-bytes", options.value_bytes, "XADD value size");
  holdfast::tools::RedisPeerOptions peer_options;
  app.add_option("--dir", peer_options.parent_dir,
                 "where redis-server's directory goes: the disk under test (default $TMPDIR)");
  CLI11_PARSE(app, argc, argv);

  auto peer = holdfast::tools::RedisPeer::Start(peer_options);
  if (!peer.ok()) {
    std::fprintf(stderr, "%s\n", peer.status().ToString().c_str());
    return 1;
  }
  for (int c : clients) {
    options.clients = c;
    auto r = (*peer)->RunXadd(options);
    if (!r.ok()) {
      std::fprintf(stderr, "-c %d: %s\n", c, r.status().ToString().c_str());
      return 1;
    }
    std::printf(
        "redis XADD %zu B, appendfsync always, -c %d -n %lld: %.0f req/s, p50 %.3f ms, "
        "p99 %.3f ms\n",
        options.value_bytes, c, static_cast<long long>(options.requests), r->requests_per_second,
        r->p50_latency_ms, r->p99_latency_ms);
  }
  return (*peer)->Stop().ok() ? 0 : 1;
}
