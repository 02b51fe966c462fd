#include "remoting/rocketmq_header.h"

#include <cstdint>
#include <limits>
#include <utility>

#include "common/byte_order.h"
#include "remoting/frame_format.h"
#include "remoting/utf8.h"

namespace holdfast::remoting {
namespace {

constexpr int64_t kShortMin = std::numeric_limits<int16_t>::min();
constexpr int64_t kShortMax = std::numeric_limits<int16_t>::max();

bool FitsShort(int64_t v) { return v >= kShortMin && v <= kShortMax; }

// Reads a region of the header front to back; every read checks that the bytes are there.
// Offsets in messages count from the start of the header.
class HeaderReader {
 public:
  HeaderReader(std::string_view region, const char* region_name, size_t base_offset)
      : region_(region), region_name_(region_name), base_offset_(base_offset) {}

  size_t Offset() const { return base_offset_ + pos_; }
  size_t Remaining() const { return region_.size() - pos_; }

  Status Need(size_t n, const char* field) const {
    if (Remaining() >= n) return Status::Ok();
    return Status::Corruption("ROCKETMQ header truncated: " + std::string(field) + " needs " +
                              std::to_string(n) + " bytes at offset " + std::to_string(Offset()) +
                              " but the " + region_name_ + " has only " +
                              std::to_string(Remaining()) + " left");
  }
  // The callers below check Need() first.
  int16_t Int16() { return GetInt16(Take(2).data()); }
  int32_t Int32() { return GetInt32(Take(4).data()); }
  uint8_t Byte() { return static_cast<uint8_t>(Take(1)[0]); }
  std::string_view Take(size_t n) {
    std::string_view out = region_.substr(pos_, n);
    pos_ += n;
    return out;
  }

 private:
  std::string_view region_;
  std::string region_name_;
  size_t base_offset_;
  size_t pos_ = 0;
};

Status Negative(const char* field, int64_t value, size_t offset) {
  return Status::Corruption("ROCKETMQ header: negative " + std::string(field) + " " +
                            std::to_string(value) + " at offset " + std::to_string(offset));
}

// Reads the {short keyLen, key, int valLen, value} entries that must fill `map` exactly.
Result<ExtFields> ReadExtFields(std::string_view map, size_t base_offset) {
  HeaderReader reader(map, "extFields map", base_offset);
  ExtFields fields;
  while (reader.Remaining() > 0) {
    HOLDFAST_RETURN_IF_ERROR(reader.Need(2, "extFields key length"));
    size_t at = reader.Offset();
    int16_t key_length = reader.Int16();
    if (key_length < 0) return Negative("extFields key length", key_length, at);
    HOLDFAST_RETURN_IF_ERROR(reader.Need(static_cast<size_t>(key_length), "extFields key"));
    std::string key = ToValidUtf8(reader.Take(static_cast<size_t>(key_length)));
    HOLDFAST_RETURN_IF_ERROR(reader.Need(4, "extFields value length"));
    at = reader.Offset();
    int32_t value_length = reader.Int32();
    if (value_length < 0) return Negative("extFields value length", value_length, at);
    HOLDFAST_RETURN_IF_ERROR(reader.Need(static_cast<size_t>(value_length), "extFields value"));
    std::string value = ToValidUtf8(reader.Take(static_cast<size_t>(value_length)));
    fields.insert_or_assign(std::move(key), std::move(value));
  }
  return fields;
}

}  // namespace

Result<std::string> EncodeRocketmqHeader(const RemotingCommand& cmd) {
  if (!FitsShort(cmd.code)) {
    return Status::InvalidArgument("ROCKETMQ header: code " + std::to_string(cmd.code) +
                                   " does not fit a short; send it with a JSON header");
  }
  if (!FitsShort(cmd.version)) {
    return Status::InvalidArgument("ROCKETMQ header: version " + std::to_string(cmd.version) +
                                   " does not fit a short");
  }
  // Sizes are checked against the 24-bit header limit before any int cast, so none can wrap.
  size_t remark_length = cmd.remark.has_value() ? cmd.remark->size() : 0;
  size_t ext_length = 0;
  for (const auto& [key, value] : cmd.ext_fields) {
    if (key.size() > static_cast<size_t>(kShortMax)) {
      return Status::InvalidArgument("ROCKETMQ header: extFields key of " +
                                     std::to_string(key.size()) + " bytes exceeds 32767");
    }
    ext_length += 2 + key.size() + 4 + value.size();
  }
  size_t total = kRocketmqHeaderMinSize + remark_length + ext_length;
  if (total > kMaxHeaderLength) {
    return Status::InvalidArgument("ROCKETMQ header of " + std::to_string(total) +
                                   " bytes exceeds the 24-bit header length limit");
  }

  std::string out;
  out.reserve(total);
  AppendInt16(&out, static_cast<int16_t>(cmd.code));
  out.push_back(static_cast<char>(cmd.language));
  AppendInt16(&out, static_cast<int16_t>(cmd.version));
  AppendInt32(&out, cmd.opaque);
  AppendInt32(&out, cmd.flag);
  AppendInt32(&out, static_cast<int32_t>(remark_length));
  if (cmd.remark.has_value()) out.append(*cmd.remark);
  AppendInt32(&out, static_cast<int32_t>(ext_length));
  for (const auto& [key, value] : cmd.ext_fields) {
    AppendInt16(&out, static_cast<int16_t>(key.size()));
    out.append(key);
    AppendInt32(&out, static_cast<int32_t>(value.size()));
    out.append(value);
  }
  return out;
}

Result<RemotingCommand> DecodeRocketmqHeader(std::string_view header) {
  HeaderReader reader(header, "header", 0);
  HOLDFAST_RETURN_IF_ERROR(reader.Need(kRocketmqHeaderFixedPrefix, "the fixed fields"));
  RemotingCommand cmd;
  cmd.serialize_type = SerializeType::kRocketmq;
  cmd.code = reader.Int16();
  cmd.language = LanguageCodeFromByte(reader.Byte()).value_or(LanguageCode::kOther);
  cmd.version = reader.Int16();
  cmd.opaque = reader.Int32();
  cmd.flag = reader.Int32();

  size_t at = reader.Offset();
  int32_t remark_length = reader.Int32();
  if (remark_length < 0) return Negative("remark length", remark_length, at);
  HOLDFAST_RETURN_IF_ERROR(reader.Need(static_cast<size_t>(remark_length), "remark"));
  if (remark_length > 0) {
    cmd.remark = ToValidUtf8(reader.Take(static_cast<size_t>(remark_length)));
  }

  HOLDFAST_RETURN_IF_ERROR(reader.Need(4, "extLen"));
  at = reader.Offset();
  int32_t ext_length = reader.Int32();
  if (ext_length < 0) return Negative("extLen", ext_length, at);
  HOLDFAST_RETURN_IF_ERROR(reader.Need(static_cast<size_t>(ext_length), "extFields map"));
  size_t map_offset = reader.Offset();
  auto fields = ReadExtFields(reader.Take(static_cast<size_t>(ext_length)), map_offset);
  if (!fields.ok()) return fields.status();
  cmd.ext_fields = std::move(fields).value();

  if (reader.Remaining() != 0) {
    return Status::Corruption("ROCKETMQ header has " + std::to_string(reader.Remaining()) +
                              " bytes after the extFields map");
  }
  return cmd;
}

}  // namespace holdfast::remoting
