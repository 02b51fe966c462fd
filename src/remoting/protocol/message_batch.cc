#include "remoting/protocol/message_batch.h"

#include "common/byte_order.h"

namespace holdfast::protocol {

namespace {

// TOTALSIZE, MAGICCODE, BODYCRC, FLAG, BODYLEN: five ints before the body.
constexpr size_t kFixed = 20;

}  // namespace

void AppendBatchRecord(std::string_view body, std::string_view properties, int32_t flag,
                       std::string* out) {
  AppendInt32(out, static_cast<int32_t>(kFixed + body.size() + 2 + properties.size()));
  AppendInt32(out, 0);  // MAGICCODE, ignored
  AppendInt32(out, 0);  // BODYCRC, recomputed by the broker
  AppendInt32(out, flag);
  AppendInt32(out, static_cast<int32_t>(body.size()));
  out->append(body);
  AppendInt16(out, static_cast<int16_t>(properties.size()));
  out->append(properties);
}

std::string EncodeBatchBody(const std::vector<BatchMessage>& messages) {
  std::string out;
  for (const BatchMessage& m : messages) AppendBatchRecord(m.body, m.properties, m.flag, &out);
  return out;
}

Result<std::vector<BatchMessage>> DecodeBatchBody(std::string_view body) {
  std::vector<BatchMessage> out;
  size_t pos = 0;
  while (pos < body.size()) {
    const size_t index = out.size();
    auto bad = [&](std::string_view what) {
      return Status::InvalidArgument("batch message " + std::to_string(index) + " at byte " +
                                     std::to_string(pos) + ": " + std::string(what));
    };
    if (body.size() - pos < kFixed) return bad("truncated header");
    const char* p = body.data() + pos;
    const int32_t total = GetInt32(p);
    if (total < static_cast<int32_t>(kFixed + 2) ||
        static_cast<size_t>(total) > body.size() - pos) {
      return bad("TOTALSIZE " + std::to_string(total) + " out of range");
    }
    BatchMessage m;
    m.flag = GetInt32(p + 12);
    const int32_t body_len = GetInt32(p + 16);
    if (body_len < 0 || kFixed + static_cast<size_t>(body_len) + 2 > static_cast<size_t>(total)) {
      return bad("BODYLEN " + std::to_string(body_len) + " runs past TOTALSIZE");
    }
    m.body.assign(p + kFixed, static_cast<size_t>(body_len));
    const size_t props_pos = kFixed + static_cast<size_t>(body_len);
    const int16_t props_len = GetInt16(p + props_pos);
    if (props_len < 0 ||
        props_pos + 2 + static_cast<size_t>(props_len) != static_cast<size_t>(total)) {
      return bad("PROPLEN " + std::to_string(props_len) + " does not end at TOTALSIZE");
    }
    m.properties.assign(p + props_pos + 2, static_cast<size_t>(props_len));
    out.push_back(std::move(m));
    pos += static_cast<size_t>(total);
  }
  return out;
}

}  // namespace holdfast::protocol
