#include "client/consume_message_service.h"

#include <spdlog/spdlog.h>

#include <limits>

#include "client/rebalance_impl.h"

namespace holdfast::client {

int ConcurrentMaxReconsumeTimes(int configured) { return configured == -1 ? 16 : configured; }

int OrderlyMaxReconsumeTimes(int configured) {
  return configured == -1 ? std::numeric_limits<int32_t>::max() : configured;
}

RetryTopicMessage BuildRetryTopicMessage(const MQMessageExt& msg, const std::string& group,
                                         int reconsume_times, int max_reconsume_times) {
  RetryTopicMessage out;
  out.topic = RetryTopic(group);
  out.body = msg.body;
  out.flag = msg.flag;
  out.properties.insert(msg.properties.begin(), msg.properties.end());
  auto set = [&](std::string_view key, std::string value) {
    out.properties.insert_or_assign(std::string(key), std::move(value));
  };
  auto origin = out.properties.find(property::kOriginMessageId);
  if (origin == out.properties.end() || origin->second.empty()) {
    set(property::kOriginMessageId, msg.msg_id);
  }
  set(property::kRetryTopic, msg.topic);
  set(property::kReconsumeTime, std::to_string(reconsume_times));
  set(property::kMaxReconsumeTimes, std::to_string(max_reconsume_times));
  out.properties.erase(std::string(property::kTransactionPrepared));
  set(property::kDelayTimeLevel, std::to_string(3 + msg.reconsume_times));
  return out;
}

Status HandBackToBroker(ConsumerBrokerApi& api, const MQMessageExt& msg, const std::string& group,
                        int delay_level, int retry_reconsume_times, int max_reconsume_times) {
  Status back = api.SendMessageBack(msg, group, delay_level, max_reconsume_times);
  if (back.ok()) return back;
  RetryTopicMessage retry =
      BuildRetryTopicMessage(msg, group, retry_reconsume_times, max_reconsume_times);
  Status sent = api.SendToRetryTopic(retry);
  if (sent.ok()) {
    spdlog::info("consumer {}: the broker did not take {} back ({}); sent it to {} instead", group,
                 msg.msg_id, back.ToString(), retry.topic);
    return sent;
  }
  return Status::Unavailable("send-back of " + msg.msg_id + ": " + back.ToString() + "; send to " +
                             retry.topic + ": " + sent.ToString());
}

void ResetRetryTopic(std::vector<MQMessageExt>& msgs, const std::string& group) {
  const std::string retry_topic = RetryTopic(group);
  for (MQMessageExt& msg : msgs) {
    if (msg.topic != retry_topic) continue;
    auto it = msg.properties.find("RETRY_TOPIC");
    if (it != msg.properties.end() && !it->second.empty()) msg.topic = it->second;
  }
}

}  // namespace holdfast::client
