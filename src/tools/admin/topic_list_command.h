// topicList: every topic the name servers know, one a line, as mqadmin's TopicListSubCommand
// without -c.
#pragma once

#include <ostream>

#include "tools/admin/admin_command.h"

namespace holdfast::tools::admin {

Status TopicList(AdminContext& ctx, std::ostream& out);

AdminCommand AddTopicListCommand(CLI::App* admin);

}  // namespace holdfast::tools::admin
