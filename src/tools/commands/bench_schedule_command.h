// `holdfast bench schedule [--dir D] [-n 100000] [--delay 3s]`: how late delayed messages that
// fall due together are delivered, beside the disk's fdatasync rate
// (bench/schedule/schedule_benchmark.h).
#pragma once

#include <CLI/CLI.hpp>

#include "tools/commands/program_command.h"

namespace holdfast::tools::commands {

ProgramCommand AddBenchScheduleCommand(CLI::App* bench);

}  // namespace holdfast::tools::commands
