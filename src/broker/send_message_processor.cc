#include "broker/send_message_processor.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <charconv>
#include <memory>
#include <random>
#include <vector>

#include "broker/broker_response.h"
#include "broker/message_id.h"
#include "broker/retry_and_dlq.h"
#include "broker/undeliverable_send.h"
#include "common/clock.h"
#include "common/message_codec.h"
#include "common/topic_validator.h"
#include "remoting/connection.h"
#include "remoting/protocol/message_batch.h"
#include "remoting/protocol/perm_name.h"
#include "remoting/protocol/send_message_request_header.h"
#include "remoting/protocol/send_message_response_header.h"
#include "remoting/request_code.h"
#include "remoting/response_code.h"

namespace holdfast::broker {

using protocol::BatchMessage;
using protocol::DecodeBatchBody;
using protocol::DecodeSendMessageRequestHeader;
using protocol::kPermRead;
using protocol::kPermWrite;
using protocol::SendMessageRequestHeader;
using protocol::SubscriptionGroupConfig;
using protocol::TopicConfig;
using remoting::RemotingCommand;
using remoting::RequestCode;
using remoting::ResponseCode;
using remoting::ResponseWriter;
using store::PutMessageResult;
using store::PutMessageStatus;

namespace {

constexpr std::string_view kDefaultRegion = "DefaultRegion";

// `properties` with CLUSTER and, when missing, a broker-made UNIQ_KEY appended; the client's own
// bytes are kept as they came.
std::string CompleteProperties(std::string properties, const std::string& cluster,
                               const HostAddress& store_host) {
  if (!properties.empty() && properties.back() != property::kPropertySeparator) {
    properties += property::kPropertySeparator;
  }
  auto append = [&](std::string_view key, const std::string& value) {
    properties.append(key);
    properties += property::kNameValueSeparator;
    properties += value;
    properties += property::kPropertySeparator;
  };
  if (!FindProperty(properties, property::kUniqClientMessageIdKeyIndex)) {
    append(property::kUniqClientMessageIdKeyIndex, CreateUniqId(store_host));
  }
  if (!FindProperty(properties, property::kCluster)) append(property::kCluster, cluster);
  return properties;
}

// The value of an integer property, nullopt when absent or not a number.
std::optional<int32_t> Int32Property(std::string_view properties, std::string_view key) {
  std::optional<std::string_view> text = FindProperty(properties, key);
  if (!text) return std::nullopt;
  int32_t value = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || end != text->data() + text->size()) return std::nullopt;
  return value;
}

// What the completion needs to build the response: values only.
struct PendingSend {
  ResponseWriter writer;
  RemotingCommand response;  // SUCCESS, version stamped; code and fields are set on completion
  HostAddress store_host;
  std::vector<int64_t> record_sizes;  // one per message, to derive each message's offset
  std::string transaction_id;         // UNIQ_KEY of a single message; empty for a batch
  int32_t queue_id = 0;
};

void Complete(PendingSend& p, const PutMessageResult& result) {
  if (p.writer.oneway()) return;
  RemotingCommand& response = p.response;
  response.code = SendResponseCodeFor(result.status);
  if (!store::IsStored(result.status)) {
    response.remark = result.error.empty() ? std::string(store::PutMessageStatusName(result.status))
                                           : result.error;
    (void)p.writer.Write(std::move(response));
    return;
  }
  std::string msg_ids;
  int64_t offset = result.append.wrote_offset;
  for (size_t i = 0; i < p.record_sizes.size(); ++i) {
    if (i) msg_ids += ',';
    msg_ids += CreateOffsetMsgId(p.store_host, offset);
    offset += p.record_sizes[i];
  }
  response.remark.reset();
  protocol::EncodeCustomHeader(
      protocol::SendMessageResponseHeader{.msg_id = std::move(msg_ids),
                                          .queue_id = p.queue_id,
                                          .queue_offset = result.append.logics_offset,
                                          .transaction_id = p.transaction_id,
                                          .msg_region = std::string(kDefaultRegion),
                                          .trace_on = "true"},
      &response);
  (void)p.writer.Write(std::move(response));
}

}  // namespace

int32_t RandomQueueId(int32_t write_queue_nums) {
  thread_local std::mt19937 rng{std::random_device{}()};
  if (write_queue_nums <= 0) return 0;
  return static_cast<int32_t>(rng() % static_cast<uint32_t>(write_queue_nums));
}

int32_t SendResponseCodeFor(PutMessageStatus status) {
  switch (status) {
    case PutMessageStatus::kPutOk:
      return ResponseCode::SUCCESS;
    case PutMessageStatus::kFlushDiskTimeout:
      return ResponseCode::FLUSH_DISK_TIMEOUT;
    case PutMessageStatus::kFlushSlaveTimeout:
      return ResponseCode::FLUSH_SLAVE_TIMEOUT;
    case PutMessageStatus::kSlaveNotAvailable:
      return ResponseCode::SLAVE_NOT_AVAILABLE;
    case PutMessageStatus::kMessageIllegal:
    case PutMessageStatus::kPropertiesSizeExceeded:
      return ResponseCode::MESSAGE_ILLEGAL;
    case PutMessageStatus::kServiceNotAvailable:
      return ResponseCode::SERVICE_NOT_AVAILABLE;
    case PutMessageStatus::kOsPageCacheBusy:
      return ResponseCode::SYSTEM_BUSY;
    case PutMessageStatus::kCreateMappedFileFailed:
    case PutMessageStatus::kUnknownError:
    // A failed sync is an error, never a send status: clients count every send status as stored.
    case PutMessageStatus::kFlushDiskFailed:
      return ResponseCode::SYSTEM_ERROR;
  }
  return ResponseCode::SYSTEM_ERROR;
}

bool IsNotAllowedSendTopic(std::string_view topic) {
  return topic == kScheduleTopic || topic == kTransHalfTopic || topic == kTransOpHalfTopic ||
         topic == kTransCheckMaxTimeTopic || topic == kSelfTestTopic ||
         topic == kOffsetMovedEventTopic;
}

SendMessageProcessor::SendMessageProcessor(const BrokerConfig& config, TopicConfigManager* topics,
                                           SubscriptionGroupManager* groups,
                                           store::MessageStore* store, HostAddress store_host,
                                           std::function<void()> on_topic_created)
    : config_(config),
      topics_(topics),
      groups_(groups),
      store_(store),
      store_host_(store_host),
      on_topic_created_(std::move(on_topic_created)) {}

void SendMessageProcessor::Process(const RemotingCommand& request, ResponseWriter writer) {
  Result<SendMessageRequestHeader> decoded = DecodeSendMessageRequestHeader(request);
  if (!decoded.ok()) {
    return Reply(writer, request, ResponseCode::SYSTEM_ERROR, decoded.status().message());
  }
  const SendMessageRequestHeader& h = *decoded;
  const bool batch = request.code == RequestCode::SEND_BATCH_MESSAGE || h.batch;
  std::shared_ptr<remoting::Connection> connection = writer.connection();
  const std::string peer = connection ? connection->peer() : std::string();

  // msgCheck (docs/protocol.md §3.2, 8.1).
  if (Status s = ValidateTopic(h.topic); !s.ok()) {
    return Reply(writer, request, ResponseCode::INVALID_PARAMETER, s.message());
  }
  if (IsNotAllowedSendTopic(h.topic)) {
    return Reply(writer, request, ResponseCode::NO_PERMISSION,
                 fmt::format("Sending message to topic[{}] is forbidden.", h.topic));
  }
  const bool retry_topic = h.topic.starts_with(kRetryGroupTopicPrefix);
  if (batch && retry_topic) {
    return Reply(writer, request, ResponseCode::MESSAGE_ILLEGAL,
                 fmt::format("batch request does not support retry group {}", h.topic));
  }
  std::vector<BatchMessage> inner;
  if (batch) {
    Result<std::vector<BatchMessage>> decoded_batch = DecodeBatchBody(request.body);
    if (!decoded_batch.ok()) {
      return Reply(writer, request, ResponseCode::MESSAGE_ILLEGAL,
                   decoded_batch.status().message());
    }
    inner = std::move(decoded_batch).value();
    if (inner.empty()) {
      return Reply(writer, request, ResponseCode::MESSAGE_ILLEGAL, "batch body holds no message");
    }
  }
  // A consumer's failed message sent straight to its group's retry topic: the client's fallback
  // when CONSUMER_SEND_MSG_BACK failed, or an orderly consumer's message out of local retries,
  // sent with reconsumeTimes at the max. The DLQ rule of docs/protocol.md §8.3 (RocketMQ 4.9.7
  // handleRetryAndDLQ): reconsumeTimes >= the max reconsume times (the header's, else the
  // MAX_RECONSUME_TIMES property, else the group's retryMaxTimes) stores it in %DLQ%<group>, at
  // once: its DELAY is dropped (4.9.7 keeps it and delivers the dead letter after the delay).
  // Decided before the refusals below, so a dead letter's DELAY does not refuse it.
  std::string properties = h.properties;
  std::optional<std::string> dlq_group;
  if (retry_topic) {
    const std::string group_name = h.topic.substr(kRetryGroupTopicPrefix.size());
    std::optional<SubscriptionGroupConfig> group = groups_->FindSubscriptionGroupConfig(group_name);
    if (!group) {
      return Reply(writer, request, ResponseCode::SUBSCRIPTION_GROUP_NOT_EXIST,
                   fmt::format("subscription group not exist, {}", group_name));
    }
    std::optional<int32_t> requested = h.max_reconsume_times;
    if (!requested) requested = Int32Property(h.properties, property::kMaxReconsumeTimes);
    PropertyMap props = DecodeProperties(h.properties);
    if (h.reconsume_times >= MaxReconsumeTimes(*group, request.version, requested)) {
      dlq_group = group_name;
      props.erase(std::string(property::kDelayTimeLevel));
    }
    NoteFirstFailure(&props, NowMillis());
    properties = EncodeProperties(props);
  }
  // Refused before the topic is auto-created, so nothing of a refused send stays behind.
  std::optional<UndeliverableSend> refused =
      FindUndeliverableSend(h.sys_flag, h.reconsume_times, properties,
                            batch ? "the batch" : "the message", &config_.store);
  for (size_t i = 0; i < inner.size() && !refused; ++i) {
    refused = FindUndeliverableSend(h.sys_flag, h.reconsume_times, inner[i].properties,
                                    fmt::format("message {} of the batch", i), &config_.store);
  }
  if (refused) return Reply(writer, request, refused->response_code, std::move(refused->remark));
  std::optional<TopicConfig> topic_config = topics_->SelectTopicConfig(h.topic);
  if (!topic_config) {
    // An unknown retry topic gets 1 queue, read + write (docs/protocol.md §8.1).
    Result<TopicConfig> created = UsableTopic(
        *topics_, h.topic,
        retry_topic
            ? topics_->CreateTopicInSendMessageBackMethod(h.topic, 1, kPermRead | kPermWrite, 0)
            : topics_->CreateTopicInSendMessageMethod(h.topic, h.default_topic,
                                                      h.default_topic_queue_nums, 0),
        on_topic_created_);
    if (created.status().IsNotFound() ||
        created.status().code() == Status::Code::kInvalidArgument) {
      return Reply(writer, request, ResponseCode::TOPIC_NOT_EXIST,
                   fmt::format("topic[{}] not exist, apply first please!", h.topic));
    }
    if (!created.ok()) {
      return Reply(writer, request, ResponseCode::SYSTEM_ERROR, created.status().message());
    }
    topic_config = std::move(created).value();
  }
  const int32_t queue_nums =
      std::max(topic_config->read_queue_nums, topic_config->write_queue_nums);
  if (h.queue_id >= queue_nums) {
    return Reply(writer, request, ResponseCode::INVALID_PARAMETER,
                 fmt::format("request queueId[{}] is illegal, topic {} has {} queues, producer: {}",
                             h.queue_id, h.topic, queue_nums, peer));
  }
  int32_t queue_id = h.queue_id < 0 ? RandomQueueId(topic_config->write_queue_nums) : h.queue_id;
  const int64_t max_size = store_->config().max_message_size;
  if (static_cast<int64_t>(request.body.size()) > max_size) {
    return Reply(
        writer, request, ResponseCode::MESSAGE_ILLEGAL,
        fmt::format("the message body size over max value, MAX: {} (maxMessageSize)", max_size));
  }
  // Last, so a refused send creates no DLQ topic.
  std::string store_topic = h.topic;
  if (dlq_group) {
    Result<TopicConfig> dlq = EnsureDlqTopic(topics_, *dlq_group, on_topic_created_);
    if (!dlq.ok()) {
      return Reply(
          writer, request, ResponseCode::SYSTEM_ERROR,
          fmt::format("topic[{}] not exist: {}", DlqTopicOf(*dlq_group), dlq.status().message()));
    }
    store_topic = dlq->topic_name;
    queue_id = RandomQueueId(dlq->write_queue_nums);
  }

  // Build the message(s).
  MessageExt base;
  base.topic = store_topic;
  base.queue_id = queue_id;
  base.sys_flag = h.sys_flag;
  if (IsOldClientRetry(h.reconsume_times, properties)) {
    base.sys_flag &= ~sysflag::kTransactionRollbackType;  // see IsOldClientRetry
  }
  base.born_timestamp = h.born_timestamp;
  if (Result<HostAddress> born = ParseIpv4Address(peer); born.ok()) base.born_host = *born;
  base.store_host = store_host_;
  base.reconsume_times = h.reconsume_times;

  PendingSend pending;
  pending.writer = writer;
  pending.response = MakeBrokerResponse(request, ResponseCode::SUCCESS);
  pending.store_host = store_host_;
  pending.queue_id = queue_id;

  const bool born_v6 = base.born_host.ipv6;
  auto record_size = [&](const MessageExt& m) {
    return StoredRecordSize(m.topic.size(), m.body.size(), m.properties.size(), born_v6,
                            store_host_.ipv6);
  };

  if (!batch) {
    MessageExt msg = base;
    msg.flag = h.flag;
    msg.body = request.body;
    msg.properties =
        CompleteProperties(std::move(properties), config_.broker_cluster_name, store_host_);
    if (auto uniq = FindProperty(msg.properties, property::kUniqClientMessageIdKeyIndex)) {
      pending.transaction_id = std::string(*uniq);
    }
    pending.record_sizes.push_back(record_size(msg));
    store_->PutMessageAsync(
        std::move(msg), [pending](PutMessageResult result) mutable { Complete(pending, result); });
    return;
  }

  std::vector<MessageExt> msgs;
  msgs.reserve(inner.size());
  for (BatchMessage& b : inner) {
    MessageExt msg = base;
    msg.flag = b.flag;
    msg.body = std::move(b.body);
    msg.properties =
        CompleteProperties(std::move(b.properties), config_.broker_cluster_name, store_host_);
    pending.record_sizes.push_back(record_size(msg));
    msgs.push_back(std::move(msg));
  }
  store_->PutMessagesAsync(
      std::move(msgs), [pending](PutMessageResult result) mutable { Complete(pending, result); });
}

}  // namespace holdfast::broker
