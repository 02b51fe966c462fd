#include "remoting/protocol/consumer_offset_serialize_wrapper.h"

#include <charconv>

#include "remoting/protocol/fastjson_keys.h"
#include "remoting/protocol/json_fields.h"

namespace holdfast::protocol {

std::string EncodeConsumerOffsetSerializeWrapper(const ConsumerOffsetSerializeWrapper& wrapper) {
  std::string out = "{\n\t\"offsetTable\":{";
  bool first_key = true;
  for (const auto& [key, queues] : wrapper.offset_table) {
    out += first_key ? "\n\t\t" : ",\n\t\t";
    first_key = false;
    out += DumpJson(nlohmann::json(key));
    out += ":{";
    bool first_queue = true;
    for (const auto& [queue_id, offset] : queues) {
      if (!first_queue) out += ',';
      first_queue = false;
      out += std::to_string(queue_id) + ':' + std::to_string(offset);
    }
    out += '}';
  }
  out += wrapper.offset_table.empty() ? "}\n}" : "\n\t}\n}";
  return out;
}

Result<ConsumerOffsetSerializeWrapper> DecodeConsumerOffsetSerializeWrapper(std::string_view text) {
  Result<std::string> quoted = QuoteNonStringKeys(text);
  if (!quoted.ok()) return quoted.status();
  Result<nlohmann::json> j = ParseJsonObject(*quoted, "ConsumerOffsetSerializeWrapper");
  if (!j.ok()) return j.status();
  ConsumerOffsetSerializeWrapper wrapper;
  auto offsets = j->find("offsetTable");
  if (offsets == j->end() || offsets->is_null()) return wrapper;
  if (!offsets->is_object()) return Status::Corruption("offsetTable is not an object");
  for (const auto& [key, queues] : offsets->items()) {
    if (!queues.is_object()) return Status::Corruption("offsetTable." + key + " is not an object");
    std::map<int32_t, int64_t>& out = wrapper.offset_table[key];
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
  return wrapper;
}

}  // namespace holdfast::protocol
