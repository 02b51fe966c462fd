// BrokerController: one broker (apache/rocketmq: broker/.../BrokerController.java). It owns the
// MessageStore (opened from BrokerConfig::GetMessageStoreConfig()), the topic, subscription-group
// and consumer-offset managers, a RemotingServer on listenPort serving the send codes and
// CONSUMER_SEND_MSG_BACK (ConsumerSendMsgBackProcessor), and the name-server registration:
// REGISTER_BROKER to every namesrvAddr entry at Start(), every registerNameServerPeriod (clamped to
// 10..60 s) and right after a send auto-created a topic; UNREGISTER_BROKER at Shutdown().
//
// Every response it writes carries version protocol::kCurrentVersion (479, V5_3_3; docs/protocol.md
// §10 item 9).
//
// Client management: HEART_BEAT, UNREGISTER_CLIENT, GET_CONSUMER_LIST_BY_GROUP,
// LOCK/UNLOCK_BATCH_MQ (ClientManageProcessor); a closed connection leaves every producer and
// consumer group at once, one silent for 120 s within 10 s more (ClientHousekeepingService);
// consumer offsets are persisted every flushConsumerOffsetInterval and at Shutdown(); arrivals in
// the store wake the parked pulls of their queue.
//
// Delayed and timer messages: on a master, the ScheduleMessageService (src/store/schedule/)
// delivers delay-level messages once due and keeps config/delayOffset.json, and the timer store
// (src/store/timer/) delivers timer messages; a slave runs neither (as RocketMQ), its store only
// holds what it replicates. GET_ALL_DELAY_OFFSET answers delayOffset.json.
//
// Threads: the RemotingServer's io and worker threads, the store's services, the
// ScheduleMessageService's level and offset-flush threads and the timer store's "TimerEnqueue" and
// "TimerDequeue" (masters only), the BrokerOuterAPI
// client's io thread, "RegisterBrokerService" (the periodic registration),
// "ClientHousekeepingService", "ConsumerOffsetFlushService" and "PullRequestHoldService".
//
// Lifecycle: construct, Start() once, ..., Shutdown() (idempotent, also run by the destructor).
// A failed Start() leaves nothing running. Accessors are valid between Start() and Shutdown().
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "broker/admin_broker_processor.h"
#include "broker/broker_config.h"
#include "broker/broker_outer_api.h"
#include "broker/client_housekeeping_service.h"
#include "broker/client_manage_processor.h"
#include "broker/consumer_manage_processor.h"
#include "broker/consumer_manager.h"
#include "broker/consumer_offset_flush_service.h"
#include "broker/consumer_offset_manager.h"
#include "broker/consumer_send_msg_back_processor.h"
#include "broker/producer_manager.h"
#include "broker/pull_message_processor.h"
#include "broker/query_message_processor.h"
#include "broker/rebalance_lock_manager.h"
#include "broker/send_message_processor.h"
#include "broker/subscription_group_manager.h"
#include "broker/topic_config_manager.h"
#include "common/message.h"
#include "common/status.h"
#include "remoting/remoting_server.h"
#include "store/file_system.h"
#include "store/message_store.h"
#include "store/schedule/schedule_message_service.h"
#include "store/timer/timer_message_store.h"

namespace holdfast::broker {

class RegisterBrokerService;

class BrokerController {
 public:
  // `fs` must outlive the controller.
  explicit BrokerController(BrokerConfig config,
                            store::FileSystem* fs = store::FileSystem::Default());
  ~BrokerController();
  BrokerController(const BrokerController&) = delete;
  BrokerController& operator=(const BrokerController&) = delete;

  // Loads the config tables, opens the store, listens on bindAddress:listenPort (IoError when it
  // cannot be bound; brokerIP1 defaults to bindAddress unless that is a wildcard),
  // registers with the name servers (a name server that does not answer is logged, not fatal,
  // as in RocketMQ) and starts the periodic registration.
  Status Start();
  void Shutdown();

  // Registers with every name server now (blocking, at most 3 s per name server).
  Status RegisterBrokerAll();

  // The bound remoting port (listenPort, or the one the kernel picked for 0).
  uint16_t port() const { return server_ ? server_->port() : 0; }
  // brokerIP1:port, what the name servers hand to clients and what offsetMsgIds point at.
  const std::string& broker_addr() const { return broker_addr_; }
  const HostAddress& store_host() const { return store_host_; }
  const BrokerConfig& config() const { return config_; }
  store::FileSystem* file_system() const { return fs_; }

  store::MessageStore& message_store() { return *store_; }
  // The timer store (timer messages); null on a slave or with timerWheelEnable false.
  store::timer::TimerMessageStore* timer_message_store() { return timer_store_.get(); }
  // Null on a slave (and before Start()).
  store::schedule::ScheduleMessageService* schedule_message_service() {
    return schedule_service_.get();
  }
  TopicConfigManager& topic_config_manager() { return *topic_config_manager_; }
  SubscriptionGroupManager& subscription_group_manager() { return *subscription_group_manager_; }
  ConsumerOffsetManager& consumer_offset_manager() { return *consumer_offset_manager_; }
  PullMessageProcessor& pull_message_processor() { return *pull_processor_; }
  ConsumerManager& consumer_manager() { return consumer_manager_; }
  ProducerManager& producer_manager() { return producer_manager_; }
  RebalanceLockManager& rebalance_lock_manager() { return rebalance_lock_manager_; }

 private:
  void WakeupRegister();
  // Creates and starts schedule_service_ and (with timerWheelEnable) timer_store_ unless this
  // broker is a slave.
  Status StartScheduleServices();
  // Client management (heartbeats, consumer lists, rebalance locks, closed and expired channels,
  // the offset flush): its processors, listeners and services.
  void StartClientManagement();
  void ShutdownClientManagement();
  BrokerIdentity Identity() const;

  // Constant after Start().
  BrokerConfig config_;
  store::FileSystem* const fs_;
  std::string broker_addr_;
  HostAddress store_host_;

  std::unique_ptr<TopicConfigManager> topic_config_manager_;
  std::unique_ptr<SubscriptionGroupManager> subscription_group_manager_;
  std::unique_ptr<ConsumerOffsetManager> consumer_offset_manager_;
  std::unique_ptr<store::MessageStore> store_;
  // Masters only: deliver delayed and timer messages into store_ (shut down before it).
  std::unique_ptr<store::schedule::ScheduleMessageService> schedule_service_;
  std::unique_ptr<store::timer::TimerMessageStore> timer_store_;
  std::unique_ptr<SendMessageProcessor> send_processor_;
  std::unique_ptr<ConsumerSendMsgBackProcessor> send_msg_back_processor_;
  std::unique_ptr<PullMessageProcessor> pull_processor_;
  std::unique_ptr<ConsumerManageProcessor> consumer_manage_processor_;
  std::unique_ptr<ClientManageProcessor> client_manage_processor_;
  std::unique_ptr<ClientHousekeepingService> client_housekeeping_;
  std::unique_ptr<ConsumerOffsetFlushService> consumer_offset_flush_;
  std::unique_ptr<remoting::RemotingServer> server_;
  std::unique_ptr<BrokerOuterAPI> outer_api_;
  // Admin and query requests (registered once outer_api_ exists: topic changes re-register).
  std::unique_ptr<AdminBrokerProcessor> admin_processor_;
  std::unique_ptr<QueryMessageProcessor> query_processor_;
  std::unique_ptr<RegisterBrokerService> register_service_;
  // After server_: their channels (Connections) must be released before the server's io_context.
  ConsumerManager consumer_manager_;
  ProducerManager producer_manager_;
  RebalanceLockManager rebalance_lock_manager_;
  bool started_ = false;
  bool shut_down_ = false;
};

}  // namespace holdfast::broker
