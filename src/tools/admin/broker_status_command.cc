#include "tools/admin/broker_status_command.h"

#include <fmt/format.h>

#include <memory>

#include "remoting/protocol/kv_table.h"
#include "remoting/request_code.h"
#include "tools/admin/dlq_depth.h"

namespace holdfast::tools::admin {

Result<std::map<std::string, std::string>> FetchBrokerRuntimeInfo(AdminContext& ctx,
                                                                  const std::string& addr) {
  Result<remoting::RemotingCommand> r =
      ctx.CallBroker(addr, remoting::RequestCode::GET_BROKER_RUNTIME_INFO, {}, {}, "runtime info");
  if (!r.ok()) return r.status();
  Result<protocol::KVTable> table = protocol::DecodeKvTable(r->body);
  if (!table.ok()) {
    return Status::Corruption("runtime info at broker " + addr + ": " + table.status().message());
  }
  return std::move(table->table);
}

namespace {

// The runtime info of the broker at `addr` with, for every group with a DLQ there,
// dlqDepth_<group> and dlqResent_<group>.
Result<std::map<std::string, std::string>> StatusTable(AdminContext& ctx, const std::string& addr) {
  auto table = FetchBrokerRuntimeInfo(ctx, addr);
  if (!table.ok()) return table.status();
  Result<std::map<std::string, DlqDepth>> dlqs = DlqDepthsAt(ctx, addr);
  if (!dlqs.ok()) return dlqs.status();
  for (const auto& [group, dlq] : *dlqs) {
    (*table)["dlqDepth_" + group] = std::to_string(dlq.depth);
    (*table)["dlqResent_" + group] = std::to_string(dlq.resent);
  }
  return table;
}

}  // namespace

Status BrokerStatus(AdminContext& ctx, const BrokerStatusOptions& options, std::ostream& out) {
  if (options.broker_addr.empty() == options.cluster.empty()) {
    return Status::InvalidArgument("brokerStatus needs either -b brokerAddr or -c clusterName");
  }
  if (!options.broker_addr.empty()) {
    auto table = StatusTable(ctx, options.broker_addr);
    if (!table.ok()) return table.status();
    for (const auto& [k, v] : *table) out << fmt::format("{:<32}: {}\n", k, v);
    return Status::Ok();
  }
  Result<protocol::ClusterInfo> info = ctx.GetClusterInfo();
  if (!info.ok()) return info.status();
  auto names = info->cluster_addr_table.find(options.cluster);
  if (names == info->cluster_addr_table.end()) {
    return Status::NotFound("cluster " + options.cluster + " is not known to the name server");
  }
  for (const std::string& name : names->second) {
    auto data = info->broker_addr_table.find(name);
    if (data == info->broker_addr_table.end()) continue;
    for (const auto& [id, addr] : data->second.broker_addrs) {
      auto table = StatusTable(ctx, addr);
      if (!table.ok()) return table.status();
      for (const auto& [k, v] : *table) out << fmt::format("{:<24} {:<32}: {}\n", addr, k, v);
    }
  }
  return Status::Ok();
}

AdminCommand AddBrokerStatusCommand(CLI::App* admin) {
  auto options = std::make_shared<BrokerStatusOptions>();
  CLI::App* app = admin->add_subcommand("brokerStatus", "Fetch broker runtime status data");
  app->add_option("-b,--brokerAddr", options->broker_addr, "Broker address");
  app->add_option("-c,--clusterName", options->cluster, "which cluster");
  return {app, [options](AdminContext& ctx, std::ostream& out) {
            return BrokerStatus(ctx, *options, out);
          }};
}

}  // namespace holdfast::tools::admin
