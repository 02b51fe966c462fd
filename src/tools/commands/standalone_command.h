// `holdfast standalone [--dir D] [-p 10911] [--namesrv-port 9876] [--bind 127.0.0.1] [--set
// k=v]...`: a name server and a SYNC_FLUSH broker in one process on a local data directory.
#pragma once

#include <CLI/CLI.hpp>

#include "tools/commands/program_command.h"

namespace holdfast::tools::commands {

ProgramCommand AddStandaloneCommand(CLI::App* program);

}  // namespace holdfast::tools::commands
