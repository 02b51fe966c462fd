// ConsumeMessageService (RocketMQ's): hands pulled messages to the application's listener on the
// consume threads and turns each outcome into a commit offset, a send-back or a retry.
// ConsumeMessageConcurrentlyService and ConsumeMessageOrderlyService implement it.
//
// Threads: consume_thread_max consume threads (a ThreadPool owned by the service) run listeners;
// delayed retries go through the consumer's ScheduledExecutor. SubmitConsumeRequest is called by
// the pull path (any thread) and is thread-safe.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "client/consumer_broker_api.h"
#include "client/offset_store.h"
#include "client/process_queue.h"
#include "client/scheduled_executor.h"
#include "holdfast/consumer_options.h"
#include "holdfast/message.h"

namespace holdfast::client {

class RebalanceImpl;

// What both services need; every pointer must outlive the service, and the scheduler must be
// shut down before the service is destroyed (its tasks call back into the service).
struct ConsumeServiceContext {
  std::string group;
  MessageModel message_model = MessageModel::kClustering;
  int consume_thread_max = 20;
  int consume_message_batch_max_size = 1;
  // As configured: -1 means the service's default (ConcurrentMaxReconsumeTimes,
  // OrderlyMaxReconsumeTimes).
  int max_reconsume_times = -1;
  std::chrono::milliseconds suspend_current_queue_time{1000};
  // Concurrent: how long before messages the broker would not take back are consumed again
  // (RocketMQ: 5 s).
  std::chrono::milliseconds consume_again_delay{5000};
  // Concurrent: a listener running longer than this has its message handed back to the broker
  // (HandBackToBroker at level 3) and, once that worked, committed past; checked every
  // consume_timeout (RocketMQ: consumeTimeout, 15 min).
  std::chrono::milliseconds consume_timeout{15 * 60 * 1000};
  ConsumerBrokerApi* api = nullptr;
  OffsetStore* offset_store = nullptr;
  ScheduledExecutor* scheduler = nullptr;
  RebalanceImpl* rebalance = nullptr;  // the process queue table; orderly: queue locks
};

class ConsumeMessageService {
 public:
  virtual ~ConsumeMessageService() = default;

  virtual void Start() = 0;
  // Lets running listeners finish and then stops the consume threads; requests not yet started
  // are dropped, so their messages stay uncommitted (they are consumed again by whoever takes
  // the queue next). Orderly: then unlocks this consumer's queues on the brokers.
  virtual void Shutdown() = 0;

  // `msgs` were just put into `pq` (PutMessages returned `dispatch_to_consume`).
  virtual void SubmitConsumeRequest(std::vector<MQMessageExt> msgs,
                                    std::shared_ptr<ProcessQueue> pq, const MessageQueue& mq,
                                    bool dispatch_to_consume) = 0;
};

// maxReconsumeTimes as each service uses it (docs/protocol.md §8.3): -1 means 16 for concurrent
// consumers and INT32_MAX (never to the DLQ) for orderly ones; any other value is itself.
int ConcurrentMaxReconsumeTimes(int configured);
int OrderlyMaxReconsumeTimes(int configured);

// The new message RocketMQ's consumers send to "%RETRY%<group>" themselves (4.9.7
// DefaultMQPushConsumerImpl.sendMessageBack's fallback and ConsumeMessageOrderlyService's DLQ
// hand-off; docs/protocol.md §8.3): msg's body, flag and properties (UNIQ_KEY kept, TRAN_MSG
// removed), RETRY_TOPIC = msg.topic (the topic the listener saw), ORIGIN_MESSAGE_ID = its own if
// set else msg.msg_id, RECONSUME_TIME = reconsume_times, MAX_RECONSUME_TIMES =
// max_reconsume_times, DELAY = 3 + msg.reconsume_times. The broker routes it to the DLQ when
// reconsume_times >= max_reconsume_times (4.9.7).
RetryTopicMessage BuildRetryTopicMessage(const MQMessageExt& msg, const std::string& group,
                                         int reconsume_times, int max_reconsume_times);

// Hands `msg` (whose listener did not consume it) back to the broker, in RocketMQ's order:
// 1. CONSUMER_SEND_MSG_BACK at `delay_level` (docs/protocol.md §4.3);
// 2. if the broker did not take it, BuildRetryTopicMessage(msg, group, retry_reconsume_times,
//    max_reconsume_times) sent through the client's inner producer.
// OK when one of them stored a copy, so the caller may commit past msg; otherwise the last error,
// and the caller keeps msg (consumes it again locally) and never commits past it.
Status HandBackToBroker(ConsumerBrokerApi& api, const MQMessageExt& msg, const std::string& group,
                        int delay_level, int retry_reconsume_times, int max_reconsume_times);

// Messages redelivered from "%RETRY%<group>" get back the topic they were first sent to (their
// RETRY_TOPIC property), so listeners see the topic they subscribed to.
void ResetRetryTopic(std::vector<MQMessageExt>& msgs, const std::string& group);

}  // namespace holdfast::client
