#include "tools/admin/dlq_resend_command.h"

#include <fmt/format.h>

#include <map>
#include <memory>
#include <optional>
#include <set>

#include "common/clock.h"
#include "tools/admin/admin_format.h"
#include "tools/admin/dlq_resend_log.h"

namespace holdfast::tools::admin {

namespace {

// Bookkeeping of delays, timers, retries and transactions that a fresh copy must not carry: a
// DELAY or timer property would even make the broker refuse it. CLUSTER is the broker's to set.
constexpr std::string_view kAlwaysDropped[] = {property::kDelayTimeLevel,
                                               property::kRealTopic,
                                               property::kRealQueueId,
                                               "TIMER_DELIVER_MS",
                                               "TIMER_DELAY_SEC",
                                               "TIMER_DELAY_MS",
                                               "TIMER_OUT_MS",
                                               "TIMER_ROLL_TIMES",
                                               "__STARTDELIVERTIME",
                                               "RECONSUME_TIME",
                                               "MAX_RECONSUME_TIMES",
                                               property::kHoldfastFirstFailureTime,
                                               property::kTransactionPrepared,
                                               property::kWaitStoreMsgOk,
                                               property::kCluster,
                                               kResentFromProperty};

// The queues copies of each target topic go to, from its route, read once per run.
class TargetQueues {
 public:
  explicit TargetQueues(AdminContext& ctx) : ctx_(ctx) {}

  struct Target {
    MessageQueue queue;
    std::string addr;  // the master of queue.broker_name
  };

  // The next queue of `topic` in turn, among those of `broker` when it serves the topic.
  Result<Target> Next(const std::string& topic, const std::string& broker) {
    auto it = routes_.find(topic);
    if (it == routes_.end()) {
      Result<Route> route = Load(topic);
      if (!route.ok()) return route.status();
      it = routes_.emplace(topic, std::move(*route)).first;
    }
    Route& route = it->second;
    std::vector<const MessageQueue*> own;
    for (const MessageQueue& q : route.queues) {
      if (q.broker_name == broker) own.push_back(&q);
    }
    const MessageQueue& q = own.empty() ? route.queues[route.next++ % route.queues.size()]
                                        : *own[route.next++ % own.size()];
    return Target{q, route.masters.at(q.broker_name)};
  }

 private:
  struct Route {
    std::vector<MessageQueue> queues;  // never empty
    std::map<std::string, std::string> masters;
    size_t next = 0;
  };

  Result<Route> Load(const std::string& topic) {
    Result<client::TopicRouteData> data = ctx_.GetTopicRoute(topic);
    if (!data.ok()) return data.status();
    Route route;
    route.queues = client::TopicRouteToPublishQueues(*data, topic);
    for (const client::BrokerData& bd : data->broker_datas) {
      if (auto master = bd.MasterAddr()) route.masters[bd.broker_name] = *master;
    }
    std::erase_if(route.queues,
                  [&](const MessageQueue& q) { return !route.masters.contains(q.broker_name); });
    if (route.queues.empty()) {
      return Status::Unavailable("topic " + topic + " has no writable queue on a live master");
    }
    return route;
  }

  AdminContext& ctx_;
  std::map<std::string, Route> routes_;
};

// Sends the copy of `letter` and returns the record of it; an error unless SEND_OK.
Result<ResendRecord> ResendOne(AdminContext& ctx, TargetQueues& targets, const DeadLetter& letter,
                               const DlqResendOptions& options) {
  std::string topic;
  if (options.to_retry) {
    topic = RetryTopic(options.group);
  } else if (std::optional<std::string> original = letter.OriginalTopic()) {
    topic = *original;
  } else {
    return Status::InvalidArgument(
        "its original topic is unknown (no RETRY_TOPIC property); resend it with --to-retry");
  }
  Result<TargetQueues::Target> target = targets.Next(topic, letter.broker_name);
  if (!target.ok()) return target.status();
  protocol::SendMessageRequestHeader header;
  header.producer_group = std::string(kToolsProducerGroup);
  header.topic = topic;
  header.default_topic = "TBW102";
  header.queue_id = target->queue.queue_id;
  header.born_timestamp = NowMillis();
  header.flag = letter.record.flag;
  header.properties = EncodeProperties(ResentProperties(letter, options.to_retry));
  header.reconsume_times = 0;
  Result<SendResult> sent = ctx.SendMessage(target->addr, target->queue.broker_name, header,
                                            letter.record.body, letter.MsgId());
  if (!sent.ok()) return sent.status();
  if (sent->send_status != SendStatus::kSendOk) {
    return Status::Unavailable(fmt::format(
        "the broker {} answered {}, not SEND_OK: the copy may be stored but is not counted",
        target->addr, SendStatusName(sent->send_status)));
  }
  return ResendRecord{.group = options.group,
                      .msg_id = letter.MsgId(),
                      .dlq_msg_id = letter.DlqMsgId(),
                      .dlq_broker = letter.broker_name,
                      .dlq_queue_offset = letter.record.queue_offset,
                      .target_topic = topic,
                      .target_broker = target->queue.broker_name,
                      .sent_msg_id = sent->offset_msg_id,
                      .resent_at = NowMillis(),
                      .resent_by = OperatorName(),
                      .forced = options.force};
}

std::string Describe(const DeadLetter& letter) {
  return fmt::format("{} (dlqMsgId {} at {})", letter.MsgId(), letter.DlqMsgId(),
                     letter.broker_name);
}

}  // namespace

PropertyMap ResentProperties(const DeadLetter& letter, bool to_retry) {
  PropertyMap props = DecodeProperties(letter.record.properties);
  for (std::string_view key : kAlwaysDropped) {
    if (auto it = props.find(key); it != props.end()) props.erase(it);
  }
  if (!to_retry) {
    for (std::string_view key : {property::kRetryTopic, property::kOriginMessageId}) {
      if (auto it = props.find(key); it != props.end()) props.erase(it);
    }
  }
  props[std::string(kResentFromProperty)] = letter.DlqMsgId();
  return props;
}

Status DlqResend(AdminContext& ctx, const DlqResendOptions& options, std::ostream& out) {
  if (options.group.empty()) return Status::InvalidArgument("dlqResend needs -g group");
  if (options.all == !options.msg_ids.empty()) {
    return Status::InvalidArgument(
        "dlqResend needs either -i msgId[,msgId...] (the dead letters to resend) or -a (all)");
  }
  Result<std::vector<DeadLetterQueue>> dlqs = FindDeadLetterQueues(ctx, options.group);
  if (!dlqs.ok()) return dlqs.status();
  if (dlqs->empty()) {
    return Status::NotFound("no broker has a dead-letter queue for group " + options.group + " (" +
                            DlqTopic(options.group) + ")");
  }
  const std::set<std::string> wanted(options.msg_ids.begin(), options.msg_ids.end());
  std::set<std::string> matched;
  TargetQueues targets(ctx);
  int resent = 0;
  int skipped = 0;
  int failed = 0;
  std::optional<Status> unrecorded;  // set when a resend could not be recorded: the run stops
  for (const DeadLetterQueue& dlq : *dlqs) {
    Result<std::vector<DeadLetter>> letters = ReadDeadLetters(ctx, dlq);
    if (!letters.ok()) return letters.status();
    std::vector<const DeadLetter*> selected;
    for (const DeadLetter& letter : *letters) {
      if (options.all) {
        selected.push_back(&letter);
        continue;
      }
      for (const std::string& id : {letter.MsgId(), letter.DlqMsgId()}) {
        if (wanted.contains(id)) {
          matched.insert(id);
          selected.push_back(&letter);
          break;
        }
      }
    }
    if (selected.empty()) continue;
    Result<std::vector<ResendRecord>> log = ReadResendLog(ctx, dlq.broker_addr, options.group);
    if (!log.ok()) return log.status();
    std::map<std::string, const ResendRecord*> last_resend;  // by dlqMsgId
    for (const ResendRecord& r : *log) last_resend[r.dlq_msg_id] = &r;
    int64_t last_record = -1;
    for (const DeadLetter* letter : selected) {
      auto earlier = last_resend.find(letter->DlqMsgId());
      if (earlier != last_resend.end() && !options.force) {
        const ResendRecord& r = *earlier->second;
        out << fmt::format(
            "skipped {}: already resent to {} at {} by {}; --force resends it again\n",
            Describe(*letter), r.target_topic, TimeMillisToHumanString(r.resent_at), r.resent_by);
        ++skipped;
        continue;
      }
      Result<ResendRecord> record = ResendOne(ctx, targets, *letter, options);
      if (!record.ok()) {
        out << fmt::format("failed  {}: {}\n", Describe(*letter), record.status().message());
        ++failed;
        continue;
      }
      ++resent;
      Result<int64_t> offset = AppendResendRecord(ctx, dlq.broker_addr, dlq.broker_name, *record);
      if (!offset.ok()) {
        out << fmt::format("resent  {} to {} as {}, but NOT recorded: {}\n", Describe(*letter),
                           record->target_topic, record->sent_msg_id, offset.status().message());
        unrecorded = Status::Unavailable(
            "the resend of " + letter->MsgId() +
            " could not be recorded, so a later dlqResend would resend it again; stopped before "
            "resending more: " +
            offset.status().message());
        break;
      }
      last_record = *offset;
      out << fmt::format("resent  {} to {} as {}\n", Describe(*letter), record->target_topic,
                         record->sent_msg_id);
    }
    // So that a run started after this one returns sees these records.
    if (last_record >= 0) {
      if (Status s = WaitResendRecordReadable(ctx, dlq.broker_addr, last_record); !s.ok()) {
        out << "warning: " << s.message() << "; a dlqResend started now may not see it yet\n";
      }
    }
    if (unrecorded) break;
  }
  int not_found = 0;
  if (!unrecorded) {
    for (const std::string& id : wanted) {
      if (matched.contains(id)) continue;
      out << fmt::format("not found {}: no dead letter of {} has this msgId or dlqMsgId\n", id,
                         options.group);
      ++not_found;
    }
  }
  out << fmt::format("Resent: {}, skipped (already resent): {}, failed: {}, not found: {}\n",
                     resent, skipped, failed, not_found);
  if (unrecorded) return *unrecorded;
  if (failed + not_found > 0) {
    return Status::Unavailable(fmt::format(
        "{} of the selected dead letters were not resent (failed: {}, not found: {}); see above",
        failed + not_found, failed, not_found));
  }
  return Status::Ok();
}

AdminCommand AddDlqResendCommand(CLI::App* admin) {
  auto options = std::make_shared<DlqResendOptions>();
  CLI::App* app = admin->add_subcommand(
      "dlqResend", "Resend dead letters of a consumer group to their topic, each recorded once");
  app->add_option("-g,--groupName", options->group, "consumer group name")->required();
  app->add_option("-i,--msgId", options->msg_ids,
                  "msgIds (or dlqMsgIds) of the dead letters to resend, comma-separated")
      ->delimiter(',');
  app->add_flag("-a,--all", options->all, "resend every dead letter of the group");
  app->add_flag("--to-retry", options->to_retry,
                "send to %RETRY%<group> (only this group consumes it) instead of the original "
                "topic (every subscribed group does)");
  app->add_flag("--force", options->force, "resend also dead letters already resent");
  return {app, [options](AdminContext& ctx, std::ostream& out) {
            return DlqResend(ctx, *options, out);
          }};
}

}  // namespace holdfast::tools::admin
