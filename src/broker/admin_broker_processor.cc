#include "broker/admin_broker_processor.h"

#include <fmt/format.h>
#include <sys/statvfs.h>

#include <cmath>
#include <map>
#include <set>
#include <string>

#include "broker/broker_controller.h"
#include "broker/broker_response.h"
#include "common/clock.h"
#include "common/logging.h"
#include "common/topic_validator.h"
#include "remoting/protocol/consume_stats.h"
#include "remoting/protocol/create_topic_request_header.h"
#include "remoting/protocol/data_version.h"
#include "remoting/protocol/delete_subscription_group_request_header.h"
#include "remoting/protocol/delete_topic_request_header.h"
#include "remoting/protocol/get_consume_stats_request_header.h"
#include "remoting/protocol/get_topic_stats_info_request_header.h"
#include "remoting/protocol/kv_table.h"
#include "remoting/protocol/mq_version.h"
#include "remoting/protocol/subscription_group_config.h"
#include "remoting/protocol/topic_stats_table.h"
#include "remoting/request_code.h"
#include "remoting/response_code.h"

namespace holdfast::broker {

using protocol::CreateTopicRequestHeader;
using protocol::DataVersion;
using protocol::DecodeCustomHeader;
using protocol::DeleteSubscriptionGroupRequestHeader;
using protocol::DeleteTopicRequestHeader;
using protocol::GetConsumeStatsRequestHeader;
using protocol::GetTopicStatsInfoRequestHeader;
using protocol::SubscriptionGroupConfig;
using protocol::TopicConfig;
using remoting::RemotingCommand;
using remoting::RequestCode;
using remoting::ResponseCode;
using remoting::ResponseWriter;

namespace {

// RocketMQ's TopicValidator.SYSTEM_TOPIC_SET holds the trace topic too; this broker does not
// create it, so TopicConfigManager does not know it as a system topic.
constexpr std::string_view kTraceTopic = "RMQ_SYS_TRACE_TOPIC";

RemotingCommand Error(const RemotingCommand& request, const Status& status) {
  return MakeBrokerResponse(request, ResponseCode::SYSTEM_ERROR, status.message());
}

RemotingCommand Success(const RemotingCommand& request, std::string body = {}) {
  RemotingCommand response = MakeBrokerResponse(request, ResponseCode::SUCCESS);
  response.body = std::move(body);
  return response;
}

// MixAll.humanReadableByteCount(bytes, false): "93.2 GiB".
std::string HumanReadableByteCount(int64_t bytes) {
  constexpr int64_t kUnit = 1024;
  if (bytes < kUnit) return fmt::format("{} B", bytes);
  const int exp = static_cast<int>(std::log(static_cast<double>(bytes)) / std::log(kUnit));
  const char prefix = std::string_view("KMGTPE")[static_cast<size_t>(exp - 1)];
  return fmt::format("{:.1f} {}iB", static_cast<double>(bytes) / std::pow(kUnit, exp), prefix);
}

// StoreStatsService.getFormatRuntime: "[ 0 days, 1 hours, 2 minutes, 3 seconds ]".
std::string FormatRuntime(int64_t millis) {
  const int64_t seconds = millis / 1000;
  return fmt::format("[ {} days, {} hours, {} minutes, {} seconds ]", seconds / 86400,
                     seconds % 86400 / 3600, seconds % 3600 / 60, seconds % 60);
}

}  // namespace

AdminBrokerProcessor::AdminBrokerProcessor(BrokerController* controller)
    : controller_(controller), boot_timestamp_(NowMillis()) {}

std::span<const RequestHandler<AdminBrokerProcessor>> AdminBrokerProcessor::Handlers() {
  using P = AdminBrokerProcessor;
  static constexpr RequestHandler<P> kHandlers[] = {
      {RequestCode::UPDATE_AND_CREATE_TOPIC, &P::UpdateAndCreateTopic},
      {RequestCode::DELETE_TOPIC_IN_BROKER, &P::DeleteTopic},
      {RequestCode::GET_ALL_TOPIC_CONFIG, &P::GetAllTopicConfig},
      {RequestCode::UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, &P::UpdateAndCreateSubscriptionGroup},
      {RequestCode::DELETE_SUBSCRIPTIONGROUP, &P::DeleteSubscriptionGroup},
      {RequestCode::GET_ALL_SUBSCRIPTIONGROUP_CONFIG, &P::GetAllSubscriptionGroup},
      {RequestCode::GET_TOPIC_STATS_INFO, &P::GetTopicStatsInfo},
      {RequestCode::GET_CONSUME_STATS, &P::GetConsumeStats},
      {RequestCode::GET_BROKER_RUNTIME_INFO, &P::GetBrokerRuntimeInfo},
      {RequestCode::GET_BROKER_CONFIG, &P::GetBrokerConfig},
      {RequestCode::GET_ALL_DELAY_OFFSET, &P::GetAllDelayOffset},
  };
  return kHandlers;
}

RemotingCommand AdminBrokerProcessor::UpdateAndCreateTopic(const RemotingCommand& request) {
  Result<CreateTopicRequestHeader> h = DecodeCustomHeader<CreateTopicRequestHeader>(request);
  if (!h.ok()) return Error(request, h.status());
  TopicConfig config(h->topic, h->read_queue_nums, h->write_queue_nums, h->perm);
  config.topic_sys_flag = h->topic_sys_flag;
  config.order = h->order;
  if (!h->topic_filter_type.empty()) {
    Result<protocol::TopicFilterType> filter = protocol::ParseTopicFilterType(h->topic_filter_type);
    if (!filter.ok()) return Error(request, filter.status());
    config.topic_filter_type = *filter;
  }

  const std::string& topic = config.topic_name;
  if (Status valid = ValidateTopic(topic); !valid.ok()) return Error(request, valid);
  TopicConfigManager& topics = controller_->topic_config_manager();
  if (topics.IsSystemTopic(topic) || topic == kTraceTopic) {
    return Error(request, Status::InvalidArgument("The topic[" + topic +
                                                  "] is conflict with system topic."));
  }
  if (config.read_queue_nums <= 0 || config.write_queue_nums <= 0) {
    return Error(request, Status::InvalidArgument(fmt::format(
                              "topic {}: readQueueNums {} and writeQueueNums {} must be positive",
                              topic, config.read_queue_nums, config.write_queue_nums)));
  }
  if (Status updated = topics.UpdateTopicConfig(config); !updated.ok()) {
    return Error(request, updated);
  }
  // The topic is saved; if the name servers did not hear of it now, the periodic registration
  // (registerNameServerPeriod) tells them, so success is the right answer.
  if (Status r = controller_->RegisterBrokerAll(); !r.ok()) {
    spdlog::warn("registering after creating topic {}: {}", topic, r.ToString());
  }
  return Success(request);
}

RemotingCommand AdminBrokerProcessor::DeleteTopic(const RemotingCommand& request) {
  Result<DeleteTopicRequestHeader> h = DecodeCustomHeader<DeleteTopicRequestHeader>(request);
  if (!h.ok()) return Error(request, h.status());
  const std::string& topic = h->topic;
  if (Status valid = ValidateTopic(topic); !valid.ok()) return Error(request, valid);
  TopicConfigManager& topics = controller_->topic_config_manager();
  if (topics.IsSystemTopic(topic) || topic == kTraceTopic) {
    return Error(request, Status::InvalidArgument("The topic[" + topic +
                                                  "] is conflict with system topic."));
  }
  // As RocketMQ, deleting a topic this broker does not have succeeds: mqadmin deletes a topic on
  // every broker of the cluster.
  if (Status s = topics.DeleteTopicConfig(topic); !s.ok() && !s.IsNotFound()) {
    return Error(request, s);
  }
  ConsumerOffsetManager& offsets = controller_->consumer_offset_manager();
  if (offsets.RemoveOffsetsOfTopic(topic) > 0) {
    if (Status s = offsets.Persist(); !s.ok()) return Error(request, s);
  }
  if (Status s = controller_->message_store().DeleteTopics({topic}); !s.ok()) {
    return Error(request, s);
  }
  // As after creating: the periodic registration carries the deletion if this one failed.
  if (Status r = controller_->RegisterBrokerAll(); !r.ok()) {
    spdlog::warn("registering after deleting topic {}: {}", topic, r.ToString());
  }
  return Success(request);
}

RemotingCommand AdminBrokerProcessor::GetAllTopicConfig(const RemotingCommand& request) {
  return Success(request, controller_->topic_config_manager().Encode(false));
}

RemotingCommand AdminBrokerProcessor::UpdateAndCreateSubscriptionGroup(
    const RemotingCommand& request) {
  Result<SubscriptionGroupConfig> config = protocol::DecodeSubscriptionGroupConfig(request.body);
  if (!config.ok()) return Error(request, config.status());
  if (config->group_name.empty()) {
    return Error(request, Status::InvalidArgument("SubscriptionGroupConfig has no groupName"));
  }
  Status s = controller_->subscription_group_manager().UpdateSubscriptionGroupConfig(*config);
  return s.ok() ? Success(request) : Error(request, s);
}

RemotingCommand AdminBrokerProcessor::DeleteSubscriptionGroup(const RemotingCommand& request) {
  Result<DeleteSubscriptionGroupRequestHeader> h =
      DecodeCustomHeader<DeleteSubscriptionGroupRequestHeader>(request);
  if (!h.ok()) return Error(request, h.status());
  const std::string& group = h->group_name;
  // Deleting an unknown group succeeds, as in RocketMQ.
  Status s = controller_->subscription_group_manager().DeleteSubscriptionGroupConfig(group);
  if (!s.ok() && !s.IsNotFound()) return Error(request, s);
  if (h->remove_offset) {
    ConsumerOffsetManager& offsets = controller_->consumer_offset_manager();
    if (offsets.RemoveOffsetsOfGroup(group) > 0) {
      if (Status p = offsets.Persist(); !p.ok()) return Error(request, p);
    }
  }
  return Success(request);
}

RemotingCommand AdminBrokerProcessor::GetAllSubscriptionGroup(const RemotingCommand& request) {
  return Success(request, controller_->subscription_group_manager().Encode(false));
}

int64_t AdminBrokerProcessor::StoreTimestampAt(const std::string& topic, int32_t queue_id,
                                               int64_t offset) const {
  store::MessageStore& store = controller_->message_store();
  const int64_t phy = store.GetCommitLogOffsetInQueue(topic, queue_id, offset);
  if (phy < 0) return 0;
  auto msg = store.LookMessageByOffset(phy);
  return msg.ok() ? msg->store_timestamp : 0;
}

RemotingCommand AdminBrokerProcessor::GetTopicStatsInfo(const RemotingCommand& request) {
  Result<GetTopicStatsInfoRequestHeader> h =
      DecodeCustomHeader<GetTopicStatsInfoRequestHeader>(request);
  if (!h.ok()) return Error(request, h.status());
  const std::string& topic = h->topic;
  auto config = controller_->topic_config_manager().SelectTopicConfig(topic);
  if (!config) {
    return MakeBrokerResponse(request, ResponseCode::TOPIC_NOT_EXIST,
                              "topic[" + topic + "] not exist");
  }
  store::MessageStore& store = controller_->message_store();
  protocol::TopicStatsTable table;
  for (int32_t i = 0; i < config->write_queue_nums; ++i) {
    const int64_t min = std::max<int64_t>(0, store.GetMinOffsetInQueue(topic, i));
    const int64_t max = std::max<int64_t>(0, store.GetMaxOffsetInQueue(topic, i));
    const int64_t last = max > 0 ? StoreTimestampAt(topic, i, max - 1) : 0;
    table.offset_table[MessageQueue{topic, controller_->config().broker_name, i}] =
        protocol::TopicOffset{.min_offset = min, .max_offset = max, .last_update_timestamp = last};
  }
  return Success(request, protocol::EncodeTopicStatsTable(table));
}

RemotingCommand AdminBrokerProcessor::GetConsumeStats(const RemotingCommand& request) {
  Result<GetConsumeStatsRequestHeader> h =
      DecodeCustomHeader<GetConsumeStatsRequestHeader>(request);
  if (!h.ok()) return Error(request, h.status());
  const std::string& group = h->consumer_group;
  const std::string& topic = h->topic;
  ConsumerOffsetManager& offsets = controller_->consumer_offset_manager();
  const std::set<std::string> topics =
      topic.empty() ? offsets.WhichTopicByConsumer(group) : std::set<std::string>{topic};
  store::MessageStore& store = controller_->message_store();
  protocol::ConsumeStats stats;
  for (const std::string& t : topics) {
    auto config = controller_->topic_config_manager().SelectTopicConfig(t);
    if (!config) continue;  // as RocketMQ: offsets of a deleted topic are not reported
    for (int32_t i = 0; i < config->read_queue_nums; ++i) {
      const int64_t broker_offset = std::max<int64_t>(0, store.GetMaxOffsetInQueue(t, i));
      const int64_t consumer_offset = std::max<int64_t>(0, offsets.QueryOffset(group, t, i));
      const int64_t last = consumer_offset > 0 ? StoreTimestampAt(t, i, consumer_offset - 1) : 0;
      stats.offset_table[MessageQueue{t, controller_->config().broker_name, i}] =
          protocol::OffsetWrapper{.broker_offset = broker_offset,
                                  .consumer_offset = consumer_offset,
                                  .last_timestamp = last};
    }
  }
  // consumeTps is left out (Java reads 0): this broker does not count gets per group yet.
  return Success(request, protocol::EncodeConsumeStats(stats));
}

RemotingCommand AdminBrokerProcessor::GetBrokerRuntimeInfo(const RemotingCommand& request) {
  store::MessageStore& store = controller_->message_store();
  std::map<std::string, std::string> table;
  table["brokerVersionDesc"] = protocol::kCurrentVersionDesc;
  table["brokerVersion"] = std::to_string(protocol::kCurrentVersion);
  table["bootTimestamp"] = std::to_string(boot_timestamp_);
  table["runtime"] = FormatRuntime(NowMillis() - boot_timestamp_);
  const int64_t min_phy = store.GetMinPhyOffset();
  const int64_t max_phy = store.GetMaxPhyOffset();
  table["commitLogMinOffset"] = std::to_string(min_phy);
  table["commitLogMaxOffset"] = std::to_string(max_phy);
  table["dispatchBehindBytes"] =
      std::to_string(std::max<int64_t>(0, max_phy - store.GetDispatchedPhyOffset()));
  table["remainHowManyDataToFlush"] =
      HumanReadableByteCount(std::max<int64_t>(0, max_phy - store.GetFlushedPhyOffset()));
  // Holdfast's own: "OK", or the sticky failure that stopped the store from making data durable.
  const Status sticky = store.StickyError();
  table["storeStatus"] = sticky.ok() ? "OK" : sticky.ToString();
  if (max_phy > min_phy) {
    if (auto first = store.LookMessageByOffset(min_phy); first.ok()) {
      table["earliestMessageTimeStamp"] = std::to_string(first->store_timestamp);
    }
  }
  struct statvfs fs {};
  if (statvfs(store.config().store_path_root_dir.c_str(), &fs) == 0 && fs.f_blocks > 0) {
    const auto total = static_cast<int64_t>(fs.f_blocks * fs.f_frsize);
    const auto free = static_cast<int64_t>(fs.f_bfree * fs.f_frsize);
    table["commitLogDirCapacity"] = fmt::format(
        "Total : {}, Free : {}.", HumanReadableByteCount(total), HumanReadableByteCount(free));
    table["commitLogDiskRatio"] =
        fmt::format("{}", static_cast<double>(total - free) / static_cast<double>(total));
  }
  return Success(request, protocol::EncodeKvTable(protocol::KVTable{std::move(table)}));
}

RemotingCommand AdminBrokerProcessor::GetBrokerConfig(const RemotingCommand& request) {
  RemotingCommand response = Success(request, BrokerConfigToProperties(controller_->config()));
  // The configuration cannot change at run time yet (no UPDATE_BROKER_CONFIG): version 0.
  DataVersion version;
  version.timestamp = boot_timestamp_;
  response.SetExtField("version", protocol::EncodeDataVersion(version));
  return response;
}

RemotingCommand AdminBrokerProcessor::GetAllDelayOffset(const RemotingCommand& request) {
  // As RocketMQ: the file as last persisted (every flushDelayOffsetInterval, and at start-up).
  const std::string path = store::schedule::ScheduleMessageService::OffsetFilePath(
      controller_->config().store.store_path_root_dir);
  store::FileSystem* fs = controller_->file_system();
  if (!fs->Exists(path)) {
    return Error(request,
                 Status::NotFound("No delay offset in this broker: " + path + " does not exist"));
  }
  Result<std::string> text = store::ReadWholeFile(fs, path);
  if (!text.ok()) return Error(request, text.status());
  return Success(request, std::move(text).value());
}

}  // namespace holdfast::broker
