#include "tests/support/standalone_broker.h"

#include <regex>
#include <utility>

#include "common/loopback_port.h"

namespace holdfast::testing {

StandaloneBroker::StandaloneBroker(std::string program, std::string data_dir,
                                   std::vector<std::string> extra_args)
    : program_(std::move(program)),
      data_dir_(std::move(data_dir)),
      extra_args_(std::move(extra_args)) {}

StandaloneBroker::~StandaloneBroker() {
  if (proc_) Kill9();
}

Status StandaloneBroker::Start() {
  if (proc_) return Status::InvalidArgument("standalone broker already running");
  if (broker_port_ == 0) broker_port_ = FreeLoopbackPort().value();
  if (namesrv_port_ == 0) namesrv_port_ = FreeLoopbackPort().value();
  std::vector<std::string> argv = {program_,
                                   "standalone",
                                   "--dir",
                                   data_dir_,
                                   "-p",
                                   std::to_string(broker_port_),
                                   "--namesrv-port",
                                   std::to_string(namesrv_port_)};
  argv.insert(argv.end(), extra_args_.begin(), extra_args_.end());
  Result<std::unique_ptr<Subprocess>> proc = Subprocess::Spawn(argv);
  if (!proc.ok()) return proc.status();
  proc_ = std::move(*proc);
  const std::regex boot("serving at ([0-9.]+:[0-9]+), name server at ([0-9.]+:[0-9]+)");
  while (std::optional<std::string> line = proc_->ReadLine(std::chrono::seconds(20))) {
    std::smatch m;
    if (std::regex_search(*line, m, boot)) {
      broker_addr_ = m[1];
      namesrv_addr_ = m[2];
      return Status::Ok();
    }
  }
  proc_->Kill(SIGKILL);
  const int code = proc_->Wait();
  proc_.reset();
  return Status::Unavailable("holdfast standalone printed no boot line (exit status " +
                             std::to_string(code) + ")");
}

int StandaloneBroker::Stop() {
  if (!proc_) return 0;
  proc_->Kill(SIGTERM);
  const int code = proc_->Wait();
  proc_.reset();
  return code;
}

void StandaloneBroker::Kill9() {
  if (!proc_) return;
  proc_->Kill(SIGKILL);
  proc_->Wait();
  proc_.reset();
}

}  // namespace holdfast::testing
