#include "tools/admin/topic_status_command.h"

#include <fmt/format.h>

#include <algorithm>
#include <memory>

#include "remoting/request_code.h"
#include "tools/admin/admin_format.h"
#include "tools/admin/fastjson_keys.h"

namespace holdfast::tools::admin {

namespace {

int64_t NumberOr0(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number_integer() ? it->get<int64_t>() : 0;
}

}  // namespace

Status TopicStatus(AdminContext& ctx, const TopicStatusOptions& options, std::ostream& out) {
  if (options.topic.empty()) return Status::InvalidArgument("topicStatus needs -t topic");
  Result<std::map<std::string, std::string>> masters = ctx.TopicMasterAddrs(options.topic);
  if (!masters.ok()) return masters.status();
  std::vector<MessageQueueEntry> all;
  for (const auto& [name, addr] : *masters) {
    Result<remoting::RemotingCommand> r =
        ctx.CallBroker(addr, remoting::RequestCode::GET_TOPIC_STATS_INFO,
                       {{"topic", options.topic}}, {}, "stats of topic " + options.topic);
    if (!r.ok()) return r.status();
    Result<std::vector<MessageQueueEntry>> table = DecodeOffsetTable(r->body);
    if (!table.ok()) {
      return Status::Corruption("stats of topic " + options.topic + " at broker " + addr + ": " +
                                table.status().message());
    }
    all.insert(all.end(), table->begin(), table->end());
  }
  std::sort(all.begin(), all.end(),
            [](const MessageQueueEntry& a, const MessageQueueEntry& b) { return a.mq < b.mq; });
  out << fmt::format("{:<32}  {:<4}  {:<20}  {:<20}  {}\n", "#Broker Name", "#QID", "#Min Offset",
                     "#Max Offset", "#Last Updated");
  for (const MessageQueueEntry& e : all) {
    const int64_t last = NumberOr0(e.value, "lastUpdateTimestamp");
    out << fmt::format("{:<32}  {:<4}  {:<20}  {:<20}  {}\n", e.mq.broker_name, e.mq.queue_id,
                       NumberOr0(e.value, "minOffset"), NumberOr0(e.value, "maxOffset"),
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
