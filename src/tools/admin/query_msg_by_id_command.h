// queryMsgById -i: one message by its offsetMsgId, as mqadmin's QueryMsgByIdSubCommand. The id
// names the storing broker and the commit-log offset (sheet 6.5); VIEW_MESSAGE_BY_ID reads it.
// The body is printed inline (mqadmin writes it to a file and prints the path).
#pragma once

#include <ostream>
#include <string>

#include "common/message.h"
#include "tools/admin/admin_command.h"

namespace holdfast::tools::admin {

struct QueryMsgByIdOptions {
  std::string msg_id{};  // -i
};

// InvalidArgument for an id that is not an offsetMsgId; an error naming the broker when it has
// no message there.
Status QueryMsgById(AdminContext& ctx, const QueryMsgByIdOptions& options, std::ostream& out);

// mqadmin's printMsg layout: "Topic:", "Tags:", "Keys:", "Queue ID:", ..., "Message Body:".
void PrintMessage(const std::string& offset_msg_id, const MessageExt& msg, std::ostream& out);

AdminCommand AddQueryMsgByIdCommand(CLI::App* admin);

}  // namespace holdfast::tools::admin
