// InstanceConsumerBrokerApi: ConsumerBrokerApi over an MQClientInstance. Queues are addressed by
// broker name: the master's address comes from the instance's broker table, refreshed from the
// name server once when the broker is unknown. Send-back goes to the master of the message's
// broker (its store host when the broker has no known master).
//
// Thread-safe; blocks for at most the client's mq_client_api_timeout per call. The instance must
// outlive this object.
#pragma once

#include <memory>
#include <string>

#include "client/consumer_broker_api.h"
#include "client/mq_client_instance.h"

namespace holdfast::client {

class InstanceConsumerBrokerApi : public ConsumerBrokerApi {
 public:
  explicit InstanceConsumerBrokerApi(MQClientInstance* instance);

  std::string ClientId() const override;
  std::vector<std::string> FindConsumerIdList(const std::string& topic,
                                              const std::string& group) override;
  Result<int64_t> GetMaxOffset(const MessageQueue& mq) override;
  Result<int64_t> GetMinOffset(const MessageQueue& mq) override;
  Result<int64_t> SearchOffset(const MessageQueue& mq, int64_t timestamp_ms) override;
  Result<std::set<MessageQueue>> LockBatchMQ(const std::string& broker_name,
                                             const std::string& group,
                                             const std::set<MessageQueue>& mqs) override;
  Status UnlockBatchMQ(const std::string& broker_name, const std::string& group,
                       const std::set<MessageQueue>& mqs, bool oneway) override;
  Status SendMessageBack(const MQMessageExt& msg, const std::string& group, int delay_level,
                         int max_reconsume_times) override;
  Status SendToRetryTopic(const RetryTopicMessage& msg) override;
  Result<int64_t> QueryConsumerOffset(const std::string& group, const MessageQueue& mq) override;
  Status UpdateConsumerOffsetOneway(const std::string& group, const MessageQueue& mq,
                                    int64_t offset) override;

  // The master's address of `broker_name`. Unavailable naming the broker when none is known even
  // after refreshing `topic`'s route.
  Result<std::string> BrokerAddr(const std::string& broker_name, const std::string& topic);

 private:
  // Constant after construction.
  MQClientInstance* const instance_;
};

}  // namespace holdfast::client
