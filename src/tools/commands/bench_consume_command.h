// `holdfast bench consume [-n ADDR] [-t T] [-g G] [-d 10] [--from-first]`: the consumer benchmark
// (bench/client_benchmark.h).
#pragma once

#include <CLI/CLI.hpp>

#include "tools/commands/program_command.h"

namespace holdfast::tools::commands {

ProgramCommand AddBenchConsumeCommand(CLI::App* bench);

}  // namespace holdfast::tools::commands
