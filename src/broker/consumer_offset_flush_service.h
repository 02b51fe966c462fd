// Persists the ConsumerOffsetManager to consumerOffset.json every flushConsumerOffsetInterval
// (5 s by default; RocketMQ's BrokerController schedules the same job), and once more at
// Shutdown(). A failed persist is logged and retried at the next interval; the offsets stay in
// memory.
//
// Threads: one, "ConsumerOffsetFlushService". Lifecycle: construct, Start(), Shutdown() (joins,
// then the final persist runs on the caller's thread).
#pragma once

#include <chrono>

#include "broker/consumer_offset_manager.h"
#include "common/service_thread.h"

namespace holdfast::broker {

class ConsumerOffsetFlushService : public ServiceThread {
 public:
  // `offsets` must outlive the service.
  ConsumerOffsetFlushService(ConsumerOffsetManager* offsets, std::chrono::milliseconds interval);
  ~ConsumerOffsetFlushService() override;

 protected:
  void Run() override;
  void OnShutdown() override { Flush(); }

 private:
  void Flush();

  ConsumerOffsetManager* const offsets_;
  const std::chrono::milliseconds interval_;
};

}  // namespace holdfast::broker
