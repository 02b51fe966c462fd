// `holdfast bench queues [--dir D] [--queues 10,1000,10000] [-m 2] [--skip-append]`: what a store
// costs per queue, beside the file system's least (bench/queues/queues_benchmark.h).
#pragma once

#include <CLI/CLI.hpp>

#include "tools/commands/program_command.h"

namespace holdfast::tools::commands {

ProgramCommand AddBenchQueuesCommand(CLI::App* bench);

}  // namespace holdfast::tools::commands
