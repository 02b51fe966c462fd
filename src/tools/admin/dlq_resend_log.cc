#include "tools/admin/dlq_resend_log.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <thread>

#include "common/clock.h"
#include "remoting/protocol/create_topic_request_header.h"
#include "remoting/protocol/json_fields.h"
#include "remoting/protocol/perm_name.h"
#include "remoting/request_code.h"
#include "tools/admin/topic_reader.h"

namespace holdfast::tools::admin {

namespace {

Status CreateLogTopic(AdminContext& ctx, const std::string& addr) {
  const Fields fields = HeaderFields(protocol::CreateTopicRequestHeader{
      .topic = std::string(kResendLogTopic),
      .default_topic = "TBW102",
      .read_queue_nums = 1,
      .write_queue_nums = 1,
      .perm = protocol::kPermRead | protocol::kPermWrite,
      .topic_filter_type = "SINGLE_TAG",
  });
  Result<remoting::RemotingCommand> r =
      ctx.CallBroker(addr, remoting::RequestCode::UPDATE_AND_CREATE_TOPIC, fields, {},
                     "create topic " + std::string(kResendLogTopic));
  return r.status();
}

}  // namespace

std::string EncodeResendRecord(const ResendRecord& r) {
  nlohmann::json j = {{"group", r.group},
                      {"msgId", r.msg_id},
                      {"dlqMsgId", r.dlq_msg_id},
                      {"dlqBroker", r.dlq_broker},
                      {"dlqQueueOffset", r.dlq_queue_offset},
                      {"targetTopic", r.target_topic},
                      {"targetBroker", r.target_broker},
                      {"sentMsgId", r.sent_msg_id},
                      {"resentAt", r.resent_at},
                      {"resentBy", r.resent_by},
                      {"forced", r.forced}};
  return protocol::DumpJson(j);
}

Result<ResendRecord> DecodeResendRecord(std::string_view body) {
  Result<nlohmann::json> j = protocol::ParseJsonObject(body, "resend record");
  if (!j.ok()) return j.status();
  Result<protocol::JsonFields> f = protocol::JsonFields::Of(*j, "resend record");
  if (!f.ok()) return f.status();
  ResendRecord r;
  for (Status s :
       {f->ReadRequired("group", &r.group), f->ReadRequired("msgId", &r.msg_id),
        f->ReadRequired("dlqMsgId", &r.dlq_msg_id), f->Read("dlqBroker", &r.dlq_broker),
        f->Read("dlqQueueOffset", &r.dlq_queue_offset),
        f->ReadRequired("targetTopic", &r.target_topic), f->Read("targetBroker", &r.target_broker),
        f->Read("sentMsgId", &r.sent_msg_id), f->Read("resentAt", &r.resent_at),
        f->Read("resentBy", &r.resent_by), f->Read("forced", &r.forced)}) {
    if (!s.ok()) return s;
  }
  return r;
}

Result<std::vector<ResendRecord>> ReadResendLog(AdminContext& ctx, const std::string& addr,
                                                const std::string& group) {
  Result<std::optional<protocol::TopicStatsTable>> stats =
      FetchTopicStats(ctx, addr, std::string(kResendLogTopic));
  if (!stats.ok()) return stats.status();
  std::vector<ResendRecord> out;
  if (!stats->has_value()) return out;
  Result<std::vector<MessageExt>> msgs = ReadTopic(ctx, addr, **stats);
  if (!msgs.ok()) return msgs.status();
  for (const MessageExt& msg : *msgs) {
    Result<ResendRecord> record = DecodeResendRecord(msg.body);
    if (!record.ok()) continue;  // not ours: the topic is open to any producer
    if (group.empty() || record->group == group) out.push_back(std::move(*record));
  }
  return out;
}

std::map<std::string, int> ResendsByDeadLetter(const std::vector<ResendRecord>& records) {
  std::map<std::string, int> out;
  for (const ResendRecord& r : records) ++out[r.dlq_msg_id];
  return out;
}

Result<int64_t> AppendResendRecord(AdminContext& ctx, const std::string& addr,
                                   const std::string& broker_name, const ResendRecord& record) {
  Result<std::optional<protocol::TopicStatsTable>> stats =
      FetchTopicStats(ctx, addr, std::string(kResendLogTopic));
  if (!stats.ok()) return stats.status();
  if (!stats->has_value()) {
    if (Status s = CreateLogTopic(ctx, addr); !s.ok()) return s;
  }
  protocol::SendMessageRequestHeader header;
  header.producer_group = std::string(kToolsProducerGroup);
  header.topic = std::string(kResendLogTopic);
  header.default_topic = "TBW102";
  header.default_topic_queue_nums = 1;
  header.queue_id = 0;
  header.born_timestamp = NowMillis();
  header.properties = EncodeProperties({
      {std::string(property::kKeys), record.dlq_msg_id + ' ' + record.msg_id},
      {std::string(property::kTags), record.group},
  });
  const std::string what = "resend record of " + record.msg_id;
  Result<SendResult> sent =
      ctx.SendMessage(addr, broker_name, header, EncodeResendRecord(record), what);
  if (!sent.ok()) return sent.status();
  if (sent->send_status != SendStatus::kSendOk) {
    return Status::Unavailable(what + " at broker " + addr + ": the broker answered " +
                               SendStatusName(sent->send_status) + ", not SEND_OK");
  }
  return sent->queue_offset;
}

Status WaitResendRecordReadable(AdminContext& ctx, const std::string& addr, int64_t queue_offset,
                                std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::chrono::milliseconds pause{1};
  while (true) {
    Result<std::optional<protocol::TopicStatsTable>> stats =
        FetchTopicStats(ctx, addr, std::string(kResendLogTopic));
    if (!stats.ok()) return stats.status();
    if (stats->has_value()) {
      for (const auto& [mq, offset] : (*stats)->offset_table) {
        if (mq.queue_id == 0 && offset.max_offset > queue_offset) return Status::Ok();
      }
    }
    if (std::chrono::steady_clock::now() > deadline) {
      return Status::Timeout("the resend record at offset " + std::to_string(queue_offset) +
                             " of " + std::string(kResendLogTopic) + " at broker " + addr +
                             " is not readable after " + std::to_string(timeout.count()) + " ms");
    }
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(50));
  }
}

std::string OperatorName() {
  const char* user = std::getenv("USER");
  char host[256] = {};
  if (gethostname(host, sizeof(host) - 1) != 0) host[0] = '\0';
  return std::string(user != nullptr && *user != '\0' ? user : "unknown") + '@' +
         (host[0] != '\0' ? host : "unknown");
}

}  // namespace holdfast::tools::admin
