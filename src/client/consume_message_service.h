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
  int max_reconsume_times = 16;
  std::chrono::milliseconds suspend_current_queue_time{1000};
  // Concurrent: how long before messages the broker would not take back are consumed again.
  std::chrono::milliseconds consume_again_delay{5000};
  // Concurrent: a listener running longer than this has its message sent back (level 3) and
  // committed past; checked every consume_timeout (RocketMQ: consumeTimeout, 15 min).
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

// Messages redelivered from "%RETRY%<group>" get back the topic they were first sent to (their
// RETRY_TOPIC property), so listeners see the topic they subscribed to.
void ResetRetryTopic(std::vector<MQMessageExt>& msgs, const std::string& group);

}  // namespace holdfast::client
