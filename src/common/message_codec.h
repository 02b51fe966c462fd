// Encoder and decoder of RocketMQ's stored message record (TOTALSIZE .. PROPERTIES), the bytes a
// commit log holds and a pull response carries. Layout: docs/store-format.md.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/message.h"
#include "common/status.h"

namespace holdfast {

// Limits of the format itself (length fields): properties fit a short, topics a short (V2).
inline constexpr size_t kMaxPropertiesLength = 32767;
inline constexpr size_t kMaxTopicLengthV1 = 127;
inline constexpr size_t kMaxTopicLengthV2 = 32767;

// Fixed byte positions the store patches after encoding (they do not depend on host sizes).
inline constexpr size_t kRecordQueueOffsetPos = 20;
inline constexpr size_t kRecordPhysicalOffsetPos = 28;
inline constexpr size_t kRecordSysFlagPos = 36;
inline constexpr size_t kRecordBornHostPos = 48;
// STORETIMESTAMP follows the born host, whose size depends on sysFlag.
inline size_t RecordStoreTimestampPos(int32_t sys_flag) {
  return kRecordBornHostPos + ((sys_flag & sysflag::kBornHostV6) ? 20 : 8);
}

// Total record size for the given field lengths and host kinds.
int64_t StoredRecordSize(size_t topic_len, size_t body_len, size_t properties_len, bool born_v6,
                         bool store_v6);

// Appends msg's record to *out. Fills BODYCRC from the body; the IPv6 sysFlag bits are derived
// from the hosts. Fails with InvalidArgument (naming the field) when a length does not fit.
Status EncodeStoredRecord(const MessageExt& msg, std::string* out);

// A decoded record whose strings point into the buffer it was decoded from.
struct MessageView {
  int32_t store_size = 0;
  int32_t magic = 0;
  int32_t body_crc = 0;
  int32_t queue_id = 0;
  int32_t flag = 0;
  int64_t queue_offset = 0;
  int64_t commit_log_offset = 0;
  int32_t sys_flag = 0;
  int64_t born_timestamp = 0;
  HostAddress born_host;
  int64_t store_timestamp = 0;
  HostAddress store_host;
  int32_t reconsume_times = 0;
  int64_t prepared_transaction_offset = 0;
  std::string_view body;
  std::string_view topic;
  std::string_view properties;

  MessageExt ToMessageExt() const;
};

// Decodes the record at the start of buf (buf may hold more after it). Corruption, naming the
// field, when the size or magic is wrong, a length runs past TOTALSIZE or buf, or (if
// check_body_crc) the body CRC does not match.
Result<MessageView> DecodeStoredRecord(std::string_view buf, bool check_body_crc);

}  // namespace holdfast
