// Periodically makes derived data durable and records how far (RocketMQ's
// FlushConsumeQueueService): every flushIntervalConsumeQueue it runs the store's flush round
// (consume queues, index, then the checkpoint), and once more at shutdown.
//
// Threads: one service thread runs the round; the round function must be safe to run
// concurrently with the reput service.
#pragma once

#include <chrono>
#include <functional>

#include "common/service_thread.h"
#include "common/status.h"
#include "store/repeated_error_log.h"

namespace holdfast::store {

class FlushConsumeQueueService : public ServiceThread {
 public:
  FlushConsumeQueueService(std::chrono::milliseconds interval, std::function<Status()> round)
      : ServiceThread("FlushConsumeQ"), interval_(interval), round_(std::move(round)) {}
  ~FlushConsumeQueueService() override { Shutdown(); }

 protected:
  void Run() override;
  void OnShutdown() override;

 private:
  const std::chrono::milliseconds interval_;
  const std::function<Status()> round_;
  RepeatedErrorLog errors_{"consume queue flush"};  // service thread only
};

}  // namespace holdfast::store
