// ScanNotActiveBrokerService: the name server's housekeeping job. Every
// scanNotActiveBrokerInterval it calls RouteInfoManager::ScanNotActiveBroker, which drops brokers
// that have not registered within their timeout (RocketMQ schedules scanNotActiveBroker on a
// timer; here it is a named service).
//
// Threads: one, "ScanNotActiveBrokerService" (ServiceThread). Wakeup() runs a scan at once.
// The RouteInfoManager must outlive this service.
#pragma once

#include <chrono>

#include "common/service_thread.h"
#include "namesrv/route_info_manager.h"

namespace holdfast::namesrv {

class ScanNotActiveBrokerService : public ServiceThread {
 public:
  ScanNotActiveBrokerService(RouteInfoManager& route_info_manager,
                             std::chrono::milliseconds interval)
      : ServiceThread("ScanNotActiveBrokerService"),
        route_info_manager_(route_info_manager),
        interval_(interval) {}
  ~ScanNotActiveBrokerService() override { Shutdown(); }

 protected:
  void Run() override {
    WaitForRunning(interval_);
    if (Stopped()) return;
    (void)route_info_manager_.ScanNotActiveBroker();
  }

 private:
  RouteInfoManager& route_info_manager_;
  const std::chrono::milliseconds interval_;
};

}  // namespace holdfast::namesrv
