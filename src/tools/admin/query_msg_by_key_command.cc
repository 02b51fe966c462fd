#include "tools/admin/query_msg_by_key_command.h"

#include <fmt/format.h>

#include <memory>

#include "common/message_id.h"
#include "remoting/protocol/query_message_request_header.h"
#include "remoting/request_code.h"
#include "remoting/response_code.h"
#include "tools/admin/message_decoder.h"

namespace holdfast::tools::admin {

namespace {

// Whether the space-separated KEYS property holds `key` exactly (the index matches by hash).
bool HasKey(const MessageExt& msg, const std::string& key) {
  std::optional<std::string_view> keys = FindProperty(msg.properties, property::kKeys);
  if (!keys) return false;
  std::string_view rest = *keys;
  while (!rest.empty()) {
    const size_t sp = rest.find(property::kKeySeparator);
    if (rest.substr(0, sp) == key) return true;
    if (sp == std::string_view::npos) break;
    rest.remove_prefix(sp + 1);
  }
  return false;
}

}  // namespace

Result<std::vector<MessageExt>> QueryMessages(AdminContext& ctx,
                                              const QueryMsgByKeyOptions& options,
                                              bool unique_key) {
  if (options.topic.empty() || options.key.empty()) {
    return Status::InvalidArgument("a message query needs -t topic and a key");
  }
  Result<std::map<std::string, std::string>> masters = ctx.TopicMasterAddrs(options.topic);
  if (!masters.ok()) return masters.status();
  const Fields fields = HeaderFields(protocol::QueryMessageRequestHeader{
      .topic = options.topic,
      .key = options.key,
      .max_num = options.max_num,
      .begin_timestamp = options.begin_timestamp,
      .end_timestamp = options.end_timestamp,
      .unique_key_query = unique_key,
  });
  std::vector<MessageExt> out;
  for (const auto& [name, addr] : *masters) {
    const std::string what = "messages of " + options.topic + " with key " + options.key;
    Result<remoting::RemotingCommand> r =
        ctx.InvokeBroker(addr, remoting::RequestCode::QUERY_MESSAGE, fields, what);
    if (!r.ok()) return r.status();
    if (r->code == remoting::ResponseCode::QUERY_NOT_FOUND) continue;
    if (r->code != remoting::ResponseCode::SUCCESS) {
      return client::ResponseError(what + " at broker " + addr, *r);
    }
    Result<std::vector<MessageExt>> msgs = DecodeMessages(r->body);
    if (!msgs.ok()) return msgs.status();
    // The index matches by hash: keep only true matches.
    for (MessageExt& msg : *msgs) {
      const bool match =
          unique_key
              ? FindProperty(msg.properties, property::kUniqClientMessageIdKeyIndex) == options.key
              : HasKey(msg, options.key);
      if (msg.topic == options.topic && match) out.push_back(std::move(msg));
    }
  }
  return out;
}

Status QueryMsgByKey(AdminContext& ctx, const QueryMsgByKeyOptions& options, std::ostream& out) {
  if (options.topic.empty() || options.key.empty()) {
    return Status::InvalidArgument("queryMsgByKey needs -t topic and -k key");
  }
  Result<std::vector<MessageExt>> msgs = QueryMessages(ctx, options, /*unique_key=*/false);
  if (!msgs.ok()) return msgs.status();
  out << fmt::format("{:<50} {:>4} {:>40}\n", "#Message ID", "#QID", "#Offset");
  for (const MessageExt& msg : *msgs) {
    std::optional<std::string_view> uniq =
        FindProperty(msg.properties, property::kUniqClientMessageIdKeyIndex);
    const std::string id =
        uniq ? std::string(*uniq) : CreateOffsetMsgId(msg.store_host, msg.commit_log_offset);
    out << fmt::format("{:<50} {:>4} {:>40}\n", id, msg.queue_id, msg.queue_offset);
  }
  return Status::Ok();
}

AdminCommand AddQueryMsgByKeyCommand(CLI::App* admin) {
  auto options = std::make_shared<QueryMsgByKeyOptions>();
  CLI::App* app = admin->add_subcommand("queryMsgByKey", "Query Message by Key");
  app->add_option("-t,--topic", options->topic, "topic name")->required();
  app->add_option("-k,--msgKey", options->key, "Message Key")->required();
  app->add_option("-b,--beginTimestamp", options->begin_timestamp, "Begin timestamp(ms)")
      ->capture_default_str();
  app->add_option("-e,--endTimestamp", options->end_timestamp, "End timestamp(ms)");
  app->add_option("-c,--maxNum", options->max_num, "The maximum number of messages returned")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  return {app, [options](AdminContext& ctx, std::ostream& out) {
            return QueryMsgByKey(ctx, *options, out);
          }};
}

}  // namespace holdfast::tools::admin
