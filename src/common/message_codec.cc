#include "common/message_codec.h"

#include <fmt/format.h>

#include <cstring>

#include "common/byte_order.h"
#include "common/crc32.h"

namespace holdfast {

namespace {

// Reads fields in order, remembering the first failure so the decoder reads straight through.
class RecordReader {
 public:
  explicit RecordReader(std::string_view buf) : buf_(buf) {}

  bool Has(size_t n) const { return pos_ + n <= buf_.size(); }
  int32_t Int32() { return Take(4) ? GetInt32(buf_.data() + pos_ - 4) : 0; }
  int64_t Int64() { return Take(8) ? GetInt64(buf_.data() + pos_ - 8) : 0; }
  int16_t Int16() { return Take(2) ? GetInt16(buf_.data() + pos_ - 2) : 0; }
  uint8_t Byte() { return Take(1) ? static_cast<uint8_t>(buf_[pos_ - 1]) : 0; }
  std::string_view Bytes(int64_t n, const char* field) {
    if (n < 0) {
      Fail(fmt::format("negative {} length {}", field, n));
      return {};
    }
    if (!Take(static_cast<size_t>(n))) return {};
    return buf_.substr(pos_ - n, n);
  }
  HostAddress Host(bool v6) {
    HostAddress h;
    h.ipv6 = v6;
    std::string_view ip = Bytes(v6 ? 16 : 4, "host");
    for (size_t i = 0; i < ip.size(); ++i) h.ip[i] = static_cast<uint8_t>(ip[i]);
    h.port = Int32();
    return h;
  }
  void Fail(std::string msg) {
    if (error_.empty()) error_ = std::move(msg);
  }
  const std::string& error() const { return error_; }
  size_t pos() const { return pos_; }

 private:
  bool Take(size_t n) {
    if (!error_.empty()) return false;
    if (!Has(n)) {
      Fail(fmt::format("record runs past its size at byte {}", pos_));
      return false;
    }
    pos_ += n;
    return true;
  }

  std::string_view buf_;
  size_t pos_ = 0;
  std::string error_;
};

}  // namespace

int64_t StoredRecordSize(size_t topic_len, size_t body_len, size_t properties_len, bool born_v6,
                         bool store_v6) {
  int64_t topic_len_field = topic_len > kMaxTopicLengthV1 ? 2 : 1;
  return 4 + 4 + 4 + 4 + 4 + 8 + 8 + 4 + 8 + (born_v6 ? 20 : 8) + 8 + (store_v6 ? 20 : 8) + 4 + 8 +
         4 + static_cast<int64_t>(body_len) + topic_len_field + static_cast<int64_t>(topic_len) +
         2 + static_cast<int64_t>(properties_len);
}

Status EncodeStoredRecord(const MessageExt& msg, std::string* out) {
  if (msg.topic.empty() || msg.topic.size() > kMaxTopicLengthV2) {
    return Status::InvalidArgument(
        fmt::format("topic length {} is out of range 1..{}", msg.topic.size(), kMaxTopicLengthV2));
  }
  if (msg.properties.size() > kMaxPropertiesLength) {
    return Status::InvalidArgument(fmt::format("properties length {} exceeds {}",
                                               msg.properties.size(), kMaxPropertiesLength));
  }
  if (msg.body.size() > static_cast<size_t>(INT32_MAX / 2)) {
    return Status::InvalidArgument(fmt::format("body length {} is too large", msg.body.size()));
  }
  int32_t sys_flag = msg.sys_flag & ~(sysflag::kBornHostV6 | sysflag::kStoreHostV6);
  if (msg.born_host.ipv6) sys_flag |= sysflag::kBornHostV6;
  if (msg.store_host.ipv6) sys_flag |= sysflag::kStoreHostV6;
  bool v2 = msg.topic.size() > kMaxTopicLengthV1;
  int64_t size = StoredRecordSize(msg.topic.size(), msg.body.size(), msg.properties.size(),
                                  msg.born_host.ipv6, msg.store_host.ipv6);

  // One resize, then fields written in place: this runs once per append.
  const size_t at = out->size();
  out->resize(at + static_cast<size_t>(size));
  char* p = out->data() + at;
  auto put32 = [&p](int32_t v) {
    PutBigEndian32(p, static_cast<uint32_t>(v));
    p += 4;
  };
  auto put64 = [&p](int64_t v) {
    PutBigEndian64(p, static_cast<uint64_t>(v));
    p += 8;
  };
  auto put_bytes = [&p](std::string_view b) {
    if (!b.empty()) std::memcpy(p, b.data(), b.size());
    p += b.size();
  };
  auto put_host = [&](const HostAddress& h) {
    put_bytes(std::string_view(reinterpret_cast<const char*>(h.ip.data()), h.ipv6 ? 16 : 4));
    put32(h.port);
  };
  put32(static_cast<int32_t>(size));
  put32(v2 ? kMessageMagicCodeV2 : kMessageMagicCodeV1);
  put32(BodyCrc(msg.body));
  put32(msg.queue_id);
  put32(msg.flag);
  put64(msg.queue_offset);
  put64(msg.commit_log_offset);
  put32(sys_flag);
  put64(msg.born_timestamp);
  put_host(msg.born_host);
  put64(msg.store_timestamp);
  put_host(msg.store_host);
  put32(msg.reconsume_times);
  put64(msg.prepared_transaction_offset);
  put32(static_cast<int32_t>(msg.body.size()));
  put_bytes(msg.body);
  if (v2) {
    PutBigEndian16(p, static_cast<uint16_t>(msg.topic.size()));
    p += 2;
  } else {
    *p++ = static_cast<char>(msg.topic.size());
  }
  put_bytes(msg.topic);
  PutBigEndian16(p, static_cast<uint16_t>(msg.properties.size()));
  p += 2;
  put_bytes(msg.properties);
  return Status::Ok();
}

Result<MessageView> DecodeStoredRecord(std::string_view buf, bool check_body_crc) {
  RecordReader r(buf);
  MessageView m;
  m.store_size = r.Int32();
  m.magic = r.Int32();
  if (!r.error().empty()) return Status::Corruption("record header is truncated");
  if (m.magic != kMessageMagicCodeV1 && m.magic != kMessageMagicCodeV2) {
    return Status::Corruption(
        fmt::format("bad magic code {:#010x}", static_cast<uint32_t>(m.magic)));
  }
  int64_t min_size = StoredRecordSize(0, 0, 0, false, false);
  if (m.store_size < min_size || static_cast<size_t>(m.store_size) > buf.size()) {
    return Status::Corruption(
        fmt::format("record size {} is out of range {}..{}", m.store_size, min_size, buf.size()));
  }
  RecordReader in(buf.substr(0, static_cast<size_t>(m.store_size)));
  in.Int32();
  in.Int32();
  m.body_crc = in.Int32();
  m.queue_id = in.Int32();
  m.flag = in.Int32();
  m.queue_offset = in.Int64();
  m.commit_log_offset = in.Int64();
  m.sys_flag = in.Int32();
  m.born_timestamp = in.Int64();
  m.born_host = in.Host(m.sys_flag & sysflag::kBornHostV6);
  m.store_timestamp = in.Int64();
  m.store_host = in.Host(m.sys_flag & sysflag::kStoreHostV6);
  m.reconsume_times = in.Int32();
  m.prepared_transaction_offset = in.Int64();
  m.body = in.Bytes(in.Int32(), "body");
  int topic_len = m.magic == kMessageMagicCodeV2 ? in.Int16() : in.Byte();
  m.topic = in.Bytes(topic_len, "topic");
  m.properties = in.Bytes(in.Int16(), "properties");
  if (!in.error().empty()) return Status::Corruption(in.error());
  if (in.pos() != static_cast<size_t>(m.store_size)) {
    return Status::Corruption(
        fmt::format("record size {} disagrees with its fields ({} bytes)", m.store_size, in.pos()));
  }
  if (check_body_crc && BodyCrc(m.body) != m.body_crc) {
    return Status::Corruption(fmt::format("body CRC mismatch: stored {:#x}, computed {:#x}",
                                          m.body_crc, BodyCrc(m.body)));
  }
  return m;
}

MessageExt MessageView::ToMessageExt() const {
  MessageExt m;
  m.topic = std::string(topic);
  m.queue_id = queue_id;
  m.flag = flag;
  m.queue_offset = queue_offset;
  m.commit_log_offset = commit_log_offset;
  m.sys_flag = sys_flag;
  m.born_timestamp = born_timestamp;
  m.born_host = born_host;
  m.store_timestamp = store_timestamp;
  m.store_host = store_host;
  m.reconsume_times = reconsume_times;
  m.prepared_transaction_offset = prepared_transaction_offset;
  m.body = std::string(body);
  m.properties = std::string(properties);
  m.body_crc = body_crc;
  m.store_size = store_size;
  return m;
}

}  // namespace holdfast
