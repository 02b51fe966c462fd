// The message model shared by the store, the broker and the client: RocketMQ's MessageExt, the
// property-string codec, and the constants (magic codes, sysFlag bits, property keys) that give the
// stored bytes their meaning. Byte layouts are in docs/store-format.md.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace holdfast {

inline constexpr int32_t kMessageMagicCodeV1 = static_cast<int32_t>(0xDAA320A7);
inline constexpr int32_t kMessageMagicCodeV2 = static_cast<int32_t>(0xDAA320AB);

// MessageSysFlag bits (RocketMQ's names).
namespace sysflag {
inline constexpr int32_t kCompressed = 0x1;
inline constexpr int32_t kMultiTags = 0x2;
inline constexpr int32_t kTransactionNotType = 0x0;
inline constexpr int32_t kTransactionPreparedType = 0x4;
inline constexpr int32_t kTransactionCommitType = 0x8;
inline constexpr int32_t kTransactionRollbackType = 0xC;
inline constexpr int32_t kBornHostV6 = 0x10;
inline constexpr int32_t kStoreHostV6 = 0x20;
inline int32_t TransactionValue(int32_t flag) { return flag & kTransactionRollbackType; }
}  // namespace sysflag

// Property keys (RocketMQ's MessageConst).
namespace property {
inline constexpr std::string_view kTags = "TAGS";
inline constexpr std::string_view kKeys = "KEYS";
inline constexpr std::string_view kWaitStoreMsgOk = "WAIT";
inline constexpr std::string_view kDelayTimeLevel = "DELAY";
inline constexpr std::string_view kUniqClientMessageIdKeyIndex = "UNIQ_KEY";
inline constexpr std::string_view kRealTopic = "REAL_TOPIC";
inline constexpr std::string_view kRealQueueId = "REAL_QID";
inline constexpr std::string_view kTransactionPrepared = "TRAN_MSG";
inline constexpr std::string_view kProducerGroup = "PGROUP";
inline constexpr std::string_view kCluster = "CLUSTER";
inline constexpr std::string_view kRetryTopic = "RETRY_TOPIC";
inline constexpr std::string_view kOriginMessageId = "ORIGIN_MESSAGE_ID";
inline constexpr std::string_view kReconsumeTime = "RECONSUME_TIME";
inline constexpr std::string_view kMaxReconsumeTimes = "MAX_RECONSUME_TIMES";
// Timer messages (RocketMQ 5.x; __STARTDELIVERTIME is Aliyun ONS's absolute delivery time, ms).
inline constexpr std::string_view kTimerDeliverMs = "TIMER_DELIVER_MS";
inline constexpr std::string_view kTimerDelaySec = "TIMER_DELAY_SEC";
inline constexpr std::string_view kTimerDelayMs = "TIMER_DELAY_MS";
inline constexpr std::string_view kTimerOutMs = "TIMER_OUT_MS";
inline constexpr std::string_view kStartDeliverTime = "__STARTDELIVERTIME";
// Holdfast's own (not RocketMQ's): when a message first failed, ms; set by the broker on a
// consumer's first send-back (or retry-topic send) and kept on every later copy, so the DLQ
// shows the first failure beside the last (the DLQ record's store time).
inline constexpr std::string_view kHoldfastFirstFailureTime = "HOLDFAST_FIRST_FAILURE_TIME";
inline constexpr char kNameValueSeparator = '\x01';
inline constexpr char kPropertySeparator = '\x02';
inline constexpr char kKeySeparator = ' ';
}  // namespace property

// An IPv4 or IPv6 address with a port, as BORNHOST/STOREHOST store it.
struct HostAddress {
  std::array<uint8_t, 16> ip{};  // IPv4 uses the first 4 bytes
  bool ipv6 = false;
  int32_t port = 0;

  static HostAddress Ipv4(uint8_t a, uint8_t b, uint8_t c, uint8_t d, int32_t port);
  // Bytes this address takes in a stored record: 8 (IPv4) or 20 (IPv6).
  int EncodedSize() const { return ipv6 ? 20 : 8; }
  std::string ToString() const;
  bool operator==(const HostAddress&) const = default;
};

// A message as stored in the commit log (RocketMQ's MessageExt / MessageExtBrokerInner).
struct MessageExt {
  std::string topic;
  int32_t queue_id = 0;
  int32_t flag = 0;
  int64_t queue_offset = 0;       // logical offset in its consume queue; set by the store
  int64_t commit_log_offset = 0;  // physical offset of the record; set by the store
  int32_t sys_flag = 0;
  int64_t born_timestamp = 0;
  HostAddress born_host;
  int64_t store_timestamp = 0;  // set by the store
  HostAddress store_host;
  int32_t reconsume_times = 0;
  int64_t prepared_transaction_offset = 0;
  std::string body;
  std::string properties;  // the encoded property string (see EncodeProperties)
  int32_t body_crc = 0;    // set by the encoder
  int32_t store_size = 0;  // set by the encoder

  bool operator==(const MessageExt&) const = default;
};

using PropertyMap = std::map<std::string, std::string, std::less<>>;

// name 0x01 value 0x02 for each entry; entries with an empty name or value are left out, as
// RocketMQ clients drop them when parsing.
std::string EncodeProperties(const PropertyMap& props);
// Splits on 0x02 then on the first 0x01; malformed entries are skipped, never an error, because
// clients in the field send all sorts.
PropertyMap DecodeProperties(std::string_view encoded);
// The value of one key in an encoded property string, without building a map.
std::optional<std::string_view> FindProperty(std::string_view encoded, std::string_view key);

}  // namespace holdfast
