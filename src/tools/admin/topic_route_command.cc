#include "tools/admin/topic_route_command.h"

#include <memory>
#include <nlohmann/json.hpp>

namespace holdfast::tools::admin {

using nlohmann::json;

Status TopicRoute(AdminContext& ctx, const TopicRouteOptions& options, std::ostream& out) {
  if (options.topic.empty()) return Status::InvalidArgument("topicRoute needs -t topic");
  Result<client::TopicRouteData> route = ctx.GetTopicRoute(options.topic);
  if (!route.ok()) return route.status();
  // nlohmann keeps keys sorted, which is also fastjson's order for these objects.
  json j = json::object();
  j["brokerDatas"] = json::array();
  for (const client::BrokerData& bd : route->broker_datas) {
    json addrs = json::object();
    for (const auto& [id, addr] : bd.broker_addrs) addrs[std::to_string(id)] = addr;
    j["brokerDatas"].push_back(
        {{"brokerAddrs", addrs}, {"brokerName", bd.broker_name}, {"cluster", bd.cluster}});
  }
  j["filterServerTable"] = json::object();
  if (!route->order_topic_conf.value_or("").empty()) j["orderTopicConf"] = *route->order_topic_conf;
  j["queueDatas"] = json::array();
  for (const client::QueueData& q : route->queue_datas) {
    j["queueDatas"].push_back({{"brokerName", q.broker_name},
                               {"perm", q.perm},
                               {"readQueueNums", q.read_queue_nums},
                               {"topicSysFlag", q.topic_sys_flag},
                               {"writeQueueNums", q.write_queue_nums}});
  }
  out << j.dump(1, '\t') << "\n";
  return Status::Ok();
}

AdminCommand AddTopicRouteCommand(CLI::App* admin) {
  auto options = std::make_shared<TopicRouteOptions>();
  CLI::App* app = admin->add_subcommand("topicRoute", "Examine topic route info");
  app->add_option("-t,--topic", options->topic, "topic name")->required();
  return {app, [options](AdminContext& ctx, std::ostream& out) {
            return TopicRoute(ctx, *options, out);
          }};
}

}  // namespace holdfast::tools::admin
