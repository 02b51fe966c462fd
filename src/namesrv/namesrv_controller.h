// NamesrvController: one name server: a RemotingServer answering the name server codes, the
// RouteInfoManager and KvConfigManager behind it, and the housekeeping service
// (apache/rocketmq: namesrv/.../NamesrvController.java).
//
// Threads: the RemotingServer's io and worker threads, and ScanNotActiveBrokerService. A broker's
// connection closing removes it at once (the server's close listener, on an io thread).
//
// Lifecycle: construct, Start(), ..., Shutdown() (also run by the destructor). Start() may be
// called once; Shutdown() is idempotent. KV config is held in memory only.
#pragma once

#include <cstdint>
#include <memory>

#include "common/clock.h"
#include "common/status.h"
#include "namesrv/default_request_processor.h"
#include "namesrv/kv_config_manager.h"
#include "namesrv/namesrv_config.h"
#include "namesrv/route_info_manager.h"
#include "namesrv/scan_not_active_broker_service.h"
#include "remoting/remoting_server.h"

namespace holdfast::namesrv {

class NamesrvController {
 public:
  // `clock` (wall-clock ms) times broker registrations; tests pass a fake one.
  explicit NamesrvController(NamesrvConfig config, RouteInfoManager::Clock clock = NowMillis);
  ~NamesrvController();
  NamesrvController(const NamesrvController&) = delete;
  NamesrvController& operator=(const NamesrvController&) = delete;

  // Listens on config.bind_address:config.listen_port (0: any free port, see port()) and starts the
  // housekeeping service. IoError when the port cannot be bound.
  Status Start();
  void Shutdown();

  // The bound port, valid after a successful Start().
  uint16_t port() const { return server_ ? server_->port() : 0; }
  // Open connections (brokers and clients) right now; 0 before Start(). Thread-safe.
  size_t connection_count() const { return server_ ? server_->connection_count() : 0; }
  const NamesrvConfig& config() const { return config_; }
  RouteInfoManager& route_info_manager() { return route_info_manager_; }
  KvConfigManager& kv_config_manager() { return kv_config_manager_; }

 private:
  // Constant after construction.
  const NamesrvConfig config_;

  RouteInfoManager route_info_manager_;
  KvConfigManager kv_config_manager_;
  DefaultRequestProcessor processor_;
  std::unique_ptr<remoting::RemotingServer> server_;
  std::unique_ptr<ScanNotActiveBrokerService> scan_service_;
};

}  // namespace holdfast::namesrv
