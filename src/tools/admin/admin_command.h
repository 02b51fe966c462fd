// AdminCommand: one `holdfast admin` subcommand as the registry (admin_cli.h) holds it.
//
// Each command file offers three things: an options struct (mqadmin's flags), a function
// `Status Xxx(AdminContext&, const XxxOptions&, std::ostream& out)` that does the work and prints
// the result to `out` (what tests call), and `AdminCommand AddXxxCommand(CLI::App* admin)` that
// adds the subcommand with its flags and binds them to a run function. A failure is a Status whose
// message is printed as is, so it names what was wrong.
#pragma once

#include <functional>
#include <ostream>

#include <CLI/CLI.hpp>

#include "common/status.h"
#include "tools/admin/admin_context.h"

namespace holdfast::tools::admin {

struct AdminCommand {
  CLI::App* app = nullptr;  // the subcommand, owned by its parent CLI::App
  std::function<Status(AdminContext&, std::ostream&)> run;
};

}  // namespace holdfast::tools::admin
