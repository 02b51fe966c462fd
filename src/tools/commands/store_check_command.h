// `holdfast store-check --dir D [-n N] [--size B] [--flush sync|async]`: the store's self-check
// (tools/store_check.h).
#pragma once

#include <CLI/CLI.hpp>

#include "tools/commands/program_command.h"

namespace holdfast::tools::commands {

ProgramCommand AddStoreCheckCommand(CLI::App* program);

}  // namespace holdfast::tools::commands
