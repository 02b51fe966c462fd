// RocketMQ's ClientHousekeepingService: every 10 s drops producer and consumer channels whose last
// heartbeat is older than channelExpiredTimeout (120 s). Closed connections are dropped at once by
// the broker's RemotingServer close listener, not here.
//
// Threads: one, "ClientHousekeepingService". Lifecycle: construct, Start(), Shutdown() (joins).
#pragma once

#include <chrono>

#include "broker/consumer_manager.h"
#include "broker/producer_manager.h"
#include "common/service_thread.h"

namespace holdfast::broker {

class ClientHousekeepingService : public ServiceThread {
 public:
  static constexpr std::chrono::milliseconds kScanInterval{10'000};

  // The managers must outlive the service.
  ClientHousekeepingService(ConsumerManager* consumers, ProducerManager* producers,
                            std::chrono::milliseconds interval = kScanInterval)
      : ServiceThread("ClientHousekeepingService"),
        consumers_(consumers),
        producers_(producers),
        interval_(interval) {}
  ~ClientHousekeepingService() override { Shutdown(); }

 protected:
  void Run() override {
    WaitForRunning(interval_);
    if (Stopped()) return;
    producers_->ScanNotActiveChannel();
    consumers_->ScanNotActiveChannel();
  }

 private:
  ConsumerManager* const consumers_;
  ProducerManager* const producers_;
  const std::chrono::milliseconds interval_;
};

}  // namespace holdfast::broker
