// consumerProgress -g: for every queue a consumer group has offsets on, the broker's max offset,
// the group's committed offset and the difference, and the total difference, as mqadmin's
// ConsumerProgressSubCommand (GET_CONSUME_STATS on every master the name servers know). Holdfast
// adds the group's DLQ depth over all brokers and how many of its dead letters were resent
// (dlq_depth.h).
#pragma once

#include <ostream>
#include <string>

#include "tools/admin/admin_command.h"

namespace holdfast::tools::admin {

struct ConsumerProgressOptions {
  std::string group{};  // -g
  std::string topic{};  // -t; empty for every topic the group consumes
};

// NotFound when no broker has an offset of the group.
Status ConsumerProgress(AdminContext& ctx, const ConsumerProgressOptions& options,
                        std::ostream& out);

AdminCommand AddConsumerProgressCommand(CLI::App* admin);

}  // namespace holdfast::tools::admin
