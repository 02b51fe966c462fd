// Runs the servers of `holdfast namesrv`, `broker` and `standalone` as RocketMQ's mqnamesrv and
// mqbroker do: start, print the boot line on stdout, wait for SIGINT or SIGTERM, shut down.
//
// Call from the main thread before any other thread starts: SIGINT and SIGTERM are blocked in
// the calling thread first, so that every thread the servers start inherits the block and the
// signal reaches the waiting thread.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "broker/broker_config.h"
#include "common/status.h"
#include "namesrv/namesrv_config.h"

namespace holdfast::tools::commands {

// Exit code 0 after a signal and a clean shutdown; 1 when the name server cannot start (`err`
// says why).
int RunNamesrvUntilSignal(const namesrv::NamesrvConfig& config, std::ostream& out,
                          std::ostream& err);

// A broker from `conf_path` (a RocketMQ broker.conf; empty for none) with `overrides` on top, and
// when `namesrv` is given a name server of its own in the process, which the broker registers
// with (the standalone mode). Exit code 0 after a signal and a clean shutdown; 2 for a bad
// configuration, 1 when a server cannot start (`err` says why).
int RunBrokerUntilSignal(const std::string& conf_path, const broker::PropertyOverrides& overrides,
                         const namesrv::NamesrvConfig* namesrv, std::ostream& out,
                         std::ostream& err);

// Adds --set's "key=value" items to *overrides. InvalidArgument naming the first item without a
// key and '='.
[[nodiscard]] Status ParsePropertySets(const std::vector<std::string>& sets,
                                       broker::PropertyOverrides* overrides);

}  // namespace holdfast::tools::commands
