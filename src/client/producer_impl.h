// ProducerImpl: the machinery behind holdfast::Producer (RocketMQ's DefaultMQProducerImpl):
// validation, message preparation (UNIQ_KEY, compression, properties), route lookup with the
// create-topic-key fallback, queue selection (round robin or MQFaultStrategy), and the sync,
// async and oneway send paths with their retry rules (docs/protocol.md §3.3, §8.4).
//
// Threads: none of its own. Sync and oneway sends run in the caller's thread; async sends look
// the route up in the caller's thread and finish (and retry) on the MQClientInstance's io thread,
// where the SendCallback runs. An async send refused before anything went out (bad message, no
// route, not running) calls the SendCallback in the caller's thread, before SendAsync returns.
// Every user callback is called through CallUserCode, never under mu_.
// Every public method is thread-safe. Shutdown() waits for async sends in flight (each ends within
// send_msg_timeout) so no callback outlives this object; a SendCallback must therefore not call
// Shutdown().
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "client/mq_client_api.h"
#include "client/mq_client_instance.h"
#include "client/mq_fault_strategy.h"
#include "client/mq_producer_inner.h"
#include "client/topic_publish_info.h"
#include "common/message.h"
#include "holdfast/producer.h"

namespace holdfast::client {

// A message ready to go: its send header (queue id set per attempt), wire body and UNIQ_KEY(s).
struct PreparedMessage {
  SendMessageRequestHeader header;
  std::string body;
  std::string msg_id;
};

class ProducerImpl : public MQProducerInner {
 public:
  explicit ProducerImpl(ProducerOptions options);
  ~ProducerImpl() override;
  ProducerImpl(const ProducerImpl&) = delete;
  ProducerImpl& operator=(const ProducerImpl&) = delete;

  Status Start();
  // For MQClientInstance's inner producer (RocketMQ's CLIENT_INNER_PRODUCER): registers with
  // `instance` without starting it, and Shutdown() unregisters without shutting it down. The
  // instance owns this producer and must outlive it.
  Status StartAttached(MQClientInstance* instance);
  void Shutdown();

  Result<SendResult> Send(const MQMessage& msg);
  Result<SendResult> Send(const MQMessage& msg, const MessageQueue& queue);
  Result<SendResult> Send(const MQMessage& msg, const MessageQueueSelector& selector);
  Result<SendResult> Send(const std::vector<MQMessage>& batch);
  void SendAsync(const MQMessage& msg, SendCallback callback);
  Status SendOneway(const MQMessage& msg);
  Result<std::vector<MessageQueue>> FetchPublishMessageQueues(const std::string& topic);

  // The client's own sends (a consumer's fallback to its retry topic, docs/protocol.md §8.3):
  // `properties` go as given, reserved names included; UNIQ_KEY is kept when present, else made.
  // For a "%RETRY%" topic the RECONSUME_TIME and MAX_RECONSUME_TIMES properties move into the
  // header's reconsumeTimes and maxReconsumeTimes (docs/protocol.md §4.1), as the Java producer
  // does. Sync, with Send's retries.
  Result<SendResult> SendWithProperties(const std::string& topic, const std::string& body,
                                        int32_t flag, PropertyMap properties);

  // MQProducerInner.
  std::set<std::string> PublishTopicList() const override;
  void UpdateTopicPublishInfo(const std::string& topic, const TopicRouteData& route) override;

 private:
  struct AsyncSend;

  // Start()'s work once the options were checked; `attached`: see StartAttached.
  Status StartWith(MQClientInstance* attached);
  Status CheckRunning() const;
  // The header from `props` (UNIQ_KEY added when missing; the retry-topic rule of
  // SendWithProperties) and the body, compressed above the threshold.
  Result<PreparedMessage> PrepareFrom(const std::string& topic, const std::string& body,
                                      int32_t flag, PropertyMap props) const;
  Status CheckMessage(const MQMessage& msg) const;
  // Validated, with UNIQ_KEY, properties and (above the threshold) a compressed body.
  Result<PreparedMessage> Prepare(const MQMessage& msg) const;
  Result<PreparedMessage> PrepareBatch(const std::vector<MQMessage>& batch) const;
  // The topic's publish info, fetching its route (or the create-topic key's) when unknown.
  // NotFound when no route exists.
  Result<std::shared_ptr<const TopicPublishInfo>> TryToFindTopicPublishInfo(
      const std::string& topic);
  // The master address of the queue's broker; `may_fetch` allows a name-server round trip.
  Result<std::string> BrokerAddr(const MessageQueue& mq, bool may_fetch);
  // Sync send with retries on other brokers within send_msg_timeout.
  Result<SendResult> SendDefaultImpl(const PreparedMessage& prepared);
  // One sync attempt to `mq` with `timeout`.
  Result<SendResult> SendKernel(const PreparedMessage& prepared, const MessageQueue& mq,
                                std::chrono::milliseconds timeout);
  void AsyncAttempt(std::shared_ptr<AsyncSend> send);
  void AsyncDone();

  // Constant after construction.
  const ProducerOptions options_;

  MQFaultStrategy fault_strategy_;

  mutable std::mutex mu_;
  bool running_ = false;   // guarded by mu_
  bool starting_ = false;  // guarded by mu_
  bool attached_ = false;  // StartAttached: the instance is not this producer's to stop; mu_
  std::shared_ptr<MQClientInstance> instance_;  // set by Start(), guarded by mu_
  HostAddress
      client_host_;  // written by Start() under mu_ before running_; read after CheckRunning()
  std::map<std::string, std::shared_ptr<const TopicPublishInfo>> publish_info_;  // guarded by mu_
  int async_in_flight_ = 0;                                                      // guarded by mu_
  std::condition_variable async_cv_;
};

}  // namespace holdfast::client
