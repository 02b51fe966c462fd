#include "remoting/protocol/register_broker_body.h"

#include "common/byte_order.h"
#include "common/zlib_codec.h"
#include "remoting/protocol/json_fields.h"

namespace holdfast::protocol {

namespace {

// Java's Deflater.BEST_COMPRESSION, what RegisterBrokerBody.encode(true) uses.
constexpr int kBestCompression = 9;

void AppendChunk(std::string_view bytes, std::string* out) {
  AppendInt32(out, static_cast<int32_t>(bytes.size()));
  out->append(bytes);
}

// The next big-endian int32 of `data` at *pos.
Result<uint32_t> ReadUint32(std::string_view data, size_t* pos) {
  if (data.size() - *pos < 4) return Status::Corruption("compressed RegisterBrokerBody truncated");
  const uint32_t v = GetBigEndian32(data.data() + *pos);
  *pos += 4;
  return v;
}

// An int32 length and that many bytes of `data` at *pos.
Result<std::string_view> ReadChunk(std::string_view data, size_t* pos) {
  Result<uint32_t> len = ReadUint32(data, pos);
  if (!len.ok()) return len.status();
  if (*len > data.size() - *pos) {
    return Status::Corruption("compressed RegisterBrokerBody chunk runs past the end");
  }
  std::string_view chunk = data.substr(*pos, *len);
  *pos += *len;
  return chunk;
}

}  // namespace

std::string EncodeRegisterBrokerBody(const RegisterBrokerBody& body) {
  return DumpJson(nlohmann::json{
      {"filterServerList", body.filter_server_list},
      {"topicConfigSerializeWrapper", body.topic_config_serialize_wrapper.ToJson()}});
}

Result<RegisterBrokerBody> DecodeRegisterBrokerBody(std::string_view body) {
  RegisterBrokerBody result;
  if (body.empty()) return result;
  Result<nlohmann::json> j = ParseJsonObject(body, "RegisterBrokerBody");
  if (!j.ok()) return j.status();
  Result<JsonFields> fields = JsonFields::Of(*j, "RegisterBrokerBody");
  if (!fields.ok()) return fields.status();
  if (const nlohmann::json* wrapper = fields->Find("topicConfigSerializeWrapper")) {
    Result<TopicConfigSerializeWrapper> w = TopicConfigSerializeWrapper::FromJson(*wrapper);
    if (!w.ok()) return w.status();
    result.topic_config_serialize_wrapper = std::move(w).value();
  }
  if (const nlohmann::json* list = fields->Find("filterServerList")) {
    if (!list->is_array()) return fields->Error("filterServerList", "is not an array");
    for (const nlohmann::json& addr : *list) {
      if (!addr.is_string()) return fields->Error("filterServerList", "holds a non-string");
      result.filter_server_list.push_back(addr.get<std::string>());
    }
  }
  return result;
}

Result<std::string> EncodeCompressedRegisterBrokerBody(const RegisterBrokerBody& body) {
  const TopicConfigSerializeWrapper& wrapper = body.topic_config_serialize_wrapper;
  std::string raw;
  AppendChunk(EncodeDataVersion(wrapper.data_version.value_or(DataVersion{})), &raw);
  AppendInt32(&raw, static_cast<int32_t>(wrapper.topic_config_table.size()));
  for (const auto& [name, config] : wrapper.topic_config_table) {
    AppendChunk(config.EncodeText(), &raw);
  }
  AppendChunk(DumpJson(nlohmann::json(body.filter_server_list)), &raw);
  return ZlibCompress(raw, kBestCompression);
}

Result<RegisterBrokerBody> DecodeCompressedRegisterBrokerBody(std::string_view body) {
  Result<std::string> inflated = ZlibUncompress(body, kMaxInflatedRegisterBody);
  if (!inflated.ok()) {
    return Status::Corruption("compressed RegisterBrokerBody: " + inflated.status().message());
  }
  std::string_view data = *inflated;
  size_t pos = 0;
  RegisterBrokerBody result;
  TopicConfigSerializeWrapper& wrapper = result.topic_config_serialize_wrapper;
  Result<std::string_view> version_text = ReadChunk(data, &pos);
  if (!version_text.ok()) return version_text.status();
  Result<DataVersion> version = DecodeDataVersion(*version_text);
  if (!version.ok()) return version.status();
  wrapper.data_version = *version;
  Result<uint32_t> count = ReadUint32(data, &pos);
  if (!count.ok()) return count.status();
  for (uint32_t i = 0; i < *count; ++i) {
    Result<std::string_view> text = ReadChunk(data, &pos);
    if (!text.ok()) return text.status();
    Result<TopicConfig> config = TopicConfig::DecodeText(*text);
    if (!config.ok()) return config.status();
    std::string name = config->topic_name;
    wrapper.topic_config_table[std::move(name)] = std::move(config).value();
  }
  if (pos == data.size()) return result;  // no filter server list: nothing else to read
  Result<std::string_view> filters = ReadChunk(data, &pos);
  if (!filters.ok()) return filters.status();
  nlohmann::json list = nlohmann::json::parse(*filters, nullptr, /*allow_exceptions=*/false);
  if (!list.is_array()) {
    return Status::Corruption("compressed RegisterBrokerBody: filterServerList is not an array");
  }
  for (const nlohmann::json& addr : list) {
    if (!addr.is_string()) {
      return Status::Corruption(
          "compressed RegisterBrokerBody: filterServerList holds a non-string");
    }
    result.filter_server_list.push_back(addr.get<std::string>());
  }
  return result;
}

}  // namespace holdfast::protocol
