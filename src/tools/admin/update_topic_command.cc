#include "tools/admin/update_topic_command.h"

#include <fmt/format.h>

#include <map>
#include <memory>

#include "remoting/protocol/create_topic_request_header.h"
#include "remoting/protocol/perm_name.h"
#include "remoting/protocol/put_kv_config_request_header.h"
#include "remoting/request_code.h"

namespace holdfast::tools::admin {

using remoting::RequestCode;

Status UpdateTopic(AdminContext& ctx, const UpdateTopicOptions& options, std::ostream& out) {
  if (options.topic.empty()) return Status::InvalidArgument("updateTopic needs -t topic");
  if (options.broker_addr.empty() == options.cluster.empty()) {
    return Status::InvalidArgument("updateTopic needs either -b brokerAddr or -c clusterName");
  }
  std::map<std::string, std::string> targets;  // broker name (when known) -> address
  if (!options.broker_addr.empty()) {
    targets[""] = options.broker_addr;
  } else {
    Result<protocol::ClusterInfo> info = ctx.GetClusterInfo();
    if (!info.ok()) return info.status();
    Result<std::map<std::string, std::string>> masters = info->MasterAddrs(options.cluster);
    if (!masters.ok()) return masters.status();
    if (masters->empty()) {
      return Status::NotFound("cluster " + options.cluster + " has no live master broker");
    }
    targets = *std::move(masters);
  }
  const Fields fields = HeaderFields(protocol::CreateTopicRequestHeader{
      .topic = options.topic,
      .default_topic = "TBW102",
      .read_queue_nums = options.read_queue_nums,
      .write_queue_nums = options.write_queue_nums,
      .perm = options.perm,
      .topic_filter_type = "SINGLE_TAG",
      .topic_sys_flag = 0,
      .order = options.order,
  });
  for (const auto& [name, addr] : targets) {
    Result<remoting::RemotingCommand> r = ctx.CallBroker(
        addr, RequestCode::UPDATE_AND_CREATE_TOPIC, fields, {}, "create topic " + options.topic);
    if (!r.ok()) return r.status();
    out << "create topic to " << addr << " success.\n";
  }
  if (options.order && !options.cluster.empty()) {
    std::string order_conf;
    for (const auto& [name, addr] : targets) {
      if (!order_conf.empty()) order_conf += ';';
      order_conf += name + ':' + std::to_string(options.write_queue_nums);
    }
    Result<remoting::RemotingCommand> r =
        ctx.CallNameServer(RequestCode::PUT_KV_CONFIG,
                           HeaderFields(protocol::PutKVConfigRequestHeader{
                               "ORDER_TOPIC_CONFIG", options.topic, order_conf}),
                           "set orderConf of " + options.topic);
    if (!r.ok()) return r.status();
    out << "set cluster orderConf. isOrder=true, orderConf=[" << order_conf << "]\n";
  }
  out << fmt::format(
      "TopicConfig [topicName={}, readQueueNums={}, writeQueueNums={}, perm={}, "
      "topicFilterType=SINGLE_TAG, topicSysFlag=0, order={}]\n",
      options.topic, options.read_queue_nums, options.write_queue_nums,
      protocol::PermToString(options.perm), options.order);
  return Status::Ok();
}

AdminCommand AddUpdateTopicCommand(CLI::App* admin) {
  auto options = std::make_shared<UpdateTopicOptions>();
  CLI::App* app = admin->add_subcommand("updateTopic", "Update or create topic");
  app->add_option("-t,--topic", options->topic, "topic name")->required();
  app->add_option("-b,--brokerAddr", options->broker_addr, "create topic to which broker");
  app->add_option("-c,--clusterName", options->cluster, "create topic to which cluster");
  app->add_option("-r,--readQueueNums", options->read_queue_nums, "set read queue nums")
      ->capture_default_str()
      ->check(CLI::Range(1, 1024));
  app->add_option("-w,--writeQueueNums", options->write_queue_nums, "set write queue nums")
      ->capture_default_str()
      ->check(CLI::Range(1, 1024));
  app->add_option("-p,--perm", options->perm, "set topic's permission(2|4|6), intro[2:W 4:R; 6:RW]")
      ->capture_default_str()
      ->check(CLI::IsMember({2, 4, 6}));
  app->add_option("-o,--order", options->order, "set topic's order(true|false)")
      ->capture_default_str();
  return {app, [options](AdminContext& ctx, std::ostream& out) {
            return UpdateTopic(ctx, *options, out);
          }};
}

}  // namespace holdfast::tools::admin
