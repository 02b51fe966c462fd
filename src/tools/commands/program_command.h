// ProgramCommand: one subcommand of the `holdfast` program as the registry (holdfast_cli.h) holds
// it, the way admin/admin_command.h holds the `holdfast admin` commands.
//
// Each command file offers `ProgramCommand AddXxxCommand(CLI::App* parent)`, which adds the
// subcommand with its flags to `parent` (the program, or `bench`) and binds them to a run
// function. After parsing, the registry calls the run function of the one subcommand that was
// parsed; it returns the process exit code (0 success, 1 failure, 2 bad usage) and prints to the
// context's streams.
#pragma once

#include <functional>
#include <ostream>
#include <string>

#include <CLI/CLI.hpp>

namespace holdfast::tools::commands {

// What a run function gets: the whole command line (reports echo it) and where to print.
struct ProgramContext {
  std::string command_line;
  std::ostream& out;
  std::ostream& err;
};

struct ProgramCommand {
  CLI::App* app = nullptr;  // the subcommand, owned by its parent CLI::App
  std::function<int(const ProgramContext&)> run;
};

}  // namespace holdfast::tools::commands
