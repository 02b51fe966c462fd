// `holdfast bench produce [-n ADDR] [-t T] [-w 64] [-s 1024] [-m sync|async|oneway] [-d 10]`: the
// producer benchmark (bench/client_benchmark.h).
#pragma once

#include <CLI/CLI.hpp>

#include "tools/commands/program_command.h"

namespace holdfast::tools::commands {

ProgramCommand AddBenchProduceCommand(CLI::App* bench);

}  // namespace holdfast::tools::commands
