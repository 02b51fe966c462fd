#include "broker/consumer_offset_manager.h"

#include <charconv>
#include <utility>

#include <nlohmann/json.hpp>

#include "remoting/protocol/fastjson_keys.h"

namespace holdfast::broker {
namespace {

std::string Key(const std::string& topic, const std::string& group) {
  return topic + kTopicGroupSeparator + group;
}

}  // namespace

std::string EncodeConsumerOffsetTable(const ConsumerOffsetTable& table) {
  std::string out = "{\n\t\"offsetTable\":{";
  bool first_key = true;
  for (const auto& [key, queues] : table) {
    out += first_key ? "\n\t\t" : ",\n\t\t";
    first_key = false;
    out += nlohmann::json(key).dump();
    out += ":{";
    bool first_queue = true;
    for (const auto& [queue_id, offset] : queues) {
      if (!first_queue) out += ',';
      first_queue = false;
      out += std::to_string(queue_id) + ':' + std::to_string(offset);
    }
    out += '}';
  }
  out += table.empty() ? "}\n}" : "\n\t}\n}";
  return out;
}

Result<ConsumerOffsetTable> DecodeConsumerOffsetTable(std::string_view text) {
  Result<std::string> quoted = protocol::QuoteNonStringKeys(text);
  if (!quoted.ok()) return quoted.status();
  nlohmann::json j = nlohmann::json::parse(*quoted, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return Status::Corruption("not a JSON object");
  ConsumerOffsetTable table;
  auto offsets = j.find("offsetTable");
  if (offsets == j.end() || offsets->is_null()) return table;
  if (!offsets->is_object()) return Status::Corruption("offsetTable is not an object");
  for (const auto& [key, queues] : offsets->items()) {
    if (!queues.is_object()) return Status::Corruption("offsetTable." + key + " is not an object");
    QueueOffsetTable& out = table[key];
    for (const auto& [id_text, offset] : queues.items()) {
      int32_t queue_id = 0;
      auto [end, ec] = std::from_chars(id_text.data(), id_text.data() + id_text.size(), queue_id);
      if (id_text.empty() || ec != std::errc() || end != id_text.data() + id_text.size()) {
        return Status::Corruption("offsetTable." + key + ": queue id '" + id_text +
                                  "' is not an integer");
      }
      if (!offset.is_number_integer()) {
        return Status::Corruption("offsetTable." + key + "." + id_text + " is not an integer");
      }
      out[queue_id] = offset.get<int64_t>();
    }
  }
  return table;
}

ConsumerOffsetManager::ConsumerOffsetManager(store::FileSystem* fs, const BrokerConfig& config)
    : file_(fs, ConfigFilePath(config.store.store_path_root_dir, kConsumerOffsetFileName)) {}

Status ConsumerOffsetManager::Load() {
  return file_.Load([this](const std::string& text) -> Status {
    auto table = DecodeConsumerOffsetTable(text);
    if (!table.ok()) return table.status();
    std::lock_guard<std::mutex> lock(mu_);
    table_ = std::move(table).value();
    return Status::Ok();
  });
}

Status ConsumerOffsetManager::Persist() {
  return file_.Persist([this] { return Encode(); });
}

std::string ConsumerOffsetManager::Encode() const {
  ConsumerOffsetTable copy = offset_table();
  return EncodeConsumerOffsetTable(copy);
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
