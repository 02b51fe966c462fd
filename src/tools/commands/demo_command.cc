#include "tools/commands/demo_command.h"

#include <memory>

#include <spdlog/spdlog.h>

#include "tools/demo.h"

namespace holdfast::tools::commands {

ProgramCommand AddDemoCommand(CLI::App* program) {
  auto options = std::make_shared<DemoOptions>();
  CLI::App* app = program->add_subcommand(
      "demo", "Send messages with sync send, consume them in a group, check every one arrived");
  app->add_option("-n,--namesrv", options->namesrv_addr, "Name server list")->capture_default_str();
  app->add_option("-t,--topic", options->topic)->capture_default_str();
  app->add_option("-g,--group", options->group, "Consumer group")->capture_default_str();
  app->add_option("-c,--count", options->count, "Messages to send")
      ->capture_default_str()
      ->check(CLI::Range(1, 1'000'000));
  return {app, [options](const ProgramContext& context) {
            spdlog::set_level(spdlog::level::warn);
            return RunDemo(*options, context.out);
          }};
}

}  // namespace holdfast::tools::commands
