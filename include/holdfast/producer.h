// Producer: sends messages to a topic's queues, choosing brokers from the name servers' routes
// (RocketMQ's DefaultMQProducer).
//
// Lifecycle: construct, Start(), send from any number of threads, Shutdown() (also by the
// destructor). Every Send* is thread-safe. A send that fails for a reason a retry can fix
// (connection lost, broker busy, timeout) is retried on another broker within sendMsgTimeout.
//
// What a result promises (RocketMQ's SendStatus): kSendOk means the broker stored the message
// with the durability its flushDiskType/brokerRole promise; kFlushDiskTimeout /
// kFlushSlaveTimeout / kSlaveNotAvailable mean it is stored on the master but the promised
// durability was not confirmed in time. An error Status means the message may or may not have
// been stored.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "holdfast/client_config.h"
#include "holdfast/message.h"
#include "holdfast/status.h"

namespace holdfast {

namespace client {
class ProducerImpl;
}

enum class SendStatus { kSendOk, kFlushDiskTimeout, kFlushSlaveTimeout, kSlaveNotAvailable };
// "SEND_OK", "FLUSH_DISK_TIMEOUT", ...
const char* SendStatusName(SendStatus status);

struct SendResult {
  SendStatus send_status = SendStatus::kSendOk;
  std::string msg_id;         // the unique id this producer gave the message (UNIQ_KEY)
  std::string offset_msg_id;  // the broker's id (store host + commit-log offset)
  MessageQueue message_queue;
  int64_t queue_offset = 0;
  std::string region_id;
  bool trace_on = false;
};

struct ProducerOptions {
  std::string group = "DEFAULT_PRODUCER";
  ClientConfig client;
  std::chrono::milliseconds send_msg_timeout{3000};  // the whole budget, retries included
  int retry_times_when_send_failed = 2;
  int retry_times_when_send_async_failed = 2;
  bool retry_another_broker_when_not_store_ok = false;
  int compress_msg_body_over_howmuch = 4096;  // zlib level 5 above this many body bytes
  int max_message_size = 4 * 1024 * 1024;
  // Latency-based fault avoidance: a broker whose last send was slow or failed is avoided for a
  // while (RocketMQ's MQFaultStrategy; off by default there too).
  bool send_latency_fault_enable = false;
  std::string create_topic_key = "TBW102";
  int default_topic_queue_nums = 4;
};

// Picks a queue for a message, e.g. by order id so one order's messages stay in order. Runs in
// the sending thread; if it throws, that send fails with InvalidArgument naming the exception.
using MessageQueueSelector =
    std::function<MessageQueue(const std::vector<MessageQueue>& queues, const MQMessage& msg)>;
// Called exactly once per SendAsync, on a client thread; must not block. An exception it throws
// is caught and logged, and goes no further: the producer keeps serving.
using SendCallback = std::function<void(Result<SendResult>)>;

class Producer {
 public:
  explicit Producer(ProducerOptions options);
  ~Producer();
  Producer(const Producer&) = delete;
  Producer& operator=(const Producer&) = delete;

  // InvalidArgument on bad options (empty group, no name server).
  Status Start();
  void Shutdown();

  // Sync send with retries. InvalidArgument for a message that can never be sent (bad topic,
  // empty or oversize body, reserved property); NotFound when no route exists for the topic.
  Result<SendResult> Send(const MQMessage& msg);
  // To one queue: no retry on another queue (ordered messages).
  Result<SendResult> Send(const MQMessage& msg, const MessageQueue& queue);
  Result<SendResult> Send(const MQMessage& msg, const MessageQueueSelector& selector);
  // One batch, one topic, one queue; stored atomically in order.
  Result<SendResult> Send(const std::vector<MQMessage>& batch);

  void SendAsync(const MQMessage& msg, SendCallback callback);
  // Queued for sending; OK does not mean stored.
  Status SendOneway(const MQMessage& msg);

  // The writable queues of `topic` from the name servers' route.
  Result<std::vector<MessageQueue>> FetchPublishMessageQueues(const std::string& topic);

 private:
  std::unique_ptr<client::ProducerImpl> impl_;
};

}  // namespace holdfast
