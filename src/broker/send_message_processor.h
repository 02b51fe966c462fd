// SendMessageProcessor: SEND_MESSAGE (10), SEND_MESSAGE_V2 (310, a batch when m=true) and
// SEND_BATCH_MESSAGE (320) (apache/rocketmq: broker/.../processor/SendMessageProcessor.java).
//
// Per request, on a remoting worker thread: decode the header (docs/protocol.md §4.1), check it
// (docs/protocol.md §3.2: topic name -> INVALID_PARAMETER, forbidden system topic -> NO_PERMISSION,
// unknown topic -> auto-create from the header's defaultTopic or TOPIC_NOT_EXIST, queueId out of
// range -> INVALID_PARAMETER, oversize body -> MESSAGE_ILLEGAL), build the MessageExt(s) and hand
// them to MessageStore::Put*Async. A send to %RETRY%<group> (a consumer's failed message, sent by
// the client itself) needs the group (SUBSCRIPTION_GROUP_NOT_EXIST) and follows the DLQ rule of
// retry_and_dlq.h: reconsumeTimes at or over the max stores it in %DLQ%<group> instead. The answer
// is written from the store's completion, so a worker never waits for a flush; under SYNC_FLUSH the
// response therefore leaves only once the message is durable (or the flush timed out:
// FLUSH_DISK_TIMEOUT). The completion holds only values (the writer, the prepared response), never
// the processor, so it may run after Shutdown started.
//
// Differences from RocketMQ, on purpose: transactional and delayed messages (batch or not) are
// refused before anything is stored, since this broker would store them but not deliver them as
// asked (undeliverable_send.h says which codes and why); a malformed header answers SYSTEM_ERROR
// naming the field, as Java's decode exception does; a dead letter sent to a retry topic is stored
// in the DLQ at once, its DELAY dropped (4.9.7 delivers it there after the delay).
//
// Thread-safe: Process may run on any number of threads at once.
#pragma once

#include <functional>
#include <string>

#include "broker/broker_config.h"
#include "broker/subscription_group_manager.h"
#include "broker/topic_config_manager.h"
#include "common/message.h"
#include "remoting/remoting_command.h"
#include "remoting/response_writer.h"
#include "store/message_store.h"
#include "store/put_message_result.h"

namespace holdfast::broker {

// A queue among `write_queue_nums`, at random (RocketMQ's randomQueueId); 0 when there are none.
int32_t RandomQueueId(int32_t write_queue_nums);

// The send response code for a store result (docs/protocol.md §3.2).
int32_t SendResponseCodeFor(store::PutMessageStatus status);

// True for topics clients may not send to (docs/protocol.md §8.1): NO_PERMISSION.
bool IsNotAllowedSendTopic(std::string_view topic);

class SendMessageProcessor {
 public:
  // `topics`, `groups` and `store` must outlive every request handed to Process (the completions do
  // not use them). `store_host` is brokerIP1:listenPort, the address offsetMsgIds point at.
  // `on_topic_created` runs (on the worker) after a send auto-created a topic, to re-register
  // with the name servers; it must not block.
  SendMessageProcessor(const BrokerConfig& config, TopicConfigManager* topics,
                       SubscriptionGroupManager* groups, store::MessageStore* store,
                       HostAddress store_host, std::function<void()> on_topic_created);

  void Process(const remoting::RemotingCommand& request, remoting::ResponseWriter writer);

 private:
  // Constant after construction.
  const BrokerConfig config_;
  TopicConfigManager* const topics_;
  SubscriptionGroupManager* const groups_;
  store::MessageStore* const store_;
  const HostAddress store_host_;
  const std::function<void()> on_topic_created_;
};

}  // namespace holdfast::broker
