#include "broker/broker_controller.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <vector>

#include "broker/default_consumer_ids_change_listener.h"
#include "broker/message_id.h"
#include "common/local_address.h"
#include "common/service_thread.h"
#include "remoting/protocol/mq_version.h"
#include "remoting/protocol/register_broker_body.h"
#include "remoting/request_code.h"

namespace holdfast::broker {

using namespace std::chrono_literals;

constexpr auto kRegisterTimeout = 3000ms;

namespace {

// Has `server` hand each of `codes` to processor->Process.
template <typename Processor>
void RegisterCodes(
    remoting::RemotingServer& server, const std::vector<int32_t>& codes, Processor* processor,
    remoting::ProcessorExecution execution = remoting::ProcessorExecution::kWorkerPool) {
  for (int32_t code : codes) {
    server.RegisterProcessor(
        code,
        [processor](const remoting::RemotingCommand& request, remoting::ResponseWriter writer) {
          processor->Process(request, std::move(writer));
        },
        execution);
  }
}

}  // namespace

// Registers the broker every registerNameServerPeriod, or at once after Wakeup().
class RegisterBrokerService : public ServiceThread {
 public:
  RegisterBrokerService(BrokerController* controller, std::chrono::milliseconds period)
      : ServiceThread("RegisterBrokerService"), controller_(controller), period_(period) {}

 protected:
  void Run() override {
    WaitForRunning(period_);
    if (Stopped()) return;
    // Each failure is logged per name server (BrokerOuterAPI); the next period tries again, and
    // meanwhile a name server keeps the last registration until brokerChannelExpiredTime.
    (void)controller_->RegisterBrokerAll();
  }

 private:
  BrokerController* const controller_;
  const std::chrono::milliseconds period_;
};

BrokerController::BrokerController(BrokerConfig config, store::FileSystem* fs)
    : config_(std::move(config)),
      fs_(fs),
      consumer_manager_(
          MakeDefaultConsumerIdsChangeListener(config_.notify_consumer_ids_changed_enable)) {}

BrokerController::~BrokerController() { Shutdown(); }

Status BrokerController::Start() {
  if (started_) return Status::AlreadyExists("broker already started");
  started_ = true;
  if (config_.broker_ip1.empty()) {
    config_.broker_ip1 =
        IsWildcardAddress(config_.bind_address) ? PickLocalIpv4() : config_.bind_address;
  } else if (!IsWildcardAddress(config_.bind_address) &&
             config_.broker_ip1 != config_.bind_address) {
    // Allowed (a NAT or proxy address may forward here), but a plain mistake looks the same.
    spdlog::warn("brokerIP1 {} is not bindAddress {}: clients are told to connect to {}",
                 config_.broker_ip1, config_.bind_address, config_.broker_ip1);
  }
  if (config_.broker_ip2.empty()) config_.broker_ip2 = config_.broker_ip1;

  topic_config_manager_ = std::make_unique<TopicConfigManager>(fs_, config_);
  subscription_group_manager_ = std::make_unique<SubscriptionGroupManager>(fs_, config_);
  consumer_offset_manager_ = std::make_unique<ConsumerOffsetManager>(fs_, config_);
  HOLDFAST_RETURN_IF_ERROR(topic_config_manager_->Load());
  HOLDFAST_RETURN_IF_ERROR(subscription_group_manager_->Load());
  HOLDFAST_RETURN_IF_ERROR(consumer_offset_manager_->Load());

  Result<std::unique_ptr<store::MessageStore>> store =
      store::MessageStore::Open(config_.GetMessageStoreConfig(), fs_);
  if (!store.ok()) return store.status();
  store_ = std::move(store).value();
  if (Status s = StartScheduleServices(); !s.ok()) {
    Shutdown();
    return s;
  }

  remoting::RemotingServerOptions options;
  options.host = config_.bind_address;
  options.port = static_cast<uint16_t>(config_.listen_port);
  options.dispatcher.version = protocol::kCurrentVersion;
  server_ = std::make_unique<remoting::RemotingServer>(options);
  server_->SetCloseListener([this](const std::shared_ptr<remoting::Connection>& connection) {
    producer_manager_.DoChannelCloseEvent(connection.get());
    consumer_manager_.DoChannelCloseEvent(connection.get());
  });
  if (Status s = server_->Start(); !s.ok()) {
    Shutdown();
    return s;
  }
  broker_addr_ = config_.broker_ip1 + ":" + std::to_string(server_->port());
  Result<HostAddress> host = ParseIpv4Address(broker_addr_);
  if (!host.ok()) {
    Shutdown();
    return Status::InvalidArgument("brokerIP1 must be an IPv4 address: " + config_.broker_ip1);
  }
  store_host_ = *host;

  const int64_t period = std::clamp<int64_t>(config_.register_name_server_period, 10000, 60000);
  register_service_ =
      std::make_unique<RegisterBrokerService>(this, std::chrono::milliseconds(period));
  send_processor_ = std::make_unique<SendMessageProcessor>(
      config_, topic_config_manager_.get(), subscription_group_manager_.get(), store_.get(),
      store_host_, [this] { WakeupRegister(); });
  // Sends run on the io thread that read them: the processor only checks, encodes and appends
  // (pwrite or memcpy under the put lock) and is answered from the store's completion, never
  // waiting for the disk. Skipping the worker hand-off measured +30% sends/s with 64 producers
  // (32-36k -> 44-45k/s, SYNC_FLUSH, Release, 2 cores). What can still take a moment there: the
  // first message of an auto-created topic persists topics.json, and a segment roll waits if the
  // allocator has not prepared the next segment yet.
  RegisterCodes(*server_,
                {remoting::RequestCode::SEND_MESSAGE, remoting::RequestCode::SEND_MESSAGE_V2,
                 remoting::RequestCode::SEND_BATCH_MESSAGE},
                send_processor_.get(), remoting::ProcessorExecution::kInline);

  // A send-back reads the failed message from the store, which may touch the disk: on a worker.
  send_msg_back_processor_ = std::make_unique<ConsumerSendMsgBackProcessor>(
      subscription_group_manager_.get(), topic_config_manager_.get(), store_.get(),
      [this] { WakeupRegister(); });
  RegisterCodes(*server_, {remoting::RequestCode::CONSUMER_SEND_MSG_BACK},
                send_msg_back_processor_.get());

  pull_processor_ = std::make_unique<PullMessageProcessor>(
      topic_config_manager_.get(), consumer_offset_manager_.get(), store_.get(),
      subscription_group_manager_.get(), &consumer_manager_);
  pull_processor_->Start();
  RegisterCodes(*server_,
                {remoting::RequestCode::PULL_MESSAGE, remoting::RequestCode::LITE_PULL_MESSAGE},
                pull_processor_.get());
  consumer_manage_processor_ =
      std::make_unique<ConsumerManageProcessor>(consumer_offset_manager_.get(), store_.get());
  RegisterCodes(*server_, ConsumerManageProcessor::RequestCodes(),
                consumer_manage_processor_.get());

  StartClientManagement();

  outer_api_ = std::make_unique<BrokerOuterAPI>();
  outer_api_->Start();

  // --- Admin and query requests: AdminBrokerProcessor, QueryMessageProcessor ---
  admin_processor_ = std::make_unique<AdminBrokerProcessor>(this);
  RegisterCodes(*server_, AdminBrokerProcessor::RequestCodes(), admin_processor_.get());
  query_processor_ = std::make_unique<QueryMessageProcessor>(store_.get());
  RegisterCodes(*server_, QueryMessageProcessor::RequestCodes(), query_processor_.get());
  // --- end of admin and query requests ---

  // A name server that does not answer now is logged, not fatal (as in RocketMQ): the
  // registration service tries again every registerNameServerPeriod.
  (void)RegisterBrokerAll();
  register_service_->Start();
  spdlog::info("broker {} ({}) started at {}", config_.broker_name, config_.broker_cluster_name,
               broker_addr_);
  return Status::Ok();
}

void BrokerController::Shutdown() {
  if (!started_ || shut_down_) return;
  shut_down_ = true;
  if (register_service_) register_service_->Shutdown();
  if (outer_api_) {
    if (!broker_addr_.empty()) {
      // Logged per name server when it fails; one that missed it still drops this broker when
      // its connection closes or its registration expires.
      (void)outer_api_->UnregisterBrokerAll(config_.NamesrvAddrList(), Identity(),
                                            kRegisterTimeout);
    }
    outer_api_->Shutdown();
  }
  // The server waits for running processors; store completions hold no pointer into it.
  if (server_) server_->Shutdown();
  ShutdownClientManagement();
  // Parked pulls re-read the store: stop them before it closes.
  if (pull_processor_) pull_processor_->Shutdown();
  // Before the store: their last re-puts are answered, then their progress is written.
  if (timer_store_) {
    if (Status s = timer_store_->Shutdown(); !s.ok()) {
      spdlog::error("timer store shutdown: {}", s.ToString());
    }
  }
  if (schedule_service_) schedule_service_->Shutdown();
  if (store_) {
    if (Status s = store_->Shutdown(); !s.ok()) {
      spdlog::error("message store shutdown: {}", s.ToString());
    }
  }
  // Last: the final consumerOffset.json after every processor has stopped committing.
  if (consumer_offset_flush_) consumer_offset_flush_->Shutdown();
}

Status BrokerController::StartScheduleServices() {
  // As in RocketMQ, only a master delivers delayed and timer messages: a slave's store receives
  // the master's deliveries by replication, and delivering there too would store each one twice.
  // The seam for a slave taking over is to start them then.
  if (config_.broker_role == BrokerRole::kSlave) return Status::Ok();
  schedule_service_ = std::make_unique<store::schedule::ScheduleMessageService>(store_.get(), fs_);
  HOLDFAST_RETURN_IF_ERROR(schedule_service_->Start());
  const store::MessageStoreConfig& sc = store_->config();
  if (!sc.timer_wheel_enable) return Status::Ok();
  auto timer = store::timer::TimerMessageStore::Open(store_.get(), sc, fs_);
  if (!timer.ok()) return timer.status();
  timer_store_ = std::move(timer).value();
  timer_store_->Start();
  return Status::Ok();
}

BrokerIdentity BrokerController::Identity() const {
  BrokerIdentity id;
  id.cluster_name = config_.broker_cluster_name;
  id.broker_name = config_.broker_name;
  id.broker_addr = broker_addr_;
  id.ha_server_addr = config_.broker_ip2 + ":" + std::to_string(config_.ha_listen_port);
  id.broker_id = config_.broker_id;
  return id;
}

Status BrokerController::RegisterBrokerAll() {
  const std::vector<std::string> addrs = config_.NamesrvAddrList();
  if (addrs.empty() || !outer_api_) return Status::Ok();
  protocol::RegisterBrokerBody body;
  body.topic_config_serialize_wrapper = topic_config_manager_->SerializeWrapper();
  const std::string encoded = protocol::EncodeRegisterBrokerBody(body);
  return outer_api_->RegisterBrokerAll(addrs, Identity(), encoded, kRegisterTimeout);
}

void BrokerController::StartClientManagement() {
  store_->SetMessageArrivingListener(
      [p = pull_processor_.get()](std::string_view topic, int32_t queue_id, int64_t max_offset,
                                  int64_t tags_code, int64_t /*store_timestamp*/) {
        p->NotifyMessageArriving(topic, queue_id, max_offset, tags_code);
      });
  ClientManageProcessorDeps deps;
  deps.consumers = &consumer_manager_;
  deps.producers = &producer_manager_;
  deps.groups = subscription_group_manager_.get();
  deps.topics = topic_config_manager_.get();
  deps.locks = &rebalance_lock_manager_;
  deps.on_topic_created = [this] { WakeupRegister(); };
  client_manage_processor_ = std::make_unique<ClientManageProcessor>(std::move(deps));
  RegisterCodes(*server_,
                {remoting::RequestCode::HEART_BEAT, remoting::RequestCode::UNREGISTER_CLIENT,
                 remoting::RequestCode::GET_CONSUMER_LIST_BY_GROUP,
                 remoting::RequestCode::LOCK_BATCH_MQ, remoting::RequestCode::UNLOCK_BATCH_MQ},
                client_manage_processor_.get());
  client_housekeeping_ =
      std::make_unique<ClientHousekeepingService>(&consumer_manager_, &producer_manager_);
  client_housekeeping_->Start();
  consumer_offset_flush_ = std::make_unique<ConsumerOffsetFlushService>(
      consumer_offset_manager_.get(),
      std::chrono::milliseconds(config_.flush_consumer_offset_interval));
  consumer_offset_flush_->Start();
}

void BrokerController::ShutdownClientManagement() {
  if (client_housekeeping_) client_housekeeping_->Shutdown();
  if (store_) store_->SetMessageArrivingListener(nullptr);
}

void BrokerController::WakeupRegister() {
  if (register_service_) register_service_->Wakeup();
}

}  // namespace holdfast::broker
