#include "tools/commands/broker_command.h"

#include <memory>
#include <string>
#include <vector>

#include "tools/commands/server_runner.h"

namespace holdfast::tools::commands {

namespace {

struct BrokerOptions {
  std::string conf_path;
  std::string namesrv_addr;
  std::vector<std::string> sets;
};

}  // namespace

ProgramCommand AddBrokerCommand(CLI::App* program) {
  auto options = std::make_shared<BrokerOptions>();
  CLI::App* app =
      program->add_subcommand("broker", "Run a broker (mqbroker) from a broker.conf file");
  app->add_option("-c,--config", options->conf_path, "broker.conf (RocketMQ properties)");
  app->add_option("-n,--namesrv", options->namesrv_addr,
                  "namesrvAddr, e.g. 127.0.0.1:9876;host2:9876");
  app->add_option("--set", options->sets, "Override a broker.conf key: key=value (repeatable)");
  return {app, [options](const ProgramContext& context) {
            broker::PropertyOverrides overrides;
            if (!options->namesrv_addr.empty()) overrides["namesrvAddr"] = options->namesrv_addr;
            if (Status s = ParsePropertySets(options->sets, &overrides); !s.ok()) {
              context.err << "holdfast: " << s.message() << "\n";
              return 2;
            }
            return RunBrokerUntilSignal(options->conf_path, overrides, nullptr, context.out,
                                        context.err);
          }};
}

}  // namespace holdfast::tools::commands
