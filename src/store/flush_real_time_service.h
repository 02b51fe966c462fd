// Background flush of the commit log (RocketMQ's FlushRealTimeService): every
// flushIntervalCommitLog it syncs what was appended, when at least flushCommitLogLeastPages pages
// are dirty or flushCommitLogThoroughInterval has passed since the last full flush. Under
// ASYNC_FLUSH this is what makes acknowledged messages durable; under SYNC_FLUSH it covers
// messages sent with WAIT=false. It flushes once more at shutdown.
//
// Threads: one service thread; flushes go through the shared GroupCommit, so they never overlap
// with an appender's sync.
#pragma once

#include <chrono>

#include "common/service_thread.h"
#include "store/group_commit.h"
#include "store/message_store_config.h"
#include "store/repeated_error_log.h"

namespace holdfast::store {

class FlushRealTimeService : public ServiceThread {
 public:
  FlushRealTimeService(const MessageStoreConfig& config, GroupCommit* group_commit);
  ~FlushRealTimeService() override;

 protected:
  void Run() override;
  void OnShutdown() override;

 private:
  const MessageStoreConfig config_;
  GroupCommit* const group_commit_;
  std::chrono::steady_clock::time_point last_thorough_;  // service thread only
  RepeatedErrorLog errors_{"commit log flush"};          // service thread only
};

}  // namespace holdfast::store
