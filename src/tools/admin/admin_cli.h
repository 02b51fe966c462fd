// AdminCli: the `holdfast admin` subcommand, RocketMQ's mqadmin with its command names and flags.
// It adds every admin command (one file each in this folder) as a subcommand of `admin`, each
// with `-n namesrvAddr` ("host:9876;host2:9876", default $NAMESRV_ADDR, then 127.0.0.1:9876).
//
// Use: construct before parsing with the program's CLI::App; after parsing, if parsed(), call
// Run(). Single-threaded.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "tools/admin/admin_command.h"

namespace holdfast::tools::admin {

class AdminCli {
 public:
  explicit AdminCli(CLI::App* program);

  bool parsed() const;
  // Runs the chosen command: 0 on success; on failure prints "holdfast admin <command>: <what
  // went wrong>" to `err` and returns 1.
  int Run(std::ostream& out, std::ostream& err);

 private:
  CLI::App* admin_;
  std::string namesrv_addr_ = "127.0.0.1:9876";
  std::vector<AdminCommand> commands_;
};

}  // namespace holdfast::tools::admin
