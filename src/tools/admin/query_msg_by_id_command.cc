#include "tools/admin/query_msg_by_id_command.h"

#include <fmt/format.h>

#include <memory>

#include "common/message_id.h"
#include "remoting/protocol/view_message_request_header.h"
#include "remoting/request_code.h"
#include "tools/admin/admin_format.h"
#include "tools/admin/message_decoder.h"
#include "tools/admin/query_msg_by_key_command.h"

namespace holdfast::tools::admin {

namespace {

// Java's Map.toString: "{k1=v1, k2=v2}".
std::string PropertiesText(std::string_view encoded) {
  std::string out = "{";
  for (const auto& [k, v] : DecodeProperties(encoded)) {
    if (out.size() > 1) out += ", ";
    out += k + "=" + v;
  }
  return out + "}";
}

std::string PropertyOrNull(std::string_view encoded, std::string_view key) {
  std::optional<std::string_view> v = FindProperty(encoded, key);
  return v ? std::string(*v) : "null";
}

}  // namespace

void PrintMessage(const std::string& offset_msg_id, const MessageExt& msg, std::ostream& out) {
  auto line = [&out](std::string_view label, const auto& value) {
    out << fmt::format("{:<20} {}\n", label, value);
  };
  line("OffsetID:", offset_msg_id);
  line("Topic:", msg.topic);
  line("Tags:", "[" + PropertyOrNull(msg.properties, property::kTags) + "]");
  line("Keys:", "[" + PropertyOrNull(msg.properties, property::kKeys) + "]");
  line("Queue ID:", msg.queue_id);
  line("Queue Offset:", msg.queue_offset);
  line("CommitLog Offset:", msg.commit_log_offset);
  line("Reconsume Times:", msg.reconsume_times);
  line("Born Timestamp:", TimeMillisToHumanString(msg.born_timestamp));
  line("Store Timestamp:", TimeMillisToHumanString(msg.store_timestamp));
  line("Born Host:", msg.born_host.ToString());
  line("Store Host:", msg.store_host.ToString());
  line("System Flag:", msg.sys_flag);
  line("Properties:", PropertiesText(msg.properties));
  line("Message Body:", msg.body);
}

Status QueryMsgById(AdminContext& ctx, const QueryMsgByIdOptions& options, std::ostream& out) {
  Result<OffsetMsgId> id = DecodeOffsetMsgId(options.msg_id);
  if (!options.topic.empty()) {
    // A UNIQ_KEY is 32 hex characters too, and its leading bytes are the producer's IP, not a
    // broker's: look it up in the topic's index first rather than dial that address.
    QueryMsgByKeyOptions query;
    query.topic = options.topic;
    query.key = options.msg_id;
    query.max_num = 32;  // the broker's defaultQueryMaxNum for unique keys
    Result<std::vector<MessageExt>> msgs = QueryMessages(ctx, query, /*unique_key=*/true);
    if (!msgs.ok()) return msgs.status();
    for (const MessageExt& msg : *msgs) {
      PrintMessage(CreateOffsetMsgId(msg.store_host, msg.commit_log_offset), msg, out);
    }
    if (!msgs->empty()) return Status::Ok();
    if (!id.ok()) {
      return Status::NotFound("no message of topic " + options.topic + " has the id " +
                              options.msg_id);
    }
  }
  if (!id.ok()) {
    return Status::InvalidArgument(
        "'" + options.msg_id +
        "' is not an offsetMsgId (32 or 56 hex characters): " + id.status().message());
  }
  const std::string addr = id->store_host.ToString();
  Result<remoting::RemotingCommand> r =
      ctx.CallBroker(addr, remoting::RequestCode::VIEW_MESSAGE_BY_ID,
                     HeaderFields(protocol::ViewMessageRequestHeader{id->commit_log_offset}), {},
                     "message " + options.msg_id);
  if (!r.ok()) return r.status();
  Result<std::vector<MessageExt>> msgs = DecodeMessages(r->body);
  if (!msgs.ok()) return msgs.status();
  if (msgs->empty())
    return Status::NotFound("broker " + addr + " has no message " + options.msg_id);
  PrintMessage(options.msg_id, msgs->front(), out);
  return Status::Ok();
}

AdminCommand AddQueryMsgByIdCommand(CLI::App* admin) {
  auto options = std::make_shared<QueryMsgByIdOptions>();
  CLI::App* app = admin->add_subcommand("queryMsgById", "Query Message by Id");
  app->add_option("-i,--msgId", options->msg_id, "Message Id (offsetMsgId, or UNIQ_KEY with -t)")
      ->required();
  app->add_option("-t,--topic", options->topic, "topic name, to look a UNIQ_KEY up");
  return {app, [options](AdminContext& ctx, std::ostream& out) {
            return QueryMsgById(ctx, *options, out);
          }};
}

}  // namespace holdfast::tools::admin
