// topicStatus: min and max offset and last update time of every queue of a topic on every
// master serving it, as mqadmin's TopicStatusSubCommand.
#pragma once

#include <ostream>
#include <string>

#include "tools/admin/admin_command.h"

namespace holdfast::tools::admin {

struct TopicStatusOptions {
  std::string topic{};  // -t
};

// NotFound when no name server has a route for the topic.
Status TopicStatus(AdminContext& ctx, const TopicStatusOptions& options, std::ostream& out);

AdminCommand AddTopicStatusCommand(CLI::App* admin);

}  // namespace holdfast::tools::admin
