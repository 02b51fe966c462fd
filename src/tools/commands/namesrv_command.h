// `holdfast namesrv [-p 9876] [--bind ADDR] [--broker-expired-ms MS]`: a name server, RocketMQ's
// mqnamesrv.
#pragma once

#include <CLI/CLI.hpp>

#include "tools/commands/program_command.h"

namespace holdfast::tools::commands {

ProgramCommand AddNamesrvCommand(CLI::App* program);

}  // namespace holdfast::tools::commands
