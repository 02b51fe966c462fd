#include "tools/admin/topic_list_command.h"

#include "remoting/protocol/topic_list.h"
#include "remoting/request_code.h"

namespace holdfast::tools::admin {

Status TopicList(AdminContext& ctx, std::ostream& out) {
  Result<remoting::RemotingCommand> r = ctx.CallNameServer(
      remoting::RequestCode::GET_ALL_TOPIC_LIST_FROM_NAMESERVER, {}, "topic list");
  if (!r.ok()) return r.status();
  Result<protocol::TopicList> list = protocol::DecodeTopicList(r->body);
  if (!list.ok()) return Status::Corruption("topic list: " + list.status().message());
  for (const std::string& topic : list->topic_list) out << topic << "\n";
  return Status::Ok();
}

AdminCommand AddTopicListCommand(CLI::App* admin) {
  CLI::App* app = admin->add_subcommand("topicList", "Fetch all topic list from name server");
  return {app, [](AdminContext& ctx, std::ostream& out) { return TopicList(ctx, out); }};
}

}  // namespace holdfast::tools::admin
