#include "tools/commands/namesrv_command.h"

#include <cstdint>
#include <memory>

#include "namesrv/namesrv_config.h"
#include "tools/commands/server_runner.h"

namespace holdfast::tools::commands {

ProgramCommand AddNamesrvCommand(CLI::App* program) {
  auto config = std::make_shared<namesrv::NamesrvConfig>();
  CLI::App* app = program->add_subcommand("namesrv", "Run a name server (mqnamesrv)");
  app->add_option("-p,--listen-port", config->listen_port, "listenPort")->capture_default_str();
  app->add_option("--bind", config->bind_address, "Address to listen on")->capture_default_str();
  app->add_option("--broker-expired-ms", config->broker_channel_expired_time,
                  "Drop a broker after this long without a registration (ms)")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{1000}, int64_t{86'400'000}));
  return {app, [config](const ProgramContext& context) {
            return RunNamesrvUntilSignal(*config, context.out, context.err);
          }};
}

}  // namespace holdfast::tools::commands
