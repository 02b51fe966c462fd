#include "tools/commands/standalone_command.h"

#include <memory>
#include <string>
#include <vector>

#include "namesrv/namesrv_config.h"
#include "tools/commands/server_runner.h"

namespace holdfast::tools::commands {

namespace {

struct StandaloneOptions {
  std::string dir = "./holdfast-data";
  std::string bind = "127.0.0.1";
  int port = 10911;
  namesrv::NamesrvConfig namesrv;
  std::vector<std::string> sets;
};

}  // namespace

ProgramCommand AddStandaloneCommand(CLI::App* program) {
  auto options = std::make_shared<StandaloneOptions>();
  CLI::App* app = program->add_subcommand(
      "standalone", "Run a name server and a broker in one process on a local data directory");
  app->add_option("--dir", options->dir, "storePathRootDir")->capture_default_str();
  app->add_option("-p,--listen-port", options->port, "The broker's listenPort")
      ->capture_default_str();
  app->add_option("--namesrv-port", options->namesrv.listen_port, "The name server's port")
      ->capture_default_str();
  app->add_option("--bind", options->bind,
                  "Address the broker and the name server listen on (bindAddress); the broker "
                  "registers it as brokerIP1 unless it is 0.0.0.0")
      ->capture_default_str();
  app->add_option("--set", options->sets, "Override a broker key: key=value");
  return {app, [options](const ProgramContext& context) {
            broker::PropertyOverrides overrides;
            overrides["storePathRootDir"] = options->dir;
            overrides["listenPort"] = std::to_string(options->port);
            overrides["bindAddress"] = options->bind;   // brokerIP1 follows it (broker_config.h)
            overrides["flushDiskType"] = "SYNC_FLUSH";  // zero loss is the default
            if (Status s = ParsePropertySets(options->sets, &overrides); !s.ok()) {
              context.err << "holdfast: " << s.message() << "\n";
              return 2;
            }
            namesrv::NamesrvConfig namesrv = options->namesrv;
            namesrv.bind_address = options->bind;
            return RunBrokerUntilSignal("", overrides, &namesrv, context.out, context.err);
          }};
}

}  // namespace holdfast::tools::commands
