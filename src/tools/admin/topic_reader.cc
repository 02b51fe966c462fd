#include "tools/admin/topic_reader.h"

#include <algorithm>
#include <iterator>

#include "remoting/protocol/get_topic_stats_info_request_header.h"
#include "remoting/protocol/pull_message_request_header.h"
#include "remoting/protocol/pull_message_response_header.h"
#include "remoting/protocol/pull_sys_flag.h"
#include "remoting/request_code.h"
#include "remoting/response_code.h"
#include "tools/admin/message_decoder.h"

namespace holdfast::tools::admin {

using remoting::RemotingCommand;
using remoting::RequestCode;
using remoting::ResponseCode;

Result<std::optional<protocol::TopicStatsTable>> FetchTopicStats(AdminContext& ctx,
                                                                 const std::string& addr,
                                                                 const std::string& topic) {
  const std::string what = "stats of topic " + topic;
  Result<RemotingCommand> r =
      ctx.InvokeBroker(addr, RequestCode::GET_TOPIC_STATS_INFO,
                       HeaderFields(protocol::GetTopicStatsInfoRequestHeader{topic}), what);
  if (!r.ok()) return r.status();
  if (r->code == ResponseCode::TOPIC_NOT_EXIST) return std::optional<protocol::TopicStatsTable>();
  if (r->code != ResponseCode::SUCCESS)
    return client::ResponseError(what + " at broker " + addr, *r);
  Result<protocol::TopicStatsTable> table = protocol::DecodeTopicStatsTable(r->body);
  if (!table.ok()) {
    return Status::Corruption(what + " at broker " + addr + ": " + table.status().message());
  }
  return std::optional<protocol::TopicStatsTable>(std::move(*table));
}

int64_t MessageCount(const protocol::TopicStatsTable& stats) {
  int64_t count = 0;
  for (const auto& [mq, offset] : stats.offset_table) {
    count += std::max<int64_t>(0, offset.max_offset - offset.min_offset);
  }
  return count;
}

Result<std::vector<MessageExt>> ReadQueue(AdminContext& ctx, const std::string& addr,
                                          const std::string& topic, int32_t queue_id, int64_t from,
                                          int64_t to) {
  const std::string what = "messages of " + topic + " queue " + std::to_string(queue_id);
  std::vector<MessageExt> out;
  int64_t offset = from;
  while (offset < to) {
    protocol::PullMessageRequestHeader header;
    header.consumer_group = std::string(kToolsConsumerGroup);
    header.topic = topic;
    header.queue_id = queue_id;
    header.queue_offset = offset;
    header.max_msg_nums = static_cast<int32_t>(std::min<int64_t>(32, to - offset));
    header.sys_flag = protocol::kPullFlagSubscription;
    header.subscription = "*";
    header.expression_type = "TAG";
    Result<RemotingCommand> r =
        ctx.InvokeBroker(addr, RequestCode::PULL_MESSAGE, HeaderFields(header), what);
    if (!r.ok()) return r.status();
    if (r->code == ResponseCode::PULL_NOT_FOUND) break;  // nothing more was dispatched yet
    if (r->code != ResponseCode::SUCCESS && r->code != ResponseCode::PULL_RETRY_IMMEDIATELY &&
        r->code != ResponseCode::PULL_OFFSET_MOVED) {
      return client::ResponseError(what + " at broker " + addr, *r);
    }
    Result<protocol::PullMessageResponseHeader> next =
        protocol::DecodeCustomHeader<protocol::PullMessageResponseHeader>(*r);
    if (!next.ok()) {
      return Status::Corruption(what + " at broker " + addr + ": " + next.status().message());
    }
    if (r->code == ResponseCode::SUCCESS) {
      Result<std::vector<MessageExt>> msgs = DecodeMessages(r->body);
      if (!msgs.ok()) {
        return Status::Corruption(what + " at broker " + addr + ": " + msgs.status().message());
      }
      for (MessageExt& msg : *msgs) {
        if (msg.queue_offset >= offset && msg.queue_offset < to) out.push_back(std::move(msg));
      }
    }
    // A moved offset (below the queue's min) goes on from where the broker says; an answer that
    // would not advance ends the read rather than loop.
    if (next->next_begin_offset <= offset) break;
    offset = next->next_begin_offset;
  }
  return out;
}

Result<std::vector<MessageExt>> ReadTopic(AdminContext& ctx, const std::string& addr,
                                          const protocol::TopicStatsTable& stats) {
  std::vector<MessageExt> out;
  for (const auto& [mq, offset] : stats.offset_table) {
    Result<std::vector<MessageExt>> msgs =
        ReadQueue(ctx, addr, mq.topic, mq.queue_id, offset.min_offset, offset.max_offset);
    if (!msgs.ok()) return msgs.status();
    std::move(msgs->begin(), msgs->end(), std::back_inserter(out));
  }
  return out;
}

}  // namespace holdfast::tools::admin
