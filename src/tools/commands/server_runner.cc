#include "tools/commands/server_runner.h"

#include <pthread.h>
#include <signal.h>

#include <memory>
#include <utility>

#include <spdlog/spdlog.h>

#include "broker/broker_controller.h"
#include "namesrv/namesrv_controller.h"
#include "store/file_system.h"

namespace holdfast::tools::commands {

namespace {

// Blocks SIGINT and SIGTERM in every thread started after this call, so that
// WaitForTerminationSignal() receives them.
sigset_t BlockTerminationSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

int WaitForTerminationSignal(const sigset_t& set) {
  int sig = 0;
  sigwait(&set, &sig);
  return sig;
}

// Where a process on this host reaches a server bound on `bind_address`.
std::string LocalAddressOf(const std::string& bind_address) {
  return broker::IsWildcardAddress(bind_address) ? "127.0.0.1" : bind_address;
}

}  // namespace

int RunNamesrvUntilSignal(const namesrv::NamesrvConfig& config, std::ostream& out,
                          std::ostream& err) {
  sigset_t signals = BlockTerminationSignals();
  namesrv::NamesrvController controller(config);
  if (Status s = controller.Start(); !s.ok()) {
    err << "holdfast namesrv: " << s.ToString() << "\n";
    return 1;
  }
  out << "The Name Server boot success. listening on " << config.bind_address << ":"
      << controller.port() << std::endl;
  int sig = WaitForTerminationSignal(signals);
  spdlog::info("name server: signal {}, shutting down", sig);
  controller.Shutdown();
  return 0;
}

int RunBrokerUntilSignal(const std::string& conf_path, const broker::PropertyOverrides& overrides,
                         const namesrv::NamesrvConfig* namesrv, std::ostream& out,
                         std::ostream& err) {
  sigset_t signals = BlockTerminationSignals();
  std::unique_ptr<namesrv::NamesrvController> embedded;
  std::string embedded_addr;
  broker::PropertyOverrides effective = overrides;
  if (namesrv != nullptr) {
    embedded = std::make_unique<namesrv::NamesrvController>(*namesrv);
    if (Status s = embedded->Start(); !s.ok()) {
      err << "holdfast: name server: " << s.ToString() << "\n";
      return 1;
    }
    embedded_addr = LocalAddressOf(namesrv->bind_address) + ":" + std::to_string(embedded->port());
    effective["namesrvAddr"] = embedded_addr;
  }
  auto config = broker::LoadBrokerConfig(store::FileSystem::Default(), conf_path, effective);
  if (!config.ok()) {
    err << "holdfast broker: bad configuration:\n" << config.status().message() << "\n";
    return 2;
  }
  broker::BrokerController broker(std::move(config).value());
  if (Status s = broker.Start(); !s.ok()) {
    err << "holdfast broker: " << s.ToString() << "\n";
    return 1;
  }
  out << "The broker boot success. serving at " << broker.broker_addr();
  if (embedded) out << ", name server at " << embedded_addr;
  out << std::endl;
  int sig = WaitForTerminationSignal(signals);
  spdlog::info("broker: signal {}, shutting down", sig);
  broker.Shutdown();
  if (embedded) embedded->Shutdown();
  return 0;
}

Status ParsePropertySets(const std::vector<std::string>& sets,
                         broker::PropertyOverrides* overrides) {
  for (const std::string& kv : sets) {
    size_t eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) {
      return Status::InvalidArgument("--set expects key=value, got '" + kv + "'");
    }
    (*overrides)[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  return Status::Ok();
}

}  // namespace holdfast::tools::commands
