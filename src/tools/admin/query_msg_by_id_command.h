// queryMsgById -i: one message by its offsetMsgId, as mqadmin's QueryMsgByIdSubCommand. The id
// names the storing broker and the commit-log offset (docs/protocol.md §6.5); VIEW_MESSAGE_BY_ID
// reads it. With -t, the id is first looked up as the producer's message id (UNIQ_KEY) in the
// topic's index, then read as an offsetMsgId, as mqadmin's viewMessage(topic, msgId) does in the
// other order. The body is printed inline (mqadmin writes it to a file and prints the path).
#pragma once

#include <ostream>
#include <string>

#include "common/message.h"
#include "tools/admin/admin_command.h"

namespace holdfast::tools::admin {

struct QueryMsgByIdOptions {
  std::string msg_id{};  // -i
  std::string topic{};   // -t, for a UNIQ_KEY
};

// InvalidArgument for an id that is not an offsetMsgId (and no -t); an error naming the broker
// when it has no message there; NotFound when no message of -t has that id.
Status QueryMsgById(AdminContext& ctx, const QueryMsgByIdOptions& options, std::ostream& out);

// mqadmin's printMsg layout: "Topic:", "Tags:", "Keys:", "Queue ID:", ..., "Message Body:".
void PrintMessage(const std::string& offset_msg_id, const MessageExt& msg, std::ostream& out);

AdminCommand AddQueryMsgByIdCommand(CLI::App* admin);

}  // namespace holdfast::tools::admin
