// AdminBrokerProcessor: the admin requests tools (mqadmin, the dashboard) send to a broker, as
// RocketMQ 4.9's AdminBrokerProcessor (docs/protocol.md §2.3, 4.8, 5.3):
//
//   17  UPDATE_AND_CREATE_TOPIC           header topic, readQueueNums, writeQueueNums, perm,
//                                         topicFilterType, topicSysFlag, order
//   215 DELETE_TOPIC_IN_BROKER            header topic
//   21  GET_ALL_TOPIC_CONFIG              body {"dataVersion":..,"topicConfigTable":{..}}
//   200 UPDATE_AND_CREATE_SUBSCRIPTIONGROUP  body SubscriptionGroupConfig JSON
//   207 DELETE_SUBSCRIPTIONGROUP          header groupName, removeOffset (optional)
//   201 GET_ALL_SUBSCRIPTIONGROUP_CONFIG  body as subscriptionGroup.json
//   202 GET_TOPIC_STATS_INFO              header topic; body TopicStatsTable
//   208 GET_CONSUME_STATS                 header consumerGroup, topic (optional); body ConsumeStats
//   28  GET_BROKER_RUNTIME_INFO           body KVTable {"table":{..}}
//   26  GET_BROKER_CONFIG                 body broker.conf properties text; header version
//   45  GET_ALL_DELAY_OFFSET              body config/delayOffset.json as last persisted
//                                         ({"offsetTable":{level:offset,..}}); SYSTEM_ERROR when
//                                         there is none (a broker that never ran the service)
//
// Topic changes persist topics.json and re-register with every name server before answering
// (synchronously, at most 3 s per name server), so a route lookup after SUCCESS sees them.
// Deleting a topic also drops its consumer offsets (persisted) and its consume-queue files.
// Creating or deleting a system topic (TBW102, SCHEDULE_TOPIC_XXXX, the cluster and broker name,
// ...) is refused.
//
// TopicStatsTable and ConsumeStats are written as fastjson writes them: each map key is a
// MessageQueue JSON object written raw, {{"brokerName":"b","queueId":0,"topic":"t"}:{..}}. That is
// not JSON, but it is what mqadmin parses (docs/protocol.md §5.3).
//
// Errors: a missing or malformed header field, a bad topic or group name, a bad body or a failed
// persist answers SYSTEM_ERROR with a remark naming the problem; an unknown topic in a stats
// request answers TOPIC_NOT_EXIST; an unknown code answers REQUEST_CODE_NOT_SUPPORTED.
//
// Thread-safe: Process may run on any number of remoting workers at once. The controller must
// outlive the processor; construct it after the controller's managers and store exist.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "broker/broker_response.h"
#include "remoting/remoting_command.h"
#include "remoting/response_writer.h"

namespace holdfast::broker {

class BrokerController;

class AdminBrokerProcessor : public TableProcessor<AdminBrokerProcessor> {
 public:
  explicit AdminBrokerProcessor(BrokerController* controller);

 private:
  friend class TableProcessor<AdminBrokerProcessor>;

  // The request codes served and the member function answering each.
  static std::span<const RequestHandler<AdminBrokerProcessor>> Handlers();

  remoting::RemotingCommand UpdateAndCreateTopic(const remoting::RemotingCommand& request);
  remoting::RemotingCommand DeleteTopic(const remoting::RemotingCommand& request);
  remoting::RemotingCommand GetAllTopicConfig(const remoting::RemotingCommand& request);
  remoting::RemotingCommand UpdateAndCreateSubscriptionGroup(
      const remoting::RemotingCommand& request);
  remoting::RemotingCommand DeleteSubscriptionGroup(const remoting::RemotingCommand& request);
  remoting::RemotingCommand GetAllSubscriptionGroup(const remoting::RemotingCommand& request);
  remoting::RemotingCommand GetTopicStatsInfo(const remoting::RemotingCommand& request);
  remoting::RemotingCommand GetConsumeStats(const remoting::RemotingCommand& request);
  remoting::RemotingCommand GetBrokerRuntimeInfo(const remoting::RemotingCommand& request);
  remoting::RemotingCommand GetBrokerConfig(const remoting::RemotingCommand& request);
  remoting::RemotingCommand GetAllDelayOffset(const remoting::RemotingCommand& request);

  // The store time of the message at a queue offset, or 0 when there is none.
  int64_t StoreTimestampAt(const std::string& topic, int32_t queue_id, int64_t offset) const;

  // Constant after construction.
  BrokerController* const controller_;
  const int64_t boot_timestamp_;  // ms; GET_BROKER_RUNTIME_INFO's bootTimestamp and runtime
};

}  // namespace holdfast::broker
