#include "tools/commands/holdfast_cli.h"

#include <memory>

#include "tools/admin/admin_cli.h"
#include "tools/commands/bench_cluster_command.h"
#include "tools/commands/bench_consume_command.h"
#include "tools/commands/bench_produce_command.h"
#include "tools/commands/bench_queues_command.h"
#include "tools/commands/bench_schedule_command.h"
#include "tools/commands/bench_store_command.h"
#include "tools/commands/bench_timer_command.h"
#include "tools/commands/broker_command.h"
#include "tools/commands/demo_command.h"
#include "tools/commands/namesrv_command.h"
#include "tools/commands/standalone_command.h"
#include "tools/commands/store_check_command.h"

namespace holdfast::tools::commands {

namespace {

// `admin` and its commands, from tools/admin/.
ProgramCommand AddAdminCommand(CLI::App* program) {
  auto admin = std::make_shared<admin::AdminCli>(program);
  return {program->get_subcommand("admin"),
          [admin](const ProgramContext& context) { return admin->Run(context.out, context.err); }};
}

}  // namespace

HoldfastCli::HoldfastCli(CLI::App* program) {
  program->require_subcommand(1);
  commands_.push_back(AddStoreCheckCommand(program));
  CLI::App* bench =
      program->add_subcommand("bench", "Benchmarks, each beside the physical limit it meets");
  bench->require_subcommand(1);
  commands_.push_back(AddBenchStoreCommand(bench));
  commands_.push_back(AddBenchProduceCommand(bench));
  commands_.push_back(AddBenchConsumeCommand(bench));
  commands_.push_back(AddBenchQueuesCommand(bench));
  commands_.push_back(AddBenchScheduleCommand(bench));
  commands_.push_back(AddBenchTimerCommand(bench));
  commands_.push_back(AddBenchClusterCommand(bench));
  commands_.push_back(AddNamesrvCommand(program));
  commands_.push_back(AddBrokerCommand(program));
  commands_.push_back(AddStandaloneCommand(program));
  commands_.push_back(AddAdminCommand(program));
  commands_.push_back(AddDemoCommand(program));
}

int HoldfastCli::Run(const ProgramContext& context) {
  for (ProgramCommand& command : commands_) {
    if (command.app->parsed()) return command.run(context);
  }
  return 2;  // not reached: a subcommand is required
}

std::string JoinCommandLine(int argc, char** argv) {
  std::string line;
  for (int i = 0; i < argc; ++i) {
    if (i > 0) line += ' ';
    line += argv[i];
  }
  return line;
}

}  // namespace holdfast::tools::commands
