#include "tools/admin/delete_topic_command.h"

#include <memory>

#include "remoting/protocol/delete_topic_from_namesrv_request_header.h"
#include "remoting/protocol/delete_topic_request_header.h"
#include "remoting/request_code.h"

namespace holdfast::tools::admin {

using remoting::RequestCode;

Status DeleteTopic(AdminContext& ctx, const DeleteTopicOptions& options, std::ostream& out) {
  if (options.topic.empty() || options.cluster.empty()) {
    return Status::InvalidArgument("deleteTopic needs -t topic and -c clusterName");
  }
  // An unknown topic is an error the user should see, not a silent success.
  if (Result<client::TopicRouteData> route = ctx.GetTopicRoute(options.topic); !route.ok()) {
    return route.status();
  }
  Result<protocol::ClusterInfo> info = ctx.GetClusterInfo();
  if (!info.ok()) return info.status();
  Result<std::map<std::string, std::string>> masters = info->MasterAddrs(options.cluster);
  if (!masters.ok()) return masters.status();
  for (const auto& [name, addr] : *masters) {
    Result<remoting::RemotingCommand> r =
        ctx.CallBroker(addr, RequestCode::DELETE_TOPIC_IN_BROKER,
                       HeaderFields(protocol::DeleteTopicRequestHeader{options.topic}), {},
                       "delete topic " + options.topic);
    if (!r.ok()) return r.status();
  }
  out << "delete topic [" << options.topic << "] from cluster [" << options.cluster
      << "] success.\n";
  // Every name server, not only the first that answers: each keeps its own route table.
  for (const std::string& addr : ctx.namesrv_addrs()) {
    Result<remoting::RemotingCommand> r = ctx.CallNameServerAt(
        addr, RequestCode::DELETE_TOPIC_IN_NAMESRV,
        HeaderFields(protocol::DeleteTopicFromNamesrvRequestHeader{options.topic, options.cluster}),
        "delete topic " + options.topic);
    if (!r.ok()) return r.status();
  }
  out << "delete topic [" << options.topic << "] from NameServer success.\n";
  return Status::Ok();
}

AdminCommand AddDeleteTopicCommand(CLI::App* admin) {
  auto options = std::make_shared<DeleteTopicOptions>();
  CLI::App* app = admin->add_subcommand("deleteTopic", "Delete topic from broker and NameServer.");
  app->add_option("-t,--topic", options->topic, "topic name")->required();
  app->add_option("-c,--clusterName", options->cluster, "delete topic from which cluster")
      ->required();
  return {app, [options](AdminContext& ctx, std::ostream& out) {
            return DeleteTopic(ctx, *options, out);
          }};
}

}  // namespace holdfast::tools::admin
