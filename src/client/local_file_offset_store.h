// LocalFileOffsetStore (RocketMQ's): broadcasting consumers' offsets, kept by each consumer in
// <dir>/<clientId>/<group>/offsets.json (RocketMQ: ~/.rocketmq_offsets/...), since every member
// consumes every queue and the broker keeps nothing per member.
//
// File format (JSON; RocketMQ's fastjson map with object keys is not valid JSON, so the entries
// are a list): {"offsetTable":[{"topic":"T","brokerName":"b","queueId":0,"offset":42}, ...]}
//
// Writing: the new text goes to offsets.json.tmp (synced), the current file becomes
// offsets.json.bak, and the .tmp is renamed over offsets.json, so a crash leaves a complete file
// or a complete .bak. Load falls back to the .bak when the file is missing or does not parse.
//
// Thread-safe: writes are serialised inside.
#pragma once

#include <mutex>
#include <string>

#include "client/offset_store.h"
#include "client/offset_table.h"

namespace holdfast::client {

// $HOLDFAST_LOCAL_OFFSET_STORE_DIR if set (RocketMQ: -Drocketmq.client.localOffsetStoreDir), else
// $HOME/.rocketmq_offsets.
std::string DefaultLocalOffsetStoreDir();

class LocalFileOffsetStore : public OffsetStore {
 public:
  LocalFileOffsetStore(const std::string& dir, const std::string& client_id,
                       const std::string& group);

  // Ok when neither file exists (a first run). Corruption naming the files when neither parses.
  Status Load() override;
  void UpdateOffset(const MessageQueue& mq, int64_t offset, bool increase_only) override;
  Result<int64_t> ReadOffset(const MessageQueue& mq, ReadOffsetType type) override;
  void PersistAll(const std::set<MessageQueue>& mqs) override;
  // Writes every held offset (the file has them all anyway).
  void Persist(const MessageQueue& mq) override;
  void RemoveOffset(const MessageQueue& mq) override;
  std::map<MessageQueue, int64_t> CloneOffsetTable(const std::string& topic) const override;

  const std::string& path() const { return path_; }

  // Writes `offsets` to `path` as described above. IoError/NoSpace naming the file.
  static Status WriteFile(const std::string& path, const std::map<MessageQueue, int64_t>& offsets);
  // NotFound when the file does not exist; Corruption naming the file when it does not parse.
  static Result<std::map<MessageQueue, int64_t>> ReadFile(const std::string& path);

 private:
  Result<std::map<MessageQueue, int64_t>> ReadWithFallback() const;

  // Constant after construction.
  const std::string path_;

  OffsetTable table_;
  std::mutex write_mu_;  // serialises WriteFile
};

}  // namespace holdfast::client
