// `holdfast bench cluster [--dir D] [-d 5] [--skip-redis] [--skip-store]`: brokers against the same
// run's limits and peers (bench/cluster/cluster_benchmark.h).
#pragma once

#include <CLI/CLI.hpp>

#include "tools/commands/program_command.h"

namespace holdfast::tools::commands {

ProgramCommand AddBenchClusterCommand(CLI::App* bench);

}  // namespace holdfast::tools::commands
