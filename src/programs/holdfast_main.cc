// holdfast: the one program. Its subcommands (src/tools/commands/) parse their options and hand
// over to the libraries; main() sets up logging, parses, and runs the one that was chosen.
#include <CLI/CLI.hpp>
#include <iostream>

#include "common/logging.h"
#include "common/open_file_limit.h"
#include "tools/commands/holdfast_cli.h"

int main(int argc, char** argv) {
  holdfast::SetUpLogging("holdfast");
  holdfast::RaiseOpenFileLimit();
  CLI::App app{
      "Holdfast: a RocketMQ-compatible message broker that never loses an acknowledged message"};
  holdfast::tools::commands::HoldfastCli cli(&app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  return cli.Run({holdfast::tools::commands::JoinCommandLine(argc, argv), std::cout, std::cerr});
}
