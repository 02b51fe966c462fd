#include "tools/admin/topic_status_command.h"

#include <fmt/format.h>

#include <map>
#include <memory>

#include "remoting/protocol/get_topic_stats_info_request_header.h"
#include "remoting/protocol/topic_stats_table.h"
#include "remoting/request_code.h"
#include "tools/admin/admin_format.h"

namespace holdfast::tools::admin {

Status TopicStatus(AdminContext& ctx, const TopicStatusOptions& options, std::ostream& out) {
  if (options.topic.empty()) return Status::InvalidArgument("topicStatus needs -t topic");
  Result<std::map<std::string, std::string>> masters = ctx.TopicMasterAddrs(options.topic);
  if (!masters.ok()) return masters.status();
  std::map<MessageQueue, protocol::TopicOffset> all;  // sorted by queue
  for (const auto& [name, addr] : *masters) {
    Result<remoting::RemotingCommand> r =
        ctx.CallBroker(addr, remoting::RequestCode::GET_TOPIC_STATS_INFO,
                       HeaderFields(protocol::GetTopicStatsInfoRequestHeader{options.topic}), {},
                       "stats of topic " + options.topic);
    if (!r.ok()) return r.status();
    Result<protocol::TopicStatsTable> table = protocol::DecodeTopicStatsTable(r->body);
    if (!table.ok()) {
      return Status::Corruption("stats of topic " + options.topic + " at broker " + addr + ": " +
                                table.status().message());
    }
    all.merge(table->offset_table);
  }
  out << fmt::format("{:<32}  {:<4}  {:<20}  {:<20}  {}\n", "#Broker Name", "#QID", "#Min Offset",
                     "#Max Offset", "#Last Updated");
  for (const auto& [mq, offset] : all) {
    const int64_t last = offset.last_update_timestamp;
    out << fmt::format("{:<32}  {:<4}  {:<20}  {:<20}  {}\n", mq.broker_name, mq.queue_id,
                       offset.min_offset, offset.max_offset,
                       last > 0 ? TimeMillisToHumanString(last) : "");
  }
  return Status::Ok();
}

AdminCommand AddTopicStatusCommand(CLI::App* admin) {
  auto options = std::make_shared<TopicStatusOptions>();
  CLI::App* app = admin->add_subcommand("topicStatus", "Examine topic Status info");
  app->add_option("-t,--topic", options->topic, "topic name")->required();
  return {app, [options](AdminContext& ctx, std::ostream& out) {
            return TopicStatus(ctx, *options, out);
          }};
}

}  // namespace holdfast::tools::admin
