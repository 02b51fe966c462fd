// `holdfast bench store [--dir D] ...`: the store benchmark (bench/store/store_benchmark.h).
#pragma once

#include <CLI/CLI.hpp>

#include "tools/commands/program_command.h"

namespace holdfast::tools::commands {

ProgramCommand AddBenchStoreCommand(CLI::App* bench);

}  // namespace holdfast::tools::commands
