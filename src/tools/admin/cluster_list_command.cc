#include "tools/admin/cluster_list_command.h"

#include <fmt/format.h>

#include <cstdlib>
#include <memory>

#include "common/clock.h"
#include "tools/admin/broker_status_command.h"

namespace holdfast::tools::admin {

namespace {

constexpr std::string_view kRowFormat =
    "{:<16}  {:<22}  {:<4}  {:<22} {:<16} {:>19} {:>19} {:>10} {:>5} {:>6}\n";

double DoubleOr0(const std::map<std::string, std::string>& table, const std::string& key) {
  auto it = table.find(key);
  return it == table.end() ? 0.0 : std::strtod(it->second.c_str(), nullptr);
}

// "putTps" and "getTransferredTps" are "tps tps tps" (10 s, 1 min, 10 min): the first counts.
std::string Tps(const std::map<std::string, std::string>& table, const std::string& key) {
  return fmt::format("{:.2f}", DoubleOr0(table, key));
}

}  // namespace

Status ClusterList(AdminContext& ctx, const ClusterListOptions& options, std::ostream& out) {
  Result<protocol::ClusterInfo> info = ctx.GetClusterInfo();
  if (!info.ok()) return info.status();
  if (!options.cluster.empty() && !info->cluster_addr_table.contains(options.cluster)) {
    return Status::NotFound("cluster " + options.cluster + " is not known to the name server");
  }
  out << fmt::format(fmt::runtime(kRowFormat), "#Cluster Name", "#Broker Name", "#BID", "#Addr",
                     "#Version", "#InTPS(LOAD)", "#OutTPS(LOAD)", "#PCWait(ms)", "#Hour", "#SPACE");
  for (const auto& [cluster, names] : info->cluster_addr_table) {
    if (!options.cluster.empty() && cluster != options.cluster) continue;
    for (const std::string& name : names) {
      auto data = info->broker_addr_table.find(name);
      if (data == info->broker_addr_table.end()) continue;
      for (const auto& [id, addr] : data->second.broker_addrs) {
        auto table = FetchBrokerRuntimeInfo(ctx, addr);
        if (!table.ok()) {
          out << fmt::format(fmt::runtime(kRowFormat), cluster, name, id, addr, "-", "-", "-", "-",
                             "-", "-");
          continue;
        }
        const double earliest = DoubleOr0(*table, "earliestMessageTimeStamp");
        const double hours =
            earliest > 0 ? (static_cast<double>(NowMillis()) - earliest) / 3600000.0 : 0.0;
        auto version = table->find("brokerVersionDesc");
        out << fmt::format(fmt::runtime(kRowFormat), cluster, name, id, addr,
                           version == table->end() ? "" : version->second, Tps(*table, "putTps"),
                           Tps(*table, "getTransferredTps"),
                           fmt::format("{:.0f}", DoubleOr0(*table, "pageCacheLockTimeMills")),
                           fmt::format("{:.2f}", hours),
                           fmt::format("{:.4f}", DoubleOr0(*table, "commitLogDiskRatio")));
      }
    }
  }
  return Status::Ok();
}

AdminCommand AddClusterListCommand(CLI::App* admin) {
  auto options = std::make_shared<ClusterListOptions>();
  CLI::App* app = admin->add_subcommand("clusterList", "List cluster infos");
  app->add_option("-c,--clusterName", options->cluster, "which cluster");
  return {app, [options](AdminContext& ctx, std::ostream& out) {
            return ClusterList(ctx, *options, out);
          }};
}

}  // namespace holdfast::tools::admin
