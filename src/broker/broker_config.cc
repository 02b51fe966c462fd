#include "broker/broker_config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <unistd.h>

#include <charconv>
#include <cstdlib>
#include <functional>
#include <optional>

#include "broker/properties.h"
#include "common/logging.h"
#include "store/schedule/delay_level_table.h"

namespace holdfast::broker {
namespace {

std::string LocalHostName() {
  char buf[256] = {};
  if (gethostname(buf, sizeof(buf) - 1) != 0 || buf[0] == '\0') return "localhost";
  return buf;
}

std::string DefaultStoreRoot() {
  const char* home = std::getenv("HOME");
  return std::string(home != nullptr && home[0] != '\0' ? home : ".") + "/store";
}

// One key: `set` parses a value into the config and returns a problem ("" when fine); `get`
// renders the current value.
struct KeySpec {
  std::string_view name;
  std::function<std::string(std::string_view value, BrokerConfig& c)> set;
  std::function<std::string(const BrokerConfig& c)> get;
};

template <typename Access>
KeySpec IntKey(std::string_view name, Access access, int64_t lo, int64_t hi) {
  return KeySpec{name,
                 [=](std::string_view v, BrokerConfig& c) -> std::string {
                   int64_t x = 0;
                   auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
                   if (v.empty() || ec != std::errc() || end != v.data() + v.size()) {
                     return "'" + std::string(v) + "' is not a number";
                   }
                   if (x < lo || x > hi) {
                     return std::to_string(x) + " is out of range [" + std::to_string(lo) + ", " +
                            std::to_string(hi) + "]";
                   }
                   auto& field = access(c);
                   field = static_cast<std::remove_reference_t<decltype(field)>>(x);
                   return "";
                 },
                 [=](const BrokerConfig& c) { return std::to_string(access(c)); }};
}

template <typename Access>
KeySpec BoolKey(std::string_view name, Access access) {
  return KeySpec{name,
                 [=](std::string_view v, BrokerConfig& c) -> std::string {
                   if (v == "true" || v == "TRUE" || v == "True") {
                     access(c) = true;
                   } else if (v == "false" || v == "FALSE" || v == "False") {
                     access(c) = false;
                   } else {
                     return "'" + std::string(v) + "' is not true or false";
                   }
                   return "";
                 },
                 [=](const BrokerConfig& c) { return std::string(access(c) ? "true" : "false"); }};
}

template <typename Access>
KeySpec StringKey(std::string_view name, Access access, bool allow_empty = true) {
  return KeySpec{name,
                 [=](std::string_view v, BrokerConfig& c) -> std::string {
                   if (!allow_empty && v.empty()) return "must not be empty";
                   access(c) = std::string(v);
                   return "";
                 },
                 [=](const BrokerConfig& c) { return access(c); }};
}

template <typename Enum, typename Access>
KeySpec EnumKey(std::string_view name, Access access,
                std::vector<std::pair<std::string_view, Enum>> values) {
  return KeySpec{name,
                 [=](std::string_view v, BrokerConfig& c) -> std::string {
                   std::string allowed;
                   for (const auto& [text, value] : values) {
                     if (v == text) {
                       access(c) = value;
                       return "";
                     }
                     allowed += (allowed.empty() ? "" : "|") + std::string(text);
                   }
                   return "'" + std::string(v) + "' is not one of " + allowed;
                 },
                 [=](const BrokerConfig& c) {
                   for (const auto& [text, value] : values) {
                     if (access(c) == value) return std::string(text);
                   }
                   return std::string();
                 }};
}

// messageDelayLevel: checked by the parser the store uses, so a bad token is reported with the
// file and line rather than when the store opens.
template <typename Access>
KeySpec DelayLevelKey(std::string_view name, Access access) {
  return KeySpec{name,
                 [=](std::string_view v, BrokerConfig& c) -> std::string {
                   auto table = store::schedule::DelayLevelTable::Parse(v);
                   if (!table.ok()) return std::string(table.status().message());
                   access(c) = std::string(v);
                   return "";
                 },
                 [=](const BrokerConfig& c) { return access(c); }};
}

#define HF_FIELD(expr) \
  [](auto& c) -> auto& { return c.expr; }

constexpr int64_t kMaxInt32 = INT32_MAX;
constexpr int64_t kMaxInt64 = INT64_MAX;

const std::vector<KeySpec>& KeyTable() {
  static const std::vector<KeySpec> table = {
      StringKey("brokerClusterName", HF_FIELD(broker_cluster_name), false),
      StringKey("brokerName", HF_FIELD(broker_name), false),
      IntKey("brokerId", HF_FIELD(broker_id), 0, kMaxInt64),
      StringKey("namesrvAddr", HF_FIELD(namesrv_addr)),
      StringKey("bindAddress", HF_FIELD(bind_address), false),
      StringKey("brokerIP1", HF_FIELD(broker_ip1)),
      StringKey("brokerIP2", HF_FIELD(broker_ip2)),
      IntKey("listenPort", HF_FIELD(listen_port), 1, 65535),
      IntKey("haListenPort", HF_FIELD(ha_listen_port), 1, 65535),
      EnumKey<BrokerRole>("brokerRole", HF_FIELD(broker_role),
                          {{"ASYNC_MASTER", BrokerRole::kAsyncMaster},
                           {"SYNC_MASTER", BrokerRole::kSyncMaster},
                           {"SLAVE", BrokerRole::kSlave}}),
      BoolKey("autoCreateTopicEnable", HF_FIELD(auto_create_topic_enable)),
      BoolKey("autoCreateSubscriptionGroup", HF_FIELD(auto_create_subscription_group)),
      BoolKey("clusterTopicEnable", HF_FIELD(cluster_topic_enable)),
      BoolKey("brokerTopicEnable", HF_FIELD(broker_topic_enable)),
      IntKey("defaultTopicQueueNums", HF_FIELD(default_topic_queue_nums), 1, 1024),
      IntKey("registerNameServerPeriod", HF_FIELD(register_name_server_period), 10000, 60000),
      IntKey("flushConsumerOffsetInterval", HF_FIELD(flush_consumer_offset_interval), 1, kMaxInt32),
      BoolKey("notifyConsumerIdsChangedEnable", HF_FIELD(notify_consumer_ids_changed_enable)),
      IntKey("sendMessageThreadPoolNums", HF_FIELD(send_message_thread_pool_nums), 1, 1024),
      IntKey("pullMessageThreadPoolNums", HF_FIELD(pull_message_thread_pool_nums), 1, 1024),
      StringKey("deleteWhen", HF_FIELD(delete_when)),
      IntKey("fileReservedTime", HF_FIELD(file_reserved_time), 1, kMaxInt32),
      IntKey("diskMaxUsedSpaceRatio", HF_FIELD(disk_max_used_space_ratio), 10, 95),
      // The store's keys.
      StringKey("storePathRootDir", HF_FIELD(store.store_path_root_dir), false),
      IntKey("mappedFileSizeCommitLog", HF_FIELD(store.mapped_file_size_commit_log), 4096,
             kMaxInt32),
      IntKey("mappedFileSizeConsumeQueue", HF_FIELD(store.mapped_file_size_consume_queue), 20,
             kMaxInt32),
      EnumKey<store::FlushDiskType>("flushDiskType", HF_FIELD(store.flush_disk_type),
                                    {{"ASYNC_FLUSH", store::FlushDiskType::kAsyncFlush},
                                     {"SYNC_FLUSH", store::FlushDiskType::kSyncFlush}}),
      IntKey("syncFlushTimeout", HF_FIELD(store.sync_flush_timeout), 1, kMaxInt32),
      IntKey("flushIntervalCommitLog", HF_FIELD(store.flush_interval_commit_log), 1, kMaxInt32),
      IntKey("flushCommitLogLeastPages", HF_FIELD(store.flush_commit_log_least_pages), 0,
             kMaxInt32),
      IntKey("flushCommitLogThoroughInterval", HF_FIELD(store.flush_commit_log_thorough_interval),
             1, kMaxInt32),
      IntKey("flushIntervalConsumeQueue", HF_FIELD(store.flush_interval_consume_queue), 1,
             kMaxInt32),
      IntKey("maxMessageSize", HF_FIELD(store.max_message_size), 1, 1 << 30),
      BoolKey("messageIndexEnable", HF_FIELD(store.message_index_enable)),
      IntKey("maxHashSlotNum", HF_FIELD(store.max_hash_slot_num), 1, kMaxInt32),
      IntKey("maxIndexNum", HF_FIELD(store.max_index_num), 1, kMaxInt32),
      BoolKey("checkCRCOnRecover", HF_FIELD(store.check_crc_on_recover)),
      BoolKey("warmMapedFileEnable", HF_FIELD(store.warm_mapped_file_enable)),
      IntKey("commitLogPageCacheWindow", HF_FIELD(store.commit_log_page_cache_window), 0,
             kMaxInt64),
      // Timer messages (src/store/timer).
      BoolKey("timerWheelEnable", HF_FIELD(store.timer_wheel_enable)),
      IntKey("timerMaxDelaySec", HF_FIELD(store.timer_max_delay_sec), 1, kMaxInt32),
      IntKey("timerPrecisionMs", HF_FIELD(store.timer_precision_ms), 1000, 1000),
      IntKey("timerFlushIntervalMs", HF_FIELD(store.timer_flush_interval_ms), 1, kMaxInt32),
      // Delay levels (src/store/schedule/).
      DelayLevelKey("messageDelayLevel", HF_FIELD(store.message_delay_level)),
      IntKey("flushDelayOffsetInterval", HF_FIELD(store.flush_delay_offset_interval), 1, kMaxInt32),
  };
  return table;
}

#undef HF_FIELD

const KeySpec* FindKey(std::string_view name) {
  for (const auto& spec : KeyTable()) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

// "host:port" with a numeric port.
bool IsHostPort(std::string_view addr) {
  size_t colon = addr.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  std::string_view port = addr.substr(colon + 1);
  int p = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
  return !port.empty() && ec == std::errc() && end == port.data() + port.size() && p > 0 &&
         p <= 65535;
}

// An IPv4 or IPv6 address literal (what a socket can be bound on without a name lookup).
bool IsIpLiteral(const std::string& text) {
  in6_addr buf{};
  return inet_pton(AF_INET, text.c_str(), &buf) == 1 ||
         inet_pton(AF_INET6, text.c_str(), &buf) == 1;
}

class Applier {
 public:
  void Apply(const std::string& where, std::string_view key, std::string_view value,
             BrokerConfig& config) {
    const KeySpec* spec = FindKey(key);
    if (spec == nullptr) {
      Error(where, key, "unknown key");
      return;
    }
    std::string problem = spec->set(value, config);
    if (!problem.empty()) {
      Error(where, key, problem);
      return;
    }
    where_[std::string(key)] = where;
  }

  void Error(const std::string& where, std::string_view key, const std::string& problem) {
    errors_ += (errors_.empty() ? "" : "\n") + where + ": " + std::string(key) + ": " + problem;
  }

  // Where a key was last set, or nullopt for a default.
  std::optional<std::string> Where(const std::string& key) const {
    auto it = where_.find(key);
    if (it == where_.end()) return std::nullopt;
    return it->second;
  }

  const std::string& errors() const { return errors_; }

 private:
  std::map<std::string, std::string> where_;
  std::string errors_;
};

}  // namespace

std::string_view BrokerRoleName(BrokerRole role) {
  switch (role) {
    case BrokerRole::kAsyncMaster:
      return "ASYNC_MASTER";
    case BrokerRole::kSyncMaster:
      return "SYNC_MASTER";
    case BrokerRole::kSlave:
      return "SLAVE";
  }
  return "ASYNC_MASTER";
}

BrokerConfig::BrokerConfig() : broker_name(LocalHostName()) {
  store.store_path_root_dir = DefaultStoreRoot();
}

std::vector<std::string> BrokerConfig::NamesrvAddrList() const {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos <= namesrv_addr.size()) {
    size_t end = namesrv_addr.find(';', pos);
    if (end == std::string::npos) end = namesrv_addr.size();
    std::string_view part = std::string_view(namesrv_addr).substr(pos, end - pos);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    if (!part.empty()) out.emplace_back(part);
    pos = end + 1;
  }
  return out;
}

Result<BrokerConfig> ParseBrokerConfig(std::string_view text, std::string_view source,
                                       const PropertyOverrides& overrides) {
  auto entries = ParseProperties(text, source);
  if (!entries.ok()) return entries.status();
  BrokerConfig config;
  Applier applier;
  for (const auto& e : *entries) {
    applier.Apply(std::string(source) + ":" + std::to_string(e.line), e.key, e.value, config);
  }
  for (const auto& [key, value] : overrides) applier.Apply("command line", key, value, config);

  auto where = [&](const std::string& key) {
    return applier.Where(key).value_or(std::string(source) + ": (default)");
  };
  if (!applier.Where("haListenPort")) {
    if (config.listen_port >= 65535) {
      applier.Error(where("listenPort"), "listenPort",
                    "leaves no port for haListenPort (listenPort + 1)");
    } else {
      config.ha_listen_port = config.listen_port + 1;
    }
  }
  if (config.ha_listen_port == config.listen_port) {
    applier.Error(where("haListenPort"), "haListenPort", "equals listenPort");
  }
  if (config.broker_role == BrokerRole::kSlave && config.broker_id <= kMasterId) {
    applier.Error(where("brokerRole"), "brokerRole", "a SLAVE needs brokerId > 0");
  } else if (config.broker_role != BrokerRole::kSlave && config.broker_id != kMasterId) {
    // RocketMQ's BrokerStartup does the same for masters.
    spdlog::warn("{}: brokerId {} ignored: a master's brokerId is 0", where("brokerId"),
                 config.broker_id);
    config.broker_id = kMasterId;
  }
  if (!IsIpLiteral(config.bind_address)) {
    applier.Error(where("bindAddress"), "bindAddress",
                  "'" + config.bind_address + "' is not an IPv4 or IPv6 address");
  }
  for (const auto& addr : config.NamesrvAddrList()) {
    if (!IsHostPort(addr)) {
      applier.Error(where("namesrvAddr"), "namesrvAddr", "'" + addr + "' is not host:port");
    }
  }
  if (config.broker_ip2.empty()) config.broker_ip2 = config.broker_ip1;
  if (!applier.errors().empty()) return Status::InvalidArgument(applier.errors());
  return config;
}

bool IsWildcardAddress(std::string_view address) {
  return address == "0.0.0.0" || address == "::" || address == "0:0:0:0:0:0:0:0";
}

Result<BrokerConfig> LoadBrokerConfig(store::FileSystem* fs, const std::string& path,
                                      const PropertyOverrides& overrides) {
  if (path.empty()) return ParseBrokerConfig("", "(no config file)", overrides);
  auto text = store::ReadWholeFile(fs, path);
  if (!text.ok()) return text.status();
  return ParseBrokerConfig(*text, path, overrides);
}

std::map<std::string, std::string> BrokerConfigToMap(const BrokerConfig& config) {
  std::map<std::string, std::string> out;
  for (const auto& spec : KeyTable()) out[std::string(spec.name)] = spec.get(config);
  return out;
}

std::string BrokerConfigToProperties(const BrokerConfig& config) {
  std::string out;
  for (const auto& [key, value] : BrokerConfigToMap(config)) {
    out += key + "=" + EscapePropertyValue(value) + "\n";
  }
  return out;
}

}  // namespace holdfast::broker
