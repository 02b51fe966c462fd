// ConsumerSendMsgBackProcessor: CONSUMER_SEND_MSG_BACK (36), a consumer handing back a message it
// failed to consume (apache/rocketmq 4.9.7: SendMessageProcessor.asyncConsumerSendMsgBack).
//
// Per request, in the order of docs/protocol.md §8.3 "Send-back":
//  1. the header (docs/protocol.md §4.3) decodes, else SYSTEM_ERROR naming the field; the group
//     is known or auto-created (autoCreateSubscriptionGroup), else SUBSCRIPTION_GROUP_NOT_EXIST;
//  2. a group with retryQueueNums <= 0 gets SUCCESS and nothing is stored;
//  3. %RETRY%<group> is created if missing (retryQueueNums queues, perm read + write); a retry
//     topic without write permission answers NO_PERMISSION;
//  4. the message is read from this broker's store at `offset`, else SYSTEM_ERROR
//     "look message by offset failed, <offset>";
//  5. to %DLQ%<group> (created if missing: 1 queue, read + write; no delay) when the stored
//     reconsumeTimes >= the max reconsume times (the request's, else the group's retryMaxTimes)
//     or delayLevel < 0; else to %RETRY%<group> with DELAY = delayLevel, or 3 + reconsumeTimes
//     when it is 0 (the store routes DELAY > 0 through SCHEDULE_TOPIC_XXXX);
//  6. the copy keeps body, flag, properties, sysFlag, born time and host, store host;
//     reconsumeTimes + 1; RETRY_TOPIC = the original topic and ORIGIN_MESSAGE_ID = the original's
//     offsetMsgId unless set; HOLDFAST_FIRST_FAILURE_TIME = now unless set;
//  7. SUCCESS once the store answers PUT_OK; any other put status is SYSTEM_ERROR naming it.
//     SUCCESS is never answered for a copy that was not stored.
//
// Differences from RocketMQ, on purpose (src/broker/README.md):
//  * the copy is stored without WAIT=false: under SYNC_FLUSH the answer waits until it is
//    durable, like a send's. The consumer commits past the original on this answer, so an
//    answered send-back must survive a power loss as an answered send does.
//  * the queue is picked among the retry topic's write queues (RocketMQ: among retryQueueNums,
//    which names a queue nobody reads when the topic has fewer);
//  * this broker has no brokerPermission setting, so only the retry topic's perm is checked.
//
// Threading: Process runs on a remoting worker (the store read may touch the disk) and is
// thread-safe. The answer is written from the store's completion, which holds only values (the
// writer and the prepared response), never the processor.
#pragma once

#include <functional>

#include "broker/subscription_group_manager.h"
#include "broker/topic_config_manager.h"
#include "remoting/remoting_command.h"
#include "remoting/response_writer.h"
#include "store/message_store.h"

namespace holdfast::broker {

class ConsumerSendMsgBackProcessor {
 public:
  // `groups`, `topics` and `store` must outlive every request handed to Process.
  // `on_topic_created` runs (on the worker) after a retry or DLQ topic was created, to
  // re-register with the name servers; it must not block.
  ConsumerSendMsgBackProcessor(SubscriptionGroupManager* groups, TopicConfigManager* topics,
                               store::MessageStore* store, std::function<void()> on_topic_created);

  void Process(const remoting::RemotingCommand& request, remoting::ResponseWriter writer);

 private:
  // Constant after construction.
  SubscriptionGroupManager* const groups_;
  TopicConfigManager* const topics_;
  store::MessageStore* const store_;
  const std::function<void()> on_topic_created_;
};

}  // namespace holdfast::broker
