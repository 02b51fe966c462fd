// `holdfast broker -c broker.conf [-n host:9876] [--set key=value]...`: a broker from a RocketMQ
// broker.conf, RocketMQ's mqbroker.
#pragma once

#include <CLI/CLI.hpp>

#include "tools/commands/program_command.h"

namespace holdfast::tools::commands {

ProgramCommand AddBrokerCommand(CLI::App* program);

}  // namespace holdfast::tools::commands
