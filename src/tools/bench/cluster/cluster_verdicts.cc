#include "tools/bench/cluster/cluster_verdicts.h"

#include <utility>

#include <fmt/format.h>

#include "tools/bench/report_format.h"

namespace holdfast::tools {

namespace {

constexpr double kIdleRssLimitBytes = 30.0 * 1024 * 1024;
constexpr double kAcceptLimitMs = 100;
// A new store answers its first send within this many times its steady one-producer p50; the first
// send also looks up the new topic's route and connects, which the steady sends do not.
constexpr double kFirstSendMaxRatio = 10;

std::string Rate(double v) { return Thousands(v) + " /s"; }
std::string Micros(double v) { return Us(v) + " us"; }

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

}  // namespace

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

}  // namespace holdfast::tools
