#include "tools/admin/consumer_progress_command.h"

#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <set>

#include "remoting/request_code.h"
#include "tools/admin/admin_format.h"
#include "tools/admin/fastjson_keys.h"

namespace holdfast::tools::admin {

namespace {

constexpr std::string_view kRowFormat = "{:<64}  {:<32}  {:<4}  {:<20}  {:<20}  {:<20}  {}\n";

int64_t NumberOr0(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number_integer() ? it->get<int64_t>() : 0;
}

}  // namespace

Status ConsumerProgress(AdminContext& ctx, const ConsumerProgressOptions& options,
                        std::ostream& out) {
  if (options.group.empty()) return Status::InvalidArgument("consumerProgress needs -g group");
  Result<protocol::ClusterInfo> info = ctx.GetClusterInfo();
  if (!info.ok()) return info.status();
  std::set<std::string> masters;
  for (const auto& [name, data] : info->broker_addr_table) {
    if (auto master = data.MasterAddr()) masters.insert(*master);
  }
  Fields fields = {{"consumerGroup", options.group}};
  if (!options.topic.empty()) fields["topic"] = options.topic;
  std::vector<MessageQueueEntry> all;
  for (const std::string& addr : masters) {
    Result<remoting::RemotingCommand> r =
        ctx.CallBroker(addr, remoting::RequestCode::GET_CONSUME_STATS, fields, {},
                       "consume stats of " + options.group);
    if (!r.ok()) return r.status();
    Result<std::vector<MessageQueueEntry>> table = DecodeOffsetTable(r->body);
    if (!table.ok()) {
      return Status::Corruption("consume stats of " + options.group + " at broker " + addr + ": " +
                                table.status().message());
    }
    all.insert(all.end(), table->begin(), table->end());
  }
  if (all.empty()) {
    return Status::NotFound("consumer group " + options.group +
                            " has no consume offsets on any broker (it has not consumed yet)");
  }
  std::sort(all.begin(), all.end(),
            [](const MessageQueueEntry& a, const MessageQueueEntry& b) { return a.mq < b.mq; });
  out << fmt::format(fmt::runtime(kRowFormat), "#Topic", "#Broker Name", "#QID", "#Broker Offset",
                     "#Consumer Offset", "#Diff", "#LastTime");
  int64_t diff_total = 0;
  for (const MessageQueueEntry& e : all) {
    const int64_t broker_offset = NumberOr0(e.value, "brokerOffset");
    const int64_t consumer_offset = NumberOr0(e.value, "consumerOffset");
    const int64_t diff = broker_offset - consumer_offset;
    const int64_t last = NumberOr0(e.value, "lastTimestamp");
    diff_total += diff;
    out << fmt::format(fmt::runtime(kRowFormat), e.mq.topic, e.mq.broker_name, e.mq.queue_id,
                       broker_offset, consumer_offset, diff,
                       last > 0 ? TimeMillisToHumanString(last) : "N/A");
  }
  out << "\nConsume TPS: 0.00\n";  // the broker does not count consumption rates yet
  out << "Consume Diff Total: " << diff_total << "\n";
  return Status::Ok();
}

AdminCommand AddConsumerProgressCommand(CLI::App* admin) {
  auto options = std::make_shared<ConsumerProgressOptions>();
  CLI::App* app = admin->add_subcommand("consumerProgress", "Query consumers's progress");
  app->add_option("-g,--groupName", options->group, "consumer group name")->required();
  app->add_option("-t,--topicName", options->topic, "topic name");
  return {app, [options](AdminContext& ctx, std::ostream& out) {
            return ConsumerProgress(ctx, *options, out);
          }};
}

}  // namespace holdfast::tools::admin
