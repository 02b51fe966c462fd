// PullMessageProcessor: PULL_MESSAGE (11) and LITE_PULL_MESSAGE (361) (apache/rocketmq:
// broker/.../processor/PullMessageProcessor.java, DefaultPullMessageResultHandler.java;
// docs/protocol.md §4.2, 8.8).
//
// Per request: decode the header (numbers may arrive as JSON numbers or strings), check the topic
// (TOPIC_NOT_EXIST, NO_PERMISSION without read permission, INVALID_PARAMETER for a queueId outside
// readQueueNums), build the tag filter from `subscription` ("*" or empty: everything; "A || B":
// the tags' Java hash codes, then an exact match on each record's TAGS to drop hash collisions),
// read from the store and map GetMessageStatus to the pull code with PullResponseCodeFor. The
// response carries nextBeginOffset, minOffset, maxOffset, suggestWhichBrokerId "0", remark = the
// status name, and on SUCCESS the stored records concatenated as the body. With the COMMIT_OFFSET
// bit, commitOffset is stored in the ConsumerOffsetManager (on the first run only, as RocketMQ).
// A read the store could not do (READ_ERROR, our own status) is answered SYSTEM_ERROR with the
// cause (file and offset) as remark, and logged: the consumer retries the same offset later,
// where any of the pull statuses would move it on.
// A PULL_NOT_FOUND with the SUSPEND bit is parked in the PullRequestHoldService until data arrives
// or suspendTimeoutMillis passes, and answered from there with the original opaque.
//
// Group and subscription checks, in RocketMQ 4.9's order: the subscription group must exist (it
// is auto-created with autoCreateSubscriptionGroup), else SUBSCRIPTION_GROUP_NOT_EXIST; a group
// with consumeEnable false gets NO_PERMISSION. With the SUBSCRIPTION sysFlag the filter is built
// from the header's `subscription`/`expressionType`; without it, from the subscription the
// group's heartbeats registered in the ConsumerManager: SUBSCRIPTION_NOT_EXIST when the group or
// its subscription of the topic is unknown, NO_PERMISSION for a BROADCASTING group whose config
// forbids broadcast, SUBSCRIPTION_NOT_LATEST when the request's subVersion is newer than the
// registered one.
//
// Differences from RocketMQ, on purpose (for now): SQL92 answers SYSTEM_ERROR as a broker without
// enablePropertyFilter does; the transfer cap is always 32 messages / 256 KiB (or maxMsgBytes
// when smaller).
//
// Threads: Process runs on remoting workers (any number at once); re-runs of parked requests run
// on the hold service's thread. Lifecycle: construct, Start() before serving, Shutdown() before
// the store shuts down (idempotent; also run by the destructor).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "broker/consumer_manager.h"
#include "broker/consumer_offset_manager.h"
#include "broker/pull_request_hold_service.h"
#include "broker/subscription_group_manager.h"
#include "broker/topic_config_manager.h"
#include "common/status.h"
#include "remoting/remoting_command.h"
#include "remoting/response_writer.h"
#include "store/get_message_result.h"
#include "store/message_store.h"

namespace holdfast::broker {

// The pull response code for a store result and the requested offset (docs/protocol.md §8.8 table).
int32_t PullResponseCodeFor(store::GetMessageStatus status, int64_t requested_offset);

class PullMessageProcessor {
 public:
  // The managers and the store must outlive the processor.
  PullMessageProcessor(TopicConfigManager* topics, ConsumerOffsetManager* offsets,
                       store::MessageStore* store, SubscriptionGroupManager* groups,
                       const ConsumerManager* consumers);
  ~PullMessageProcessor();
  PullMessageProcessor(const PullMessageProcessor&) = delete;
  PullMessageProcessor& operator=(const PullMessageProcessor&) = delete;

  void Start();
  void Shutdown();

  void Process(const remoting::RemotingCommand& request, remoting::ResponseWriter writer);

  // The store's MessageArrivingListener target: wakes the pulls parked on that queue.
  void NotifyMessageArriving(std::string_view topic, int32_t queue_id, int64_t max_offset,
                             int64_t tags_code) {
    hold_.NotifyMessageArriving(topic, queue_id, max_offset, tags_code);
  }

  const PullRequestHoldService& hold_service() const { return hold_; }

 private:
  // `held_until` is set when a parked request is re-run: the deadline it was parked with.
  void Pull(const remoting::RemotingCommand& request, remoting::ResponseWriter writer,
            std::optional<std::chrono::steady_clock::time_point> held_until);

  // Constant after construction.
  TopicConfigManager* const topics_;
  ConsumerOffsetManager* const offsets_;
  store::MessageStore* const store_;
  SubscriptionGroupManager* const groups_;
  const ConsumerManager* const consumers_;

  PullRequestHoldService hold_;
};

}  // namespace holdfast::broker
