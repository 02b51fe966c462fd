#include "tools/commands/store_check_command.h"

#include <memory>
#include <string>

#include "tools/store_check.h"

namespace holdfast::tools::commands {

namespace {

struct StoreCheckFlags {
  StoreCheckOptions check;
  std::string flush = "sync";
};

}  // namespace

ProgramCommand AddStoreCheckCommand(CLI::App* program) {
  auto flags = std::make_shared<StoreCheckFlags>();
  CLI::App* app = program->add_subcommand(
      "store-check",
      "Append, read back, reopen and verify messages in a store on a data directory");
  app->add_option("--dir", flags->check.dir, "Store root directory (storePathRootDir)")
      ->capture_default_str();
  app->add_option("-n,--messages", flags->check.messages, "Messages to append")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000000));
  app->add_option("--size", flags->check.body_size, "Body size in bytes")
      ->capture_default_str()
      ->check(CLI::Range(1, 4 * 1024 * 1024));
  app->add_option("--flush", flags->flush,
                  "flushDiskType: sync (SYNC_FLUSH) or async (ASYNC_FLUSH)")
      ->capture_default_str()
      ->check(CLI::IsMember({"sync", "async"}));
  return {app, [flags](const ProgramContext& context) {
            StoreCheckOptions check = flags->check;
            check.sync_flush = flags->flush == "sync";
            return RunStoreCheck(check, context.out);
          }};
}

}  // namespace holdfast::tools::commands
