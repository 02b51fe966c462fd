// HoldfastCli: the `holdfast` program's subcommands, one file each in this folder (admin's in
// tools/admin/), registered on the program's CLI::App in the order its help lists them.
//
// Use: construct before parsing; after a successful parse, Run() runs the one subcommand parsed.
// To add a subcommand, add a file with its AddXxxCommand (see program_command.h) and one line to
// the constructor. Single-threaded.
#pragma once

#include <vector>

#include <CLI/CLI.hpp>

#include "tools/commands/program_command.h"

namespace holdfast::tools::commands {

class HoldfastCli {
 public:
  // `program` must outlive this object; exactly one subcommand is required.
  explicit HoldfastCli(CLI::App* program);

  // The parsed subcommand's exit code.
  int Run(const ProgramContext& context);

 private:
  std::vector<ProgramCommand> commands_;
};

// argv joined with spaces, as reports echo the command that made them.
std::string JoinCommandLine(int argc, char** argv);

}  // namespace holdfast::tools::commands
