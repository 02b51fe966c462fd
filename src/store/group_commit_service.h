// The thread that serves asynchronous SYNC_FLUSH appends (RocketMQ's GroupCommitService): while
// requests are pending and no appender is leading a sync, it leads one, and it fails requests
// whose syncFlushTimeout has passed. At shutdown it flushes once more and fails what is left.
//
// Threads: one service thread; all state is in the GroupCommit it serves.
#pragma once

#include "common/service_thread.h"
#include "store/group_commit.h"

namespace holdfast::store {

class GroupCommitService : public ServiceThread {
 public:
  explicit GroupCommitService(GroupCommit* group_commit)
      : ServiceThread("GroupCommit"), group_commit_(group_commit) {}
  ~GroupCommitService() override { Shutdown(); }

 protected:
  void Run() override { group_commit_->ServePending(std::chrono::milliseconds(10)); }
  void OnShutdown() override {
    Status s = group_commit_->FlushAll();
    group_commit_->FailPending(s.ok() ? Status::Unavailable("the store shut down") : s);
  }

 private:
  GroupCommit* const group_commit_;
};

}  // namespace holdfast::store
