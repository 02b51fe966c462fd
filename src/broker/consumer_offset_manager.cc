#include "broker/consumer_offset_manager.h"

#include <utility>

#include "remoting/protocol/consumer_offset_serialize_wrapper.h"

namespace holdfast::broker {
namespace {

std::string Key(const std::string& topic, const std::string& group) {
  return topic + kTopicGroupSeparator + group;
}

}  // namespace

ConsumerOffsetManager::ConsumerOffsetManager(store::FileSystem* fs, const BrokerConfig& config)
    : file_(fs, ConfigFilePath(config.store.store_path_root_dir, kConsumerOffsetFileName)) {}

Status ConsumerOffsetManager::Load() {
  return file_.Load([this](const std::string& text) -> Status {
    Result<protocol::ConsumerOffsetSerializeWrapper> loaded =
        protocol::DecodeConsumerOffsetSerializeWrapper(text);
    if (!loaded.ok()) return loaded.status();
    std::lock_guard<std::mutex> lock(mu_);
    table_ = std::move(loaded->offset_table);
    return Status::Ok();
  });
}

Status ConsumerOffsetManager::Persist() {
  return file_.Persist([this] { return Encode(); });
}

std::string ConsumerOffsetManager::Encode() const {
  return protocol::EncodeConsumerOffsetSerializeWrapper({offset_table()});
}

void ConsumerOffsetManager::CommitOffset(const std::string& group, const std::string& topic,
                                         int32_t queue_id, int64_t offset) {
  std::string key = Key(topic, group);
  std::lock_guard<std::mutex> lock(mu_);
  table_[std::move(key)][queue_id] = offset;
}

int64_t ConsumerOffsetManager::QueryOffset(const std::string& group, const std::string& topic,
                                           int32_t queue_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = table_.find(Key(topic, group));
  if (it == table_.end()) return -1;
  auto q = it->second.find(queue_id);
  return q == it->second.end() ? -1 : q->second;
}

QueueOffsetTable ConsumerOffsetManager::QueryOffset(const std::string& group,
                                                    const std::string& topic) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = table_.find(Key(topic, group));
  return it == table_.end() ? QueueOffsetTable{} : it->second;
}

std::set<std::string> ConsumerOffsetManager::WhichTopicByConsumer(const std::string& group) const {
  std::set<std::string> topics;
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [key, queues] : table_) {
    size_t at = key.find(kTopicGroupSeparator);  // topic names never hold '@'
    if (at != std::string::npos && std::string_view(key).substr(at + 1) == group) {
      topics.insert(key.substr(0, at));
    }
  }
  return topics;
}

int ConsumerOffsetManager::RemoveOffsetsOfTopic(const std::string& topic) {
  const std::string prefix = topic + kTopicGroupSeparator;
  std::lock_guard<std::mutex> lock(mu_);
  return static_cast<int>(std::erase_if(
      table_, [&prefix](const auto& entry) { return entry.first.starts_with(prefix); }));
}

int ConsumerOffsetManager::RemoveOffsetsOfGroup(const std::string& group) {
  const std::string suffix = kTopicGroupSeparator + group;
  std::lock_guard<std::mutex> lock(mu_);
  return static_cast<int>(std::erase_if(table_, [&suffix](const auto& entry) {
    return entry.first.ends_with(suffix) &&
           entry.first.find(kTopicGroupSeparator) == entry.first.size() - suffix.size();
  }));
}

ConsumerOffsetTable ConsumerOffsetManager::offset_table() const {
  std::lock_guard<std::mutex> lock(mu_);
  return table_;
}

}  // namespace holdfast::broker
