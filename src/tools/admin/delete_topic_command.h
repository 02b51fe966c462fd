// deleteTopic: delete a topic from every master of a cluster and from every name server, as
// mqadmin's DeleteTopicSubCommand.
#pragma once

#include <ostream>
#include <string>

#include "tools/admin/admin_command.h"

namespace holdfast::tools::admin {

struct DeleteTopicOptions {
  std::string topic{};    // -t
  std::string cluster{};  // -c
};

// NotFound when no name server has a route for the topic, or for an unknown cluster.
Status DeleteTopic(AdminContext& ctx, const DeleteTopicOptions& options, std::ostream& out);

AdminCommand AddDeleteTopicCommand(CLI::App* admin);

}  // namespace holdfast::tools::admin
