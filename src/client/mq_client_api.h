// MQClientAPI: every RPC a client makes, over one remoting::RemotingClient (RocketMQ's
// MQClientAPIImpl). It builds each request's custom header and body, and turns each response
// into a value or a Status.
//
// Name servers: ClientConfig::namesrv_addr ("host:port;host:port"). A name-server call goes to the
// last one that answered, then to each other in turn, so a dead one never makes a call fail while
// another is alive.
//
// Errors (Status), for every method:
//  * the RemotingClient's: Unavailable (cannot connect, connection lost), Timeout, InvalidArgument
//    (bad address);
//  * a response code other than the expected ones: a Status whose message names the code and the
//    broker's remark. Codes a retry on another broker may fix (docs/protocol.md §3.3's retry set:
//    SYSTEM_ERROR, SYSTEM_BUSY, SERVICE_NOT_AVAILABLE, NO_PERMISSION, TOPIC_NOT_EXIST, NO_BUYER_ID,
//    NOT_IN_CURRENT_UNIT, GO_AWAY) give Unavailable, any other code InvalidArgument.
//
// Threads: none of its own; the RemotingClient's io thread runs every async callback (they must
// not block), its workers run the processors registered for server-sent requests. Every method
// is thread-safe. Lifecycle: construct, RegisterProcessor(...), Start(), ..., Shutdown().
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "client/pull_result.h"
#include "client/topic_route_data.h"
#include "common/status.h"
#include "holdfast/client_config.h"
#include "holdfast/message.h"
#include "holdfast/producer.h"
#include "remoting/protocol/heartbeat_data.h"
#include "remoting/protocol/pull_message_request_header.h"
#include "remoting/protocol/pull_sys_flag.h"
#include "remoting/protocol/send_message_request_header.h"
#include "remoting/remoting_client.h"
#include "remoting/remoting_command.h"

namespace holdfast::client {

// The send and pull headers and PullSysFlag are the protocol layer's (remoting/protocol/), shared
// with the broker; these are the client's names for them.
using protocol::kPullFlagCommitOffset;
using protocol::kPullFlagSubscription;
using protocol::kPullFlagSuspend;
using protocol::PullMessageRequestHeader;
using protocol::SendMessageRequestHeader;

// The outcome of an async send. `broker_answered` tells a broker's error answer (which a re-send
// would not fix, docs/protocol.md §3.3) from a transport failure (connect, lost connection,
// timeout).
using SendResultCallback = std::function<void(Result<SendResult> result, bool broker_answered)>;

class MQClientAPI {
 public:
  explicit MQClientAPI(const ClientConfig& config);
  ~MQClientAPI();
  MQClientAPI(const MQClientAPI&) = delete;
  MQClientAPI& operator=(const MQClientAPI&) = delete;

  // For requests brokers send this client (NOTIFY_CONSUMER_IDS_CHANGED, ...). Before Start().
  void RegisterProcessor(int32_t code, remoting::Processor processor);
  void Start();
  void Shutdown();

  const std::vector<std::string>& namesrv_addrs() const { return namesrv_addrs_; }

  // NotFound when the name servers answer TOPIC_NOT_EXIST.
  Result<TopicRouteData> GetTopicRouteInfoFromNameServer(const std::string& topic,
                                                         std::chrono::milliseconds timeout);

  // Sends one message (or one batch when header.batch) to broker `broker_name` at `addr`.
  // `msg_id` becomes SendResult::msg_id (the UNIQ_KEY, comma-joined for a batch).
  Result<SendResult> SendMessageSync(const std::string& addr, const std::string& broker_name,
                                     const SendMessageRequestHeader& header, std::string body,
                                     const std::string& msg_id, std::chrono::milliseconds timeout);
  // `callback` runs exactly once, on the io thread (or the caller's, after Shutdown()).
  void SendMessageAsync(const std::string& addr, const std::string& broker_name,
                        const SendMessageRequestHeader& header, std::string body,
                        const std::string& msg_id, std::chrono::milliseconds timeout,
                        SendResultCallback callback);
  // OK means queued, not stored.
  Status SendMessageOneway(const std::string& addr, const SendMessageRequestHeader& header,
                           std::string body);

  // The timeout must exceed header.suspend_timeout_millis (the broker may hold the request that
  // long); otherwise the callback gets InvalidArgument at once, in the caller's thread. `callback`
  // runs once on the io thread; found messages carry MIN_OFFSET / MAX_OFFSET.
  void PullMessageAsync(const std::string& addr, const PullMessageRequestHeader& header,
                        std::chrono::milliseconds timeout,
                        std::function<void(Result<PullResult>)> callback);

  // NotFound when the broker answers QUERY_NOT_FOUND (no committed offset).
  Result<int64_t> QueryConsumerOffset(const std::string& addr, const std::string& group,
                                      const std::string& topic, int32_t queue_id,
                                      std::chrono::milliseconds timeout);
  Status UpdateConsumerOffsetOneway(const std::string& addr, const std::string& group,
                                    const std::string& topic, int32_t queue_id, int64_t offset);
  Result<std::vector<std::string>> GetConsumerIdListByGroup(const std::string& addr,
                                                            const std::string& group,
                                                            std::chrono::milliseconds timeout);
  Result<int64_t> GetMaxOffset(const std::string& addr, const std::string& topic, int32_t queue_id,
                               std::chrono::milliseconds timeout);
  Result<int64_t> GetMinOffset(const std::string& addr, const std::string& topic, int32_t queue_id,
                               std::chrono::milliseconds timeout);
  Result<int64_t> SearchOffset(const std::string& addr, const std::string& topic, int32_t queue_id,
                               int64_t timestamp_ms, std::chrono::milliseconds timeout);
  // The queues the broker locked for this client.
  Result<std::set<MessageQueue>> LockBatchMQ(const std::string& addr, const std::string& group,
                                             const std::string& client_id,
                                             const std::set<MessageQueue>& mqs,
                                             std::chrono::milliseconds timeout);
  Status UnlockBatchMQ(const std::string& addr, const std::string& group,
                       const std::string& client_id, const std::set<MessageQueue>& mqs,
                       std::chrono::milliseconds timeout, bool oneway);
  Status ConsumerSendMessageBack(const std::string& addr, const MQMessageExt& msg,
                                 const std::string& group, int delay_level,
                                 std::chrono::milliseconds timeout, int max_reconsume_times);
  Status SendHeartbeat(const std::string& addr, const protocol::HeartbeatData& heartbeat,
                       std::chrono::milliseconds timeout);
  // Empty group names are left out of the request.
  Status UnregisterClient(const std::string& addr, const std::string& client_id,
                          const std::string& producer_group, const std::string& consumer_group,
                          std::chrono::milliseconds timeout);

  Result<remoting::RemotingCommand> InvokeNameServer(remoting::RemotingCommand request,
                                                     std::chrono::milliseconds timeout);
  Result<remoting::RemotingCommand> Invoke(const std::string& addr,
                                           remoting::RemotingCommand request,
                                           std::chrono::milliseconds timeout);

 private:
  // An `offset` answer; NotFound for QUERY_NOT_FOUND.
  Result<int64_t> QueryOffset(const std::string& addr, const std::string& what,
                              remoting::RemotingCommand request, std::chrono::milliseconds timeout);

  // Constant after construction.
  const std::vector<std::string> namesrv_addrs_;

  remoting::RemotingClient remoting_;
  std::atomic<size_t> last_good_namesrv_{0};
};

// The request of a send (SEND_MESSAGE_V2 or SEND_BATCH_MESSAGE) with the client's version.
remoting::RemotingCommand BuildSendRequest(const SendMessageRequestHeader& header,
                                           std::string body);
// Maps a send response (docs/protocol.md §3.3): SUCCESS, FLUSH_DISK_TIMEOUT, FLUSH_SLAVE_TIMEOUT,
// SLAVE_NOT_AVAILABLE give a SendResult with that status; any other code an error Status (see the
// class comment) naming the broker, the code and the remark.
Result<SendResult> ProcessSendResponse(const std::string& broker_name, const std::string& topic,
                                       const remoting::RemotingCommand& response,
                                       const std::string& msg_id);
// The error Status for an unexpected response code, as described in the class comment.
Status ResponseError(const std::string& what, const remoting::RemotingCommand& response);
// Whether a failed send may be retried on another broker: transport errors and the retry set.
bool IsRetryableSendError(const Status& status);

}  // namespace holdfast::client
