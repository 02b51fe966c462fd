// ConsumerBrokerApi: the broker calls a consumer's rebalance makes, addressed by MessageQueue and
// broker name (the implementation finds the master's address and sends the RPC). It keeps
// rebalance and the offset stores independent of how the client instance routes requests; the
// production implementation is InstanceConsumerBrokerApi over MQClientInstance.
//
// Every method is thread-safe and blocks for at most the client's RPC timeout.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "client/remote_broker_offset_store.h"
#include "common/message.h"
#include "common/status.h"
#include "holdfast/message.h"

namespace holdfast::client {

// A new message a consumer puts into its group's retry topic itself, when the broker did not take
// a message back (docs/protocol.md §8.3, "Client fallback"); see BuildRetryTopicMessage.
struct RetryTopicMessage {
  std::string topic;  // "%RETRY%<group>"
  std::string body;
  int32_t flag = 0;
  // As they are to be sent: RECONSUME_TIME and MAX_RECONSUME_TIMES included (the producer moves
  // them into the send header), UNIQ_KEY the original's.
  PropertyMap properties;
};

class ConsumerBrokerApi : public BrokerOffsetApi {
 public:
  // This client's id ("ip@instanceName").
  virtual std::string ClientId() const = 0;
  // The ids of `group`'s members, from one broker serving `topic`; empty when none answered.
  virtual std::vector<std::string> FindConsumerIdList(const std::string& topic,
                                                      const std::string& group) = 0;
  virtual Result<int64_t> GetMaxOffset(const MessageQueue& mq) = 0;
  virtual Result<int64_t> GetMinOffset(const MessageQueue& mq) = 0;
  // The first offset stored at or after `timestamp_ms`.
  virtual Result<int64_t> SearchOffset(const MessageQueue& mq, int64_t timestamp_ms) = 0;
  // LOCK_BATCH_MQ to the master of `broker_name`: the queues now locked for this client.
  virtual Result<std::set<MessageQueue>> LockBatchMQ(const std::string& broker_name,
                                                     const std::string& group,
                                                     const std::set<MessageQueue>& mqs) = 0;
  virtual Status UnlockBatchMQ(const std::string& broker_name, const std::string& group,
                               const std::set<MessageQueue>& mqs, bool oneway) = 0;
  // CONSUMER_SEND_MSG_BACK (docs/protocol.md §4.3) to the master of msg.broker_name: the broker
  // stores a copy for `group`'s retry topic at `delay_level` (or its DLQ past max_reconsume_times).
  // An error when the broker refused or could not be reached: the caller keeps the message.
  virtual Status SendMessageBack(const MQMessageExt& msg, const std::string& group, int delay_level,
                                 int max_reconsume_times) = 0;
  // Sends `msg` to its retry topic through the client's inner producer (a SEND_MESSAGE_V2 like any
  // producer's, with retries on other brokers). OK only for SEND_OK: any weaker status or an
  // error means the caller keeps the original.
  virtual Status SendToRetryTopic(const RetryTopicMessage& msg) = 0;
};

}  // namespace holdfast::client
