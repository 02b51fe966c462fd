#include "tools/admin/update_sub_group_command.h"

#include <memory>

#include "remoting/request_code.h"

namespace holdfast::tools::admin {

Status UpdateSubGroup(AdminContext& ctx, const UpdateSubGroupOptions& options, std::ostream& out) {
  if (options.config.group_name.empty()) {
    return Status::InvalidArgument("updateSubGroup needs -g groupName");
  }
  if (options.broker_addr.empty() == options.cluster.empty()) {
    return Status::InvalidArgument("updateSubGroup needs either -b brokerAddr or -c clusterName");
  }
  std::vector<std::string> addrs;
  if (!options.broker_addr.empty()) {
    addrs.push_back(options.broker_addr);
  } else {
    Result<protocol::ClusterInfo> info = ctx.GetClusterInfo();
    if (!info.ok()) return info.status();
    Result<std::map<std::string, std::string>> masters = info->MasterAddrs(options.cluster);
    if (!masters.ok()) return masters.status();
    for (const auto& [name, addr] : *masters) addrs.push_back(addr);
  }
  const std::string body = protocol::EncodeSubscriptionGroupConfig(options.config);
  for (const std::string& addr : addrs) {
    Result<remoting::RemotingCommand> r =
        ctx.CallBroker(addr, remoting::RequestCode::UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, {}, body,
                       "create subscription group " + options.config.group_name);
    if (!r.ok()) return r.status();
    out << "create subscription group to " << addr << " success.\n";
  }
  out << body << "\n";
  return Status::Ok();
}

AdminCommand AddUpdateSubGroupCommand(CLI::App* admin) {
  auto options = std::make_shared<UpdateSubGroupOptions>();
  protocol::SubscriptionGroupConfig& c = options->config;
  CLI::App* app = admin->add_subcommand("updateSubGroup", "Update or create subscription group");
  app->add_option("-g,--groupName", c.group_name, "consumer group name")->required();
  app->add_option("-b,--brokerAddr", options->broker_addr,
                  "create subscription group to which broker");
  app->add_option("-c,--clusterName", options->cluster,
                  "create subscription group to which cluster");
  app->add_option("-s,--consumeEnable", c.consume_enable, "consume enable")->capture_default_str();
  app->add_option("-m,--consumeFromMinEnable", c.consume_from_min_enable, "from min offset")
      ->capture_default_str();
  app->add_option("-d,--consumeBroadcastEnable", c.consume_broadcast_enable, "broadcast")
      ->capture_default_str();
  app->add_option("-o,--consumeMessageOrderly", c.consume_message_orderly, "consume orderly")
      ->capture_default_str();
  app->add_option("-q,--retryQueueNums", c.retry_queue_nums, "retry queue nums")
      ->capture_default_str()
      ->check(CLI::Range(0, 1024));
  app->add_option("-r,--retryMaxTimes", c.retry_max_times, "retry max times")
      ->capture_default_str()
      ->check(CLI::Range(-1, 1000));
  app->add_option("-i,--brokerId", c.broker_id, "consumer from which broker id")
      ->capture_default_str();
  app->add_option("-w,--whichBrokerWhenConsumeSlowly", c.which_broker_when_consume_slowly,
                  "which broker id when consume slowly")
      ->capture_default_str();
  app->add_option("-a,--notifyConsumerIdsChanged", c.notify_consumer_ids_changed_enable,
                  "notify consumerId changed")
      ->capture_default_str();
  return {app, [options](AdminContext& ctx, std::ostream& out) {
            return UpdateSubGroup(ctx, *options, out);
          }};
}

}  // namespace holdfast::tools::admin
