// topicRoute: a topic's route (TopicRouteData) as pretty JSON, as mqadmin's
// TopicRouteSubCommand.
#pragma once

#include <ostream>
#include <string>

#include "tools/admin/admin_command.h"

namespace holdfast::tools::admin {

struct TopicRouteOptions {
  std::string topic{};  // -t
};

// NotFound when no name server has a route for the topic.
Status TopicRoute(AdminContext& ctx, const TopicRouteOptions& options, std::ostream& out);

AdminCommand AddTopicRouteCommand(CLI::App* admin);

}  // namespace holdfast::tools::admin
