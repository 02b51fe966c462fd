#include "tools/bench/broker_process.h"

#include <filesystem>
#include <string_view>
#include <thread>
#include <utility>

#include <fmt/format.h>

#include "common/loopback_port.h"
#include "tools/text_file.h"

namespace holdfast::tools {

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::string_view kBootLine = "boot success";
// How often the broker port is tried while the process starts: the resolution of time_to_accept.
constexpr auto kConnectPollInterval = std::chrono::milliseconds(1);
constexpr size_t kLogTailChars = 800;

std::string LogTail(const std::string& path) {
  return TextTail(ReadTextFile(path).value_or(""), kLogTailChars);
}

}  // namespace

BrokerProcess::BrokerProcess(BrokerProcessOptions options, std::unique_ptr<Subprocess> process,
                             uint16_t broker_port, uint16_t namesrv_port)
    : options_(std::move(options)),
      process_(std::move(process)),
      broker_port_(broker_port),
      namesrv_port_(namesrv_port) {}

Result<std::unique_ptr<BrokerProcess>> BrokerProcess::Start(const BrokerProcessOptions& options) {
  if (options.dir.empty()) return Status::InvalidArgument("the broker's data directory is empty");
  std::error_code ec;
  std::filesystem::create_directories(options.dir, ec);
  if (ec) return Status::IoError("cannot create " + options.dir + ": " + ec.message());
  BrokerProcessOptions o = options;
  if (o.log_path.empty()) o.log_path = o.dir + ".log";
  auto broker_port = FreeLoopbackPort();
  if (!broker_port.ok()) return broker_port.status();
  auto namesrv_port = FreeLoopbackPort();
  if (!namesrv_port.ok()) return namesrv_port.status();
  std::vector<std::string> argv = {o.program,
                                   "standalone",
                                   "--dir",
                                   o.dir,
                                   "-p",
                                   std::to_string(*broker_port),
                                   "--namesrv-port",
                                   std::to_string(*namesrv_port)};
  argv.insert(argv.end(), o.extra_args.begin(), o.extra_args.end());

  const Clock::time_point spawned = Clock::now();
  auto process = Subprocess::Spawn(argv, {.stdin_from_dev_null = true, .stderr_file = o.log_path});
  if (!process.ok()) return process.status();
  std::unique_ptr<BrokerProcess> broker(
      new BrokerProcess(o, std::move(process).value(), *broker_port, *namesrv_port));
  Subprocess& child = *broker->process_;

  const Clock::time_point deadline = spawned + o.boot_timeout;
  bool accepted = false;
  bool booted = false;
  std::string output;
  while (!(accepted && booted) && !child.eof() && Clock::now() < deadline) {
    if (!accepted && AcceptsOnLoopback(*broker_port)) {
      broker->time_to_accept_ = Clock::now() - spawned;
      accepted = true;
    }
    if (booted) {  // the boot line came first: keep trying the port
      std::this_thread::sleep_for(kConnectPollInterval);
      continue;
    }
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
    if (auto line = child.ReadLine(accepted ? std::max(left, kConnectPollInterval)
                                            : kConnectPollInterval)) {
      output += *line + '\n';
      if (line->find(kBootLine) != std::string::npos) {
        broker->time_to_boot_line_ = Clock::now() - spawned;
        booted = true;
      }
    }
  }
  if (accepted && booted) return broker;

  const bool eof = child.eof();
  std::string why =
      eof ? "closed its stdout" : fmt::format("did not boot within {} ms", o.boot_timeout.count());
  if (!eof && booted) why = fmt::format("did not accept on port {}", *broker_port);
  child.Kill(SIGKILL);
  const int status = child.Wait();
  broker->process_.reset();
  return Status::Unavailable(fmt::format("{} standalone {} ({}); stdout: '{}'; log {}: {}",
                                         o.program, why, DescribeExitStatus(status), output,
                                         o.log_path, LogTail(o.log_path)));
}

BrokerProcess::~BrokerProcess() {
  Status s = Stop();
  (void)s;
}

Status BrokerProcess::Stop() {
  if (!process_) return Status::Ok();
  Status result;
  const pid_t pid = process_->pid();
  const std::optional<int> status = process_->Terminate(options_.stop_timeout);
  if (!status) {
    result = Status::IoError(
        fmt::format("the broker (pid {}) did not stop within {} ms of SIGTERM; killed", pid,
                    options_.stop_timeout.count()));
  } else if (*status != 0) {
    result = Status::IoError(
        fmt::format("the broker (pid {}) ended with {} after SIGTERM; log {}: {}", pid,
                    DescribeExitStatus(*status), options_.log_path, LogTail(options_.log_path)));
  }
  process_.reset();
  return result;
}

}  // namespace holdfast::tools
