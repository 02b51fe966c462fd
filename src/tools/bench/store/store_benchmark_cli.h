// Command-line options of the store benchmark, registered on a CLI11 app or subcommand, so the
// `holdfast bench store` subcommand and any other front end parse them the same way.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "tools/bench/store/store_benchmark.h"

namespace holdfast::tools {

class StoreBenchmarkCli {
 public:
  // Adds the options to app; app must outlive this object's use.
  explicit StoreBenchmarkCli(CLI::App* app);
  // The options after a successful parse; command_line is echoed in the report.
  StoreBenchmarkOptions Options(const std::string& command_line) const;

 private:
  StoreBenchmarkOptions options_;
  std::string dir_;
  std::string threads_ = "1,8,64";
  std::string blocking_threads_ = "64";
  std::string modes_ = "sync,async";
  std::string recovery_sizes_ = "1,4";
  bool no_index_ = false;
};

}  // namespace holdfast::tools
