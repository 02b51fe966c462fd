// holdfast: the one program. Subcommands parse their options and hand over to the library.
#include <CLI/CLI.hpp>
#include <iostream>

#include "tools/store_check.h"

int main(int argc, char** argv) {
  CLI::App app{
      "Holdfast: a RocketMQ-compatible message broker that never loses an acknowledged message"};
  app.require_subcommand(1);

  holdfast::tools::StoreCheckOptions check;
  std::string flush = "sync";
  auto* store_check = app.add_subcommand(
      "store-check",
      "Append, read back, reopen and verify messages in a store on a data directory");
  store_check->add_option("--dir", check.dir, "Store root directory (storePathRootDir)")
      ->capture_default_str();
  store_check->add_option("-n,--messages", check.messages, "Messages to append")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000000));
  store_check->add_option("--size", check.body_size, "Body size in bytes")
      ->capture_default_str()
      ->check(CLI::Range(1, 4 * 1024 * 1024));
  store_check
      ->add_option("--flush", flush, "flushDiskType: sync (SYNC_FLUSH) or async (ASYNC_FLUSH)")
      ->capture_default_str()
      ->check(CLI::IsMember({"sync", "async"}));

  CLI11_PARSE(app, argc, argv);

  if (store_check->parsed()) {
    check.sync_flush = flush == "sync";
    return holdfast::tools::RunStoreCheck(check, std::cout);
  }
  return 0;
}
