// `holdfast demo [-n ADDR] [-t T] [-g G] [-c 100]`: the README's first look at a broker
// (tools/demo.h).
#pragma once

#include <CLI/CLI.hpp>

#include "tools/commands/program_command.h"

namespace holdfast::tools::commands {

ProgramCommand AddDemoCommand(CLI::App* program);

}  // namespace holdfast::tools::commands
