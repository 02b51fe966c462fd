// updateSubGroup: create or update a consumer group's SubscriptionGroupConfig on one broker (-b)
// or on every master of a cluster (-c), as mqadmin's UpdateSubGroupSubCommand.
#pragma once

#include <ostream>
#include <string>

#include "remoting/protocol/subscription_group_config.h"
#include "tools/admin/admin_command.h"

namespace holdfast::tools::admin {

struct UpdateSubGroupOptions {
  protocol::SubscriptionGroupConfig config;  // -g and the settings flags
  std::string broker_addr{};                 // -b
  std::string cluster{};                     // -c
};

// InvalidArgument unless exactly one of -b and -c is given; NotFound for an unknown cluster.
Status UpdateSubGroup(AdminContext& ctx, const UpdateSubGroupOptions& options, std::ostream& out);

AdminCommand AddUpdateSubGroupCommand(CLI::App* admin);

}  // namespace holdfast::tools::admin
