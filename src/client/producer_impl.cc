#include "client/producer_impl.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "client/call_user_code.h"
#include "common/clock.h"
#include "common/message_id.h"
#include "common/topic_validator.h"
#include "common/zlib_codec.h"
#include "remoting/protocol/message_batch.h"

namespace holdfast::client {

using std::chrono::duration_cast;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kCompressLevel = 5;

// Property names RocketMQ reserves for itself (MessageConst.STRING_HASH_SET); a user property
// with one of these names is refused, as Java's putUserProperty does.
constexpr std::string_view kReservedProperties[] = {
    "TRACE_ON",
    "MSG_REGION",
    "KEYS",
    "TAGS",
    "WAIT",
    "DELAY",
    "RETRY_TOPIC",
    "REAL_TOPIC",
    "REAL_QID",
    "TRAN_MSG",
    "PGROUP",
    "MIN_OFFSET",
    "MAX_OFFSET",
    "BUYER_ID",
    "ORIGIN_MESSAGE_ID",
    "TRANSFER_FLAG",
    "CORRECTION_FLAG",
    "MQ2_FLAG",
    "RECONSUME_TIME",
    "UNIQ_KEY",
    "MAX_RECONSUME_TIMES",
    "CONSUME_START_TIME",
    "POP_CK",
    "POP_CK_OFFSET",
    "1ST_POP_TIME",
    "TRAN_PREPARED_QUEUE_OFFSET",
    "DUP_INFO",
    "EXTEND_UNIQ_INFO",
    "INSTANCE_ID",
    "CORRELATION_ID",
    "REPLY_TO_CLIENT",
    "TTL",
    "ARRIVE_TIME",
    "PUSH_REPLY_TIME",
    "CLUSTER",
    "MSG_TYPE",
    "__transactionId__",
    "TRANSACTION_CHECK_TIMES",
    "CHECK_IMMUNITY_TIME_IN_SECONDS",
    "__SHARDINGKEY",
};

bool HasSeparator(std::string_view s) {
  return s.find(property::kNameValueSeparator) != std::string_view::npos ||
         s.find(property::kPropertySeparator) != std::string_view::npos;
}

// All of msg's properties as they go on the wire (docs/protocol.md §6.3), UNIQ_KEY aside.
PropertyMap MessageProperties(const MQMessage& msg) {
  PropertyMap props;
  for (const auto& [k, v] : msg.properties) props.emplace(k, v);
  if (!msg.tags.empty()) props[std::string(property::kTags)] = msg.tags;
  if (!msg.keys.empty()) {
    std::string keys;
    for (const std::string& k : msg.keys) {
      if (!keys.empty()) keys += property::kKeySeparator;
      keys += k;
    }
    props[std::string(property::kKeys)] = keys;
  }
  props[std::string(property::kWaitStoreMsgOk)] = msg.wait_store_msg_ok ? "true" : "false";
  if (msg.delay_time_level > 0) {
    props[std::string(property::kDelayTimeLevel)] = std::to_string(msg.delay_time_level);
  }
  if (msg.deliver_time_ms > 0) {
    props[std::string(property::kTimerDeliverMs)] = std::to_string(msg.deliver_time_ms);
  }
  if (msg.delay_ms > 0) props[std::string(property::kTimerDelayMs)] = std::to_string(msg.delay_ms);
  return props;
}

// Takes property `key` out of `props` as a number: nullopt when absent, an error naming it when
// it is not one.
Result<std::optional<int32_t>> TakeIntProperty(PropertyMap& props, std::string_view key) {
  auto it = props.find(key);
  if (it == props.end()) return std::optional<int32_t>();
  int32_t value = 0;
  const std::string& text = it->second;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return Status::InvalidArgument("property " + std::string(key) + " is not a number: '" + text +
                                   "'");
  }
  props.erase(it);
  return std::optional<int32_t>(value);
}

milliseconds Remaining(Clock::time_point deadline) {
  return duration_cast<milliseconds>(deadline - Clock::now());
}

// Hands an async send's outcome to the user's SendCallback. One that throws is logged and
// otherwise ignored: on the io thread nothing else would catch it, and the send's bookkeeping
// after the call (the in-flight count Shutdown waits for) must run all the same.
void CallSendCallback(const SendCallback& callback, const std::string& topic,
                      Result<SendResult> result) {
  CallUserCode([&] { callback(std::move(result)); },
               [&](std::string_view error) {
                 spdlog::error("producer: the SendCallback of a send to {} threw: {}; ignored",
                               topic, error);
               });
}

}  // namespace

struct ProducerImpl::AsyncSend {
  PreparedMessage prepared;
  std::shared_ptr<const TopicPublishInfo> info;
  std::shared_ptr<MQClientInstance> instance;
  Clock::time_point deadline;
  int retries_left = 0;
  bool first_attempt = true;  // in the caller's thread; retries run on the io thread
  std::string last_broker;
  SendCallback callback;
};

ProducerImpl::ProducerImpl(ProducerOptions options)
    : options_(std::move(options)), fault_strategy_(options_.send_latency_fault_enable) {}

ProducerImpl::~ProducerImpl() { Shutdown(); }

Status ProducerImpl::Start() { return StartWith(nullptr); }

Status ProducerImpl::StartAttached(MQClientInstance* instance) { return StartWith(instance); }

Status ProducerImpl::StartWith(MQClientInstance* attached) {
  HOLDFAST_RETURN_IF_ERROR(ValidateGroup(options_.group));
  if (options_.client.namesrv_addr.empty()) {
    return Status::InvalidArgument("producer " + options_.group + ": no name server address");
  }
  if (options_.send_msg_timeout.count() <= 0 || options_.max_message_size <= 0) {
    return Status::InvalidArgument("producer " + options_.group +
                                   ": send_msg_timeout and max_message_size must be positive");
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (running_ || starting_) {
      return Status::AlreadyExists("producer " + options_.group + " already started");
    }
    starting_ = true;
  }
  // Registered without holding mu_: the instance may call PublishTopicList at once.
  std::shared_ptr<MQClientInstance> instance;
  Status registered;
  if (attached != nullptr) {
    // A pointer that owns nothing: the instance owns this producer.
    instance = std::shared_ptr<MQClientInstance>(std::shared_ptr<MQClientInstance>(), attached);
    registered = instance->RegisterProducer(options_.group, this);
  }
  // Twice at most: the instance fetched may be shut down by its last other user meanwhile.
  for (int attempt = 0; attempt < 2 && attached == nullptr; ++attempt) {
    instance = MQClientManager::GetOrCreateInstance(options_.client);
    registered = instance->RegisterProducer(options_.group, this);
    if (!registered.ok()) break;
    registered = instance->Start();
    if (registered.ok() || !instance->terminated()) break;
  }
  std::lock_guard<std::mutex> lock(mu_);
  starting_ = false;
  if (!registered.ok()) return registered;
  const std::string& id = instance->client_id();
  Result<HostAddress> host = ParseIpv4Address(id.substr(0, id.find('@')) + ":0");
  client_host_ = host.ok() ? *host : HostAddress{};
  instance_ = std::move(instance);
  attached_ = attached != nullptr;
  running_ = true;
  return Status::Ok();
}

void ProducerImpl::Shutdown() {
  std::shared_ptr<MQClientInstance> instance;
  bool attached = false;
  {
    std::unique_lock<std::mutex> lock(mu_);
    if (!running_) return;
    attached = attached_;
    running_ = false;
    async_cv_.wait(lock, [this] { return async_in_flight_ == 0; });
    instance = std::move(instance_);
    publish_info_.clear();  // a later Start() looks routes up afresh
  }
  instance->UnregisterProducer(options_.group);
  if (!attached) instance->Shutdown();
}

Status ProducerImpl::CheckRunning() const {
  std::lock_guard<std::mutex> lock(mu_);
  if (!running_) return Status::Unavailable("producer " + options_.group + " is not running");
  return Status::Ok();
}

Status ProducerImpl::CheckMessage(const MQMessage& msg) const {
  HOLDFAST_RETURN_IF_ERROR(ValidateTopic(msg.topic));
  if (msg.body.empty())
    return Status::InvalidArgument("message body of " + msg.topic + " is empty");
  if (msg.body.size() > static_cast<size_t>(options_.max_message_size)) {
    return Status::InvalidArgument("message body of " + msg.topic + " is " +
                                   std::to_string(msg.body.size()) + " bytes, over the " +
                                   std::to_string(options_.max_message_size) + " maximum");
  }
  if (msg.delay_time_level < 0) {
    return Status::InvalidArgument("delay_time_level must not be negative");
  }
  if (msg.deliver_time_ms < 0 || msg.delay_ms < 0) {
    return Status::InvalidArgument("deliver_time_ms and delay_ms must not be negative");
  }
  if ((msg.delay_time_level > 0) + (msg.deliver_time_ms > 0) + (msg.delay_ms > 0) > 1) {
    return Status::InvalidArgument(
        "a message to " + msg.topic +
        " sets more than one of delay_time_level, deliver_time_ms and delay_ms; set one");
  }
  for (const auto& [name, value] : msg.properties) {
    for (std::string_view reserved : kReservedProperties) {
      if (name == reserved) {
        return Status::InvalidArgument("property name " + name +
                                       " is reserved by RocketMQ; use the MQMessage field");
      }
    }
    if (name.empty() || HasSeparator(name) || HasSeparator(value)) {
      return Status::InvalidArgument("property '" + name +
                                     "' is empty or holds a 0x01/0x02 separator byte");
    }
  }
  if (HasSeparator(msg.tags)) return Status::InvalidArgument("tags hold a separator byte");
  for (const std::string& key : msg.keys) {
    if (HasSeparator(key) || key.find(property::kKeySeparator) != std::string::npos) {
      return Status::InvalidArgument("key '" + key + "' holds a space or a separator byte");
    }
  }
  return Status::Ok();
}

Result<PreparedMessage> ProducerImpl::Prepare(const MQMessage& msg) const {
  HOLDFAST_RETURN_IF_ERROR(CheckMessage(msg));
  return PrepareFrom(msg.topic, msg.body, msg.flag, MessageProperties(msg));
}

Result<PreparedMessage> ProducerImpl::PrepareFrom(const std::string& topic, const std::string& body,
                                                  int32_t flag, PropertyMap props) const {
  PreparedMessage p;
  std::string& uniq = props[std::string(property::kUniqClientMessageIdKeyIndex)];
  if (uniq.empty()) uniq = CreateUniqId(client_host_);
  p.msg_id = uniq;
  p.header.producer_group = options_.group;
  p.header.topic = topic;
  p.header.default_topic = options_.create_topic_key;
  p.header.default_topic_queue_nums = options_.default_topic_queue_nums;
  p.header.flag = flag;
  if (topic.starts_with(kRetryGroupTopicPrefix)) {
    Result<std::optional<int32_t>> times = TakeIntProperty(props, property::kReconsumeTime);
    if (!times.ok()) return times.status();
    if (*times) p.header.reconsume_times = **times;
    Result<std::optional<int32_t>> max = TakeIntProperty(props, property::kMaxReconsumeTimes);
    if (!max.ok()) return max.status();
    p.header.max_reconsume_times = *max;
  }
  p.header.properties = EncodeProperties(props);
  if (p.header.properties.size() > 32767) {
    return Status::InvalidArgument("properties of a message to " + topic + " take " +
                                   std::to_string(p.header.properties.size()) +
                                   " bytes, over 32767");
  }
  if (options_.compress_msg_body_over_howmuch > 0 &&
      body.size() >= static_cast<size_t>(options_.compress_msg_body_over_howmuch)) {
    Result<std::string> compressed = ZlibCompress(body, kCompressLevel);
    if (compressed.ok()) {
      p.body = std::move(compressed).value();
      p.header.sys_flag |= sysflag::kCompressed;
    } else {
      p.body = body;
    }
  } else {
    p.body = body;
  }
  return p;
}

Result<PreparedMessage> ProducerImpl::PrepareBatch(const std::vector<MQMessage>& batch) const {
  if (batch.empty()) return Status::InvalidArgument("batch is empty");
  const MQMessage& first = batch.front();
  PreparedMessage p;
  for (const MQMessage& msg : batch) {
    HOLDFAST_RETURN_IF_ERROR(CheckMessage(msg));
    if (msg.topic != first.topic) {
      return Status::InvalidArgument("a batch goes to one topic: " + first.topic + " and " +
                                     msg.topic);
    }
    if (msg.wait_store_msg_ok != first.wait_store_msg_ok) {
      return Status::InvalidArgument("a batch shares one wait_store_msg_ok value");
    }
    if (msg.delay_time_level > 0 || msg.deliver_time_ms > 0 || msg.delay_ms > 0) {
      return Status::InvalidArgument(
          "a batch cannot hold delayed messages (delay_time_level, deliver_time_ms, delay_ms)");
    }
    if (msg.topic.starts_with(kRetryGroupTopicPrefix)) {
      return Status::InvalidArgument("a batch cannot go to a retry topic: " + msg.topic);
    }
    std::string uniq = CreateUniqId(client_host_);
    PropertyMap msg_props = MessageProperties(msg);
    msg_props[std::string(property::kUniqClientMessageIdKeyIndex)] = uniq;
    std::string props = EncodeProperties(msg_props);
    if (props.size() > 32767) return Status::InvalidArgument("batch message properties too long");
    protocol::AppendBatchRecord(msg.body, props, msg.flag, &p.body);
    if (!p.msg_id.empty()) p.msg_id += ',';
    p.msg_id += uniq;
  }
  if (p.body.size() > static_cast<size_t>(options_.max_message_size)) {
    return Status::InvalidArgument("batch of " + std::to_string(batch.size()) + " messages is " +
                                   std::to_string(p.body.size()) + " bytes, over the " +
                                   std::to_string(options_.max_message_size) + " maximum");
  }
  p.header.producer_group = options_.group;
  p.header.topic = first.topic;
  p.header.default_topic = options_.create_topic_key;
  p.header.default_topic_queue_nums = options_.default_topic_queue_nums;
  PropertyMap batch_props;
  batch_props[std::string(property::kWaitStoreMsgOk)] = first.wait_store_msg_ok ? "true" : "false";
  p.header.properties = EncodeProperties(batch_props);
  p.header.batch = true;
  return p;
}

std::set<std::string> ProducerImpl::PublishTopicList() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::set<std::string> topics;
  for (const auto& [topic, info] : publish_info_) topics.insert(topic);
  return topics;
}

void ProducerImpl::UpdateTopicPublishInfo(const std::string& topic, const TopicRouteData& route) {
  auto info = std::make_shared<const TopicPublishInfo>(topic, route);
  std::lock_guard<std::mutex> lock(mu_);
  publish_info_[topic] = std::move(info);
}

Result<std::shared_ptr<const TopicPublishInfo>> ProducerImpl::TryToFindTopicPublishInfo(
    const std::string& topic) {
  std::shared_ptr<MQClientInstance> instance;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!running_) return Status::Unavailable("producer " + options_.group + " is not running");
    auto it = publish_info_.find(topic);
    if (it != publish_info_.end() && it->second && it->second->ok()) return it->second;
    // Listed (even without queues) so the periodic refresh keeps looking for it.
    if (it == publish_info_.end()) publish_info_[topic] = nullptr;
    instance = instance_;
  }
  instance->UpdateTopicRouteInfoFromNameServer(topic);
  if (std::optional<TopicRouteData> route = instance->TopicRoute(topic)) {
    auto info = std::make_shared<const TopicPublishInfo>(topic, *route);
    if (!info->ok()) {
      // The topic exists but takes no writes (read-only or no master): no auto-create fallback,
      // as in RocketMQ.
      return Status::NotFound("topic " + topic + " has no writable queue on a live master");
    }
    std::lock_guard<std::mutex> lock(mu_);
    publish_info_[topic] = info;
    return info;
  }
  // No route: the brokers may create the topic on first send from the create-topic key's
  // route, with at most default_topic_queue_nums queues per broker.
  instance->UpdateTopicRouteInfoFromNameServer(options_.create_topic_key);
  if (std::optional<TopicRouteData> route = instance->TopicRoute(options_.create_topic_key)) {
    for (QueueData& qd : route->queue_datas) {
      const int32_t nums = std::min(options_.default_topic_queue_nums, qd.read_queue_nums);
      qd.read_queue_nums = nums;
      qd.write_queue_nums = nums;
    }
    auto info = std::make_shared<const TopicPublishInfo>(topic, *route);
    if (info->ok()) {
      std::lock_guard<std::mutex> lock(mu_);
      publish_info_[topic] = info;
      return info;
    }
  }
  return Status::NotFound("no route for topic " + topic + " (nor for the create-topic key " +
                          options_.create_topic_key + ") from name servers " +
                          options_.client.namesrv_addr);
}

Result<std::string> ProducerImpl::BrokerAddr(const MessageQueue& mq, bool may_fetch) {
  std::shared_ptr<MQClientInstance> instance;
  {
    std::lock_guard<std::mutex> lock(mu_);
    instance = instance_;
  }
  if (!instance) return Status::Unavailable("producer " + options_.group + " is not running");
  std::optional<std::string> addr = instance->FindBrokerAddressInPublish(mq.broker_name);
  if (!addr && may_fetch) {
    instance->UpdateTopicRouteInfoFromNameServer(mq.topic);
    addr = instance->FindBrokerAddressInPublish(mq.broker_name);
  }
  if (!addr) return Status::Unavailable("broker " + mq.broker_name + " has no master address");
  return *addr;
}

Result<SendResult> ProducerImpl::SendKernel(const PreparedMessage& prepared, const MessageQueue& mq,
                                            milliseconds timeout) {
  Result<std::string> addr = BrokerAddr(mq, /*may_fetch=*/true);
  if (!addr.ok()) return addr.status();
  std::shared_ptr<MQClientInstance> instance;
  {
    std::lock_guard<std::mutex> lock(mu_);
    instance = instance_;
  }
  if (!instance) return Status::Unavailable("producer " + options_.group + " is not running");
  SendMessageRequestHeader header = prepared.header;
  header.queue_id = mq.queue_id;
  header.born_timestamp = NowMillis();
  return instance->api().SendMessageSync(*addr, mq.broker_name, header, prepared.body,
                                         prepared.msg_id, timeout);
}

Result<SendResult> ProducerImpl::SendDefaultImpl(const PreparedMessage& prepared) {
  const auto deadline = Clock::now() + options_.send_msg_timeout;
  Result<std::shared_ptr<const TopicPublishInfo>> info =
      TryToFindTopicPublishInfo(prepared.header.topic);
  if (!info.ok()) return info.status();
  const int attempts = 1 + std::max(0, options_.retry_times_when_send_failed);
  std::string last_broker;
  std::optional<SendResult> not_stored_ok;
  Status last_error;
  int tried = 0;
  for (; tried < attempts; ++tried) {
    const milliseconds remaining = Remaining(deadline);
    if (remaining.count() <= 0) break;
    MessageQueue mq = fault_strategy_.SelectOneMessageQueue(**info, last_broker);
    last_broker = mq.broker_name;
    const auto begin = Clock::now();
    Result<SendResult> r = SendKernel(prepared, mq, remaining);
    const auto latency = duration_cast<milliseconds>(Clock::now() - begin);
    if (r.ok()) {
      fault_strategy_.UpdateFaultItem(mq.broker_name, latency, false);
      if (r->send_status != SendStatus::kSendOk &&
          options_.retry_another_broker_when_not_store_ok) {
        not_stored_ok = *r;
        continue;
      }
      return r;
    }
    fault_strategy_.UpdateFaultItem(mq.broker_name, latency, true);
    last_error = r.status();
    spdlog::warn("send to {} on {} failed (attempt {} of {}): {}", prepared.header.topic,
                 mq.broker_name, tried + 1, attempts, last_error.ToString());
    if (!IsRetryableSendError(last_error)) return last_error;
  }
  if (not_stored_ok) return *not_stored_ok;
  std::string what = "send to " + prepared.header.topic + " failed after " + std::to_string(tried) +
                     " attempt(s) within " + std::to_string(options_.send_msg_timeout.count()) +
                     " ms";
  if (last_error.ok()) return Status::Timeout(what);
  if (last_error.code() == Status::Code::kTimeout) {
    return Status::Timeout(what + ": " + last_error.message());
  }
  return Status::Unavailable(what + ": " + last_error.ToString());
}

Result<SendResult> ProducerImpl::Send(const MQMessage& msg) {
  HOLDFAST_RETURN_IF_ERROR(CheckRunning());
  Result<PreparedMessage> prepared = Prepare(msg);
  if (!prepared.ok()) return prepared.status();
  return SendDefaultImpl(*prepared);
}

Result<SendResult> ProducerImpl::SendWithProperties(const std::string& topic,
                                                    const std::string& body, int32_t flag,
                                                    PropertyMap properties) {
  HOLDFAST_RETURN_IF_ERROR(CheckRunning());
  Result<PreparedMessage> prepared = PrepareFrom(topic, body, flag, std::move(properties));
  if (!prepared.ok()) return prepared.status();
  return SendDefaultImpl(*prepared);
}

Result<SendResult> ProducerImpl::Send(const MQMessage& msg, const MessageQueue& queue) {
  HOLDFAST_RETURN_IF_ERROR(CheckRunning());
  if (queue.topic != msg.topic) {
    return Status::InvalidArgument("queue " + queue.ToString() + " is not of topic " + msg.topic);
  }
  Result<PreparedMessage> prepared = Prepare(msg);
  if (!prepared.ok()) return prepared.status();
  Result<std::shared_ptr<const TopicPublishInfo>> info = TryToFindTopicPublishInfo(msg.topic);
  if (!info.ok()) return info.status();
  return SendKernel(*prepared, queue, options_.send_msg_timeout);
}

Result<SendResult> ProducerImpl::Send(const MQMessage& msg, const MessageQueueSelector& selector) {
  HOLDFAST_RETURN_IF_ERROR(CheckRunning());
  Result<PreparedMessage> prepared = Prepare(msg);
  if (!prepared.ok()) return prepared.status();
  Result<std::shared_ptr<const TopicPublishInfo>> info = TryToFindTopicPublishInfo(msg.topic);
  if (!info.ok()) return info.status();
  const auto& queues = (*info)->queues();
  // The selector runs in the caller's thread; its exception still becomes this send's error, so
  // Send keeps its promise of answering with a Result.
  std::string selector_error;
  std::optional<MessageQueue> chosen =
      CallUserCode([&]() -> std::optional<MessageQueue> { return selector(queues, msg); },
                   [&](std::string_view error) -> std::optional<MessageQueue> {
                     selector_error = error;
                     return std::nullopt;
                   });
  if (!chosen) {
    return Status::InvalidArgument("the MessageQueueSelector for a send to " + msg.topic +
                                   " threw: " + selector_error);
  }
  const MessageQueue& mq = *chosen;
  if (std::find(queues.begin(), queues.end(), mq) == queues.end()) {
    return Status::InvalidArgument("selector chose " + mq.ToString() +
                                   ", which is not a writable queue of " + msg.topic);
  }
  return SendKernel(*prepared, mq, options_.send_msg_timeout);
}

Result<SendResult> ProducerImpl::Send(const std::vector<MQMessage>& batch) {
  HOLDFAST_RETURN_IF_ERROR(CheckRunning());
  Result<PreparedMessage> prepared = PrepareBatch(batch);
  if (!prepared.ok()) return prepared.status();
  return SendDefaultImpl(*prepared);
}

Status ProducerImpl::SendOneway(const MQMessage& msg) {
  HOLDFAST_RETURN_IF_ERROR(CheckRunning());
  Result<PreparedMessage> prepared = Prepare(msg);
  if (!prepared.ok()) return prepared.status();
  Result<std::shared_ptr<const TopicPublishInfo>> info = TryToFindTopicPublishInfo(msg.topic);
  if (!info.ok()) return info.status();
  MessageQueue mq = fault_strategy_.SelectOneMessageQueue(**info, "");
  Result<std::string> addr = BrokerAddr(mq, /*may_fetch=*/true);
  if (!addr.ok()) return addr.status();
  std::shared_ptr<MQClientInstance> instance;
  {
    std::lock_guard<std::mutex> lock(mu_);
    instance = instance_;
  }
  if (!instance) return Status::Unavailable("producer " + options_.group + " is not running");
  SendMessageRequestHeader header = prepared->header;
  header.queue_id = mq.queue_id;
  header.born_timestamp = NowMillis();
  return instance->api().SendMessageOneway(*addr, header, prepared->body);
}

void ProducerImpl::SendAsync(const MQMessage& msg, SendCallback callback) {
  Status running = CheckRunning();
  if (!running.ok()) {
    CallSendCallback(callback, msg.topic, running);
    return;
  }
  Result<PreparedMessage> prepared = Prepare(msg);
  if (!prepared.ok()) {
    CallSendCallback(callback, msg.topic, prepared.status());
    return;
  }
  Result<std::shared_ptr<const TopicPublishInfo>> info = TryToFindTopicPublishInfo(msg.topic);
  if (!info.ok()) {
    CallSendCallback(callback, msg.topic, info.status());
    return;
  }
  auto send = std::make_shared<AsyncSend>();
  send->prepared = std::move(prepared).value();
  send->info = *info;
  send->deadline = Clock::now() + options_.send_msg_timeout;
  send->retries_left = std::max(0, options_.retry_times_when_send_async_failed);
  send->callback = std::move(callback);
  bool running_now = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    running_now = running_;
    if (running_now) {
      send->instance = instance_;
      ++async_in_flight_;
    }
  }
  if (!running_now) {
    // Outside mu_: the callback may call this producer again.
    CallSendCallback(send->callback, msg.topic,
                     Status::Unavailable("producer " + options_.group + " is not running"));
    return;
  }
  AsyncAttempt(std::move(send));
}

void ProducerImpl::AsyncDone() {
  std::lock_guard<std::mutex> lock(mu_);
  --async_in_flight_;
  async_cv_.notify_all();
}

void ProducerImpl::AsyncAttempt(std::shared_ptr<AsyncSend> send) {
  const milliseconds remaining = Remaining(send->deadline);
  if (remaining.count() <= 0) {
    CallSendCallback(
        send->callback, send->prepared.header.topic,
        Status::Timeout("async send to " + send->prepared.header.topic + " ran out of its " +
                        std::to_string(options_.send_msg_timeout.count()) + " ms"));
    AsyncDone();
    return;
  }
  MessageQueue mq = fault_strategy_.SelectOneMessageQueue(*send->info, send->last_broker);
  send->last_broker = mq.broker_name;
  // Retries run on the io thread, which must not wait for a name server: cached addresses only.
  Result<std::string> addr = BrokerAddr(mq, /*may_fetch=*/send->first_attempt);
  send->first_attempt = false;
  if (!addr.ok()) {
    CallSendCallback(send->callback, send->prepared.header.topic, addr.status());
    AsyncDone();
    return;
  }
  SendMessageRequestHeader header = send->prepared.header;
  header.queue_id = mq.queue_id;
  header.born_timestamp = NowMillis();
  const auto begin = Clock::now();
  send->instance->api().SendMessageAsync(
      *addr, mq.broker_name, header, send->prepared.body, send->prepared.msg_id, remaining,
      [this, send, broker = mq.broker_name, begin](Result<SendResult> r, bool broker_answered) {
        const auto latency = duration_cast<milliseconds>(Clock::now() - begin);
        fault_strategy_.UpdateFaultItem(broker, latency, !r.ok());
        if (!r.ok() && !broker_answered && send->retries_left > 0 &&
            Remaining(send->deadline).count() > 0) {
          --send->retries_left;
          spdlog::warn("async send to {} on {} failed, retrying: {}", send->prepared.header.topic,
                       broker, r.status().ToString());
          AsyncAttempt(send);
          return;
        }
        CallSendCallback(send->callback, send->prepared.header.topic, std::move(r));
        AsyncDone();
      });
}

Result<std::vector<MessageQueue>> ProducerImpl::FetchPublishMessageQueues(
    const std::string& topic) {
  HOLDFAST_RETURN_IF_ERROR(CheckRunning());
  std::shared_ptr<MQClientInstance> instance;
  {
    std::lock_guard<std::mutex> lock(mu_);
    instance = instance_;
  }
  Result<TopicRouteData> route =
      instance->api().GetTopicRouteInfoFromNameServer(topic, options_.client.mq_client_api_timeout);
  if (!route.ok()) return route.status();
  return TopicRouteToPublishQueues(*route, topic);
}

}  // namespace holdfast::client
