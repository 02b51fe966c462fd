// brokerStatus: a broker's runtime information (GET_BROKER_RUNTIME_INFO's KVTable, sorted by
// key), for one broker (-b) or every broker of a cluster (-c), as mqadmin's
// BrokerStatusSubCommand. Holdfast adds, for every consumer group with a dead-letter queue on the
// broker, dlqDepth_<group> (its dead letters) and dlqResent_<group> (how many of them were resent;
// a resend leaves the dead letter in the DLQ), see dlq_depth.h.
#pragma once

#include <map>
#include <ostream>
#include <string>

#include "tools/admin/admin_command.h"

namespace holdfast::tools::admin {

struct BrokerStatusOptions {
  std::string broker_addr{};  // -b
  std::string cluster{};      // -c
};

// InvalidArgument unless exactly one of -b and -c is given.
Status BrokerStatus(AdminContext& ctx, const BrokerStatusOptions& options, std::ostream& out);

// The KVTable a broker answers GET_BROKER_RUNTIME_INFO with (shared with clusterList).
Result<std::map<std::string, std::string>> FetchBrokerRuntimeInfo(AdminContext& ctx,
                                                                  const std::string& addr);

AdminCommand AddBrokerStatusCommand(CLI::App* admin);

}  // namespace holdfast::tools::admin
