#include "namesrv/namesrv_controller.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <utility>

#include "remoting/protocol/mq_version.h"

namespace holdfast::namesrv {

NamesrvController::NamesrvController(NamesrvConfig config, RouteInfoManager::Clock clock)
    : config_(std::move(config)),
      route_info_manager_(config_.broker_channel_expired_time, std::move(clock)),
      processor_(config_, route_info_manager_, kv_config_manager_) {}

NamesrvController::~NamesrvController() { Shutdown(); }

Status NamesrvController::Start() {
  if (server_) return Status::AlreadyExists("name server already started");
  remoting::RemotingServerOptions options;
  options.host = config_.bind_address;
  options.port = config_.listen_port;
  options.dispatcher.version = protocol::kCurrentVersion;
  server_ = std::make_unique<remoting::RemotingServer>(options);
  processor_.RegisterOn(*server_);
  server_->SetCloseListener([this](const std::shared_ptr<remoting::Connection>& connection) {
    route_info_manager_.OnChannelDestroy(connection.get());
  });
  Status s = server_->Start();
  if (!s.ok()) {
    server_.reset();
    return s;
  }
  scan_service_ = std::make_unique<ScanNotActiveBrokerService>(
      route_info_manager_, std::chrono::milliseconds(config_.scan_not_active_broker_interval));
  scan_service_->Start();
  spdlog::info("name server listening on {}:{}", config_.bind_address, server_->port());
  return Status::Ok();
}

void NamesrvController::Shutdown() {
  if (scan_service_) scan_service_->Shutdown();
  if (server_) server_->Shutdown();
}

}  // namespace holdfast::namesrv
