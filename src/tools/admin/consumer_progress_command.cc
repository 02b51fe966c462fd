#include "tools/admin/consumer_progress_command.h"

#include <fmt/format.h>

#include <map>
#include <memory>

#include "remoting/protocol/consume_stats.h"
#include "remoting/protocol/get_consume_stats_request_header.h"
#include "remoting/request_code.h"
#include "tools/admin/admin_format.h"
#include "tools/admin/dlq_depth.h"

namespace holdfast::tools::admin {

namespace {

constexpr std::string_view kRowFormat = "{:<64}  {:<32}  {:<4}  {:<20}  {:<20}  {:<20}  {}\n";

}  // namespace

Status ConsumerProgress(AdminContext& ctx, const ConsumerProgressOptions& options,
                        std::ostream& out) {
  if (options.group.empty()) return Status::InvalidArgument("consumerProgress needs -g group");
  Result<std::map<std::string, std::string>> masters = ctx.AllMasterAddrs();
  if (!masters.ok()) return masters.status();
  const Fields fields =
      HeaderFields(protocol::GetConsumeStatsRequestHeader{options.group, options.topic});
  std::map<MessageQueue, protocol::OffsetWrapper> all;  // sorted by queue
  for (const auto& [name, addr] : *masters) {
    Result<remoting::RemotingCommand> r =
        ctx.CallBroker(addr, remoting::RequestCode::GET_CONSUME_STATS, fields, {},
                       "consume stats of " + options.group);
    if (!r.ok()) return r.status();
    Result<protocol::ConsumeStats> stats = protocol::DecodeConsumeStats(r->body);
    if (!stats.ok()) {
      return Status::Corruption("consume stats of " + options.group + " at broker " + addr + ": " +
                                stats.status().message());
    }
    all.merge(stats->offset_table);
  }
  if (all.empty()) {
    return Status::NotFound("consumer group " + options.group +
                            " has no consume offsets on any broker (it has not consumed yet)");
  }
  out << fmt::format(fmt::runtime(kRowFormat), "#Topic", "#Broker Name", "#QID", "#Broker Offset",
                     "#Consumer Offset", "#Diff", "#LastTime");
  int64_t diff_total = 0;
  for (const auto& [mq, offset] : all) {
    const int64_t broker_offset = offset.broker_offset;
    const int64_t consumer_offset = offset.consumer_offset;
    const int64_t diff = broker_offset - consumer_offset;
    const int64_t last = offset.last_timestamp;
    diff_total += diff;
    out << fmt::format(fmt::runtime(kRowFormat), mq.topic, mq.broker_name, mq.queue_id,
                       broker_offset, consumer_offset, diff,
                       last > 0 ? TimeMillisToHumanString(last) : "N/A");
  }
  out << "\nConsume TPS: 0.00\n";  // the broker does not count consumption rates yet
  out << "Consume Diff Total: " << diff_total << "\n";
  Result<DlqDepth> dlq = GroupDlqDepth(ctx, options.group);
  if (!dlq.ok()) return dlq.status();
  out << "DLQ Depth: " << dlq->depth << " (resent: " << dlq->resent
      << "; a resend leaves the dead letter in the DLQ)\n";
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
