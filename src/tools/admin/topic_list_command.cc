#include "tools/admin/topic_list_command.h"

#include <nlohmann/json.hpp>

#include "remoting/request_code.h"

namespace holdfast::tools::admin {

Status TopicList(AdminContext& ctx, std::ostream& out) {
  Result<remoting::RemotingCommand> r = ctx.CallNameServer(
      remoting::RequestCode::GET_ALL_TOPIC_LIST_FROM_NAMESERVER, {}, "topic list");
  if (!r.ok()) return r.status();
  nlohmann::json j = nlohmann::json::parse(r->body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.contains("topicList") || !j["topicList"].is_array()) {
    return Status::Corruption("topic list: the name server's answer has no topicList array");
  }
  for (const auto& topic : j["topicList"]) {
    if (topic.is_string()) out << topic.get<std::string>() << "\n";
  }
  return Status::Ok();
}

AdminCommand AddTopicListCommand(CLI::App* admin) {
  CLI::App* app = admin->add_subcommand("topicList", "Fetch all topic list from name server");
  return {app, [](AdminContext& ctx, std::ostream& out) { return TopicList(ctx, out); }};
}

}  // namespace holdfast::tools::admin
