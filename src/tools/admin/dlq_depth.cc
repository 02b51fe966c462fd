#include "tools/admin/dlq_depth.h"

#include "common/topic_validator.h"
#include "remoting/protocol/topic_config_serialize_wrapper.h"
#include "remoting/request_code.h"
#include "tools/admin/dead_letter.h"
#include "tools/admin/dlq_resend_log.h"
#include "tools/admin/topic_reader.h"

namespace holdfast::tools::admin {

namespace {

// The distinct dead letters of `group` with a resend in the log at `addr`.
Result<int64_t> ResentAt(AdminContext& ctx, const std::string& addr, const std::string& group) {
  Result<std::vector<ResendRecord>> log = ReadResendLog(ctx, addr, group);
  if (!log.ok()) return log.status();
  return static_cast<int64_t>(ResendsByDeadLetter(*log).size());
}

}  // namespace

Result<std::map<std::string, DlqDepth>> DlqDepthsAt(AdminContext& ctx, const std::string& addr) {
  Result<remoting::RemotingCommand> r =
      ctx.CallBroker(addr, remoting::RequestCode::GET_ALL_TOPIC_CONFIG, {}, {}, "topic configs");
  if (!r.ok()) return r.status();
  Result<protocol::TopicConfigSerializeWrapper> topics =
      protocol::DecodeTopicConfigSerializeWrapper(r->body);
  if (!topics.ok()) {
    return Status::Corruption("topic configs at broker " + addr + ": " + topics.status().message());
  }
  std::map<std::string, DlqDepth> out;
  for (const auto& [topic, config] : topics->topic_config_table) {
    if (!topic.starts_with(kDlqGroupTopicPrefix)) continue;
    Result<std::optional<protocol::TopicStatsTable>> stats = FetchTopicStats(ctx, addr, topic);
    if (!stats.ok()) return stats.status();
    if (!stats->has_value()) continue;  // deleted since
    out[topic.substr(kDlqGroupTopicPrefix.size())].depth = MessageCount(**stats);
  }
  if (out.empty()) return out;
  Result<std::vector<ResendRecord>> log = ReadResendLog(ctx, addr, "");
  if (!log.ok()) return log.status();
  std::map<std::string, std::vector<ResendRecord>> by_group;
  for (ResendRecord& record : *log) by_group[record.group].push_back(std::move(record));
  for (auto& [group, depth] : out) {
    depth.resent = static_cast<int64_t>(ResendsByDeadLetter(by_group[group]).size());
  }
  return out;
}

Result<DlqDepth> GroupDlqDepth(AdminContext& ctx, const std::string& group) {
  Result<std::vector<DeadLetterQueue>> dlqs = FindDeadLetterQueues(ctx, group);
  if (!dlqs.ok()) return dlqs.status();
  DlqDepth out;
  for (const DeadLetterQueue& dlq : *dlqs) {
    out.depth += dlq.depth;
    Result<int64_t> resent = ResentAt(ctx, dlq.broker_addr, group);
    if (!resent.ok()) return resent.status();
    out.resent += *resent;
  }
  return out;
}

}  // namespace holdfast::tools::admin
