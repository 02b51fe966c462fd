// `holdfast bench timer [--dir D] [--waiting 10000,100000,1000000] [--probes 10000]`: the timer
// store's enqueue rate, delivery lateness and memory by count waiting, beside the disk's group
// commit rate (bench/timer/timer_benchmark.h).
#pragma once

#include <CLI/CLI.hpp>

#include "tools/commands/program_command.h"

namespace holdfast::tools::commands {

ProgramCommand AddBenchTimerCommand(CLI::App* bench);

}  // namespace holdfast::tools::commands
