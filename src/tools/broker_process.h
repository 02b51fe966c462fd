// BrokerProcess: `holdfast standalone` (a name server and a broker in one process) started as a
// child process by a benchmark, so that the broker it measures runs exactly as a user runs it.
//
// Lifecycle: Start() picks two free loopback ports, spawns `<program> standalone --dir <dir>
// -p <port> --namesrv-port <port> <extra args>`, connect-polls the broker port to time how long the
// process takes to accept connections, and waits for the "boot success" line on its stdout (both
// bounded by boot_timeout). Stop() (also run by the destructor) sends SIGTERM and reaps it, with
// SIGKILL after stop_timeout. The child's stderr (its log) goes to log_path, whose tail is quoted
// when it fails to boot. The child gets SIGKILL if the thread that started it ends
// (PR_SET_PDEATHSIG), so a benchmark that dies leaves no broker behind: start it from a thread
// that outlives it (the main thread).
//
// Threads: none of its own. Not thread-safe: one thread uses a BrokerProcess at a time.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/process_memory.h"
#include "common/status.h"

namespace holdfast::tools {

struct BrokerProcessOptions {
  std::string program = "/proc/self/exe";  // the holdfast program
  std::string dir;                         // the broker's data directory (created if missing)
  std::vector<std::string> extra_args;     // e.g. {"--set", "flushDiskType=ASYNC_FLUSH"}
  std::string log_path;                    // the child's stderr; empty: <dir>.log
  std::chrono::milliseconds boot_timeout{20000};
  std::chrono::milliseconds stop_timeout{20000};
};

class BrokerProcess {
 public:
  // Fails with the spawn's error, or Unavailable naming what happened (exit status, no boot line
  // in time) and the tail of the log when the broker did not boot; the child is then reaped.
  static Result<std::unique_ptr<BrokerProcess>> Start(const BrokerProcessOptions& options);
  ~BrokerProcess();
  BrokerProcess(const BrokerProcess&) = delete;
  BrokerProcess& operator=(const BrokerProcess&) = delete;

  pid_t pid() const { return pid_; }
  uint16_t broker_port() const { return broker_port_; }
  std::string namesrv_addr() const { return "127.0.0.1:" + std::to_string(namesrv_port_); }
  // From the spawn until a TCP connect to the broker port succeeded.
  std::chrono::nanoseconds time_to_accept() const { return time_to_accept_; }
  // From the spawn until the boot line was read (the broker registered with its name server).
  std::chrono::nanoseconds time_to_boot_line() const { return time_to_boot_line_; }

  // SIGTERM, then waits for the exit: Ok after exit code 0; IoError naming the exit status
  // otherwise, or when it had to be killed after stop_timeout. Idempotent.
  Status Stop();

 private:
  BrokerProcess(BrokerProcessOptions options, pid_t pid, int stdout_fd, uint16_t broker_port,
                uint16_t namesrv_port)
      : options_(std::move(options)),
        pid_(pid),
        stdout_fd_(stdout_fd),
        broker_port_(broker_port),
        namesrv_port_(namesrv_port) {}

  const BrokerProcessOptions options_;
  pid_t pid_;      // -1 once reaped
  int stdout_fd_;  // the read end of the child's stdout; -1 once closed
  const uint16_t broker_port_;
  const uint16_t namesrv_port_;
  std::chrono::nanoseconds time_to_accept_{0};
  std::chrono::nanoseconds time_to_boot_line_{0};
};

// The CPU time (user + system) a process has used so far, in seconds, from /proc/<pid>/stat.
// NotFound when the process is gone; Corruption for a line that does not parse.
[[nodiscard]] Result<double> ReadProcessCpuSeconds(pid_t pid);

}  // namespace holdfast::tools
