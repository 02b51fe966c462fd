// `holdfast standalone` (a name server and a broker in one process) as a real child process on a
// data directory, for integration tests: start, find its addresses from the boot line, stop it with
// SIGTERM or kill -9 it, and start it again on the same data.
//
// The broker and its name server listen on free loopback ports chosen at the first Start() and
// kept across restarts, so clients reconnect to the same addresses.
// Not thread-safe; use from the test's main thread (see Subprocess for why).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "common/subprocess.h"

namespace holdfast::testing {

class StandaloneBroker {
 public:
  // `program`: path of the holdfast binary; `data_dir`: the broker's data directory;
  // `extra_args`: appended to `holdfast standalone ...` (e.g. {"--set", "flushDiskType=..."}).
  StandaloneBroker(std::string program, std::string data_dir,
                   std::vector<std::string> extra_args = {});
  ~StandaloneBroker();  // kills the process if it still runs

  // Starts the process and waits (up to 20 s) for its boot line. Fails if it exits first.
  Status Start();
  // SIGTERM and wait; the exit code (0 after a clean shutdown).
  int Stop();
  // kill -9 and wait.
  void Kill9();

  bool running() const { return proc_ != nullptr; }
  const std::string& namesrv_addr() const { return namesrv_addr_; }
  const std::string& broker_addr() const { return broker_addr_; }
  int broker_port() const { return broker_port_; }

 private:
  const std::string program_;
  const std::string data_dir_;
  const std::vector<std::string> extra_args_;
  int broker_port_ = 0;
  int namesrv_port_ = 0;
  std::string namesrv_addr_;
  std::string broker_addr_;
  std::unique_ptr<Subprocess> proc_;
};

}  // namespace holdfast::testing
