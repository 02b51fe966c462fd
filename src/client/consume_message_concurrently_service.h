// ConsumeMessageConcurrentlyService (RocketMQ's): listeners of one queue run in parallel, in
// batches of consume_message_batch_max_size.
//
// Outcomes (clustering): kConsumeSuccess removes the batch from the ProcessQueue. kReconsumeLater
// (or a listener that throws) hands each message back to the broker (HandBackToBroker, RocketMQ's
// chain, docs/protocol.md §8.3): CONSUMER_SEND_MSG_BACK with delay level 0 (the broker picks
// 3 + reconsumeTimes); if the broker refuses, a new message to "%RETRY%<group>" through the
// client's inner producer with reconsumeTimes + 1 and DELAY 3 + reconsumeTimes. Messages a broker
// took are removed; the others stay in the ProcessQueue and are consumed again here after
// consume_again_delay (5 s) with reconsumeTimes + 1. The broker redelivers what it took through
// the retry topic on its delay-level schedule, and to "%DLQ%<group>" instead once reconsumeTimes
// reaches ConcurrentMaxReconsumeTimes (16 by default).
// Broadcasting never sends back (there is no retry topic per member): its failed messages are
// consumed again here the same way, where RocketMQ drops them.
// After each batch the offset ProcessQueue::RemoveMessages returns is committed (increase only),
// so the commit never passes a message still in a listener or waiting to be consumed again,
// unless the broker holds a copy: a listener still running after consume_timeout has its message
// handed back the same way (level 3) and, once a broker took a copy, forgotten (RocketMQ's
// cleanExpiredMsg; only the oldest held messages, up to 16 per queue per round, clustering only).
//
// Threads: see consume_message_service.h.
#pragma once

#include <atomic>
#include <memory>

#include "client/consume_message_service.h"
#include "client/thread_pool.h"
#include "holdfast/push_consumer.h"

namespace holdfast::client {

class ConsumeMessageConcurrentlyService : public ConsumeMessageService {
 public:
  ConsumeMessageConcurrentlyService(ConsumeServiceContext context,
                                    MessageListenerConcurrently listener);
  ~ConsumeMessageConcurrentlyService() override;

  // Starts the consume-timeout check (clustering).
  void Start() override;
  void Shutdown() override;
  void SubmitConsumeRequest(std::vector<MQMessageExt> msgs, std::shared_ptr<ProcessQueue> pq,
                            const MessageQueue& mq, bool dispatch_to_consume) override;

 private:
  void Consume(std::vector<MQMessageExt> msgs, const std::shared_ptr<ProcessQueue>& pq,
               const MessageQueue& mq);
  void ProcessConsumeResult(ConsumeStatus status, std::vector<MQMessageExt> msgs,
                            const std::shared_ptr<ProcessQueue>& pq, const MessageQueue& mq);
  void CleanExpiredMessages();
  void SubmitConsumeRequestLater(std::vector<MQMessageExt> msgs, std::shared_ptr<ProcessQueue> pq,
                                 const MessageQueue& mq);

  // Constant after construction.
  const ConsumeServiceContext context_;
  const MessageListenerConcurrently listener_;

  ThreadPool pool_;
  std::atomic<bool> stopped_{false};
};

}  // namespace holdfast::client
