#include "namesrv/route_data.h"

#include <zlib.h>
#include <charconv>

#include <nlohmann/json.hpp>
#include <sstream>

namespace holdfast::namesrv {

using remoting::AppendBrokerDataJson;

namespace {

using nlohmann::json;

// Never throws: invalid UTF-8 (which decoded commands do not carry) is replaced, not rejected.
std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

// A JSON string literal for `s`, escaped.
std::string Quote(const std::string& s) { return Dump(json(s)); }

// Reads an integer that may come as a JSON number or a decimal string. Absent keeps `out`.
Status ReadInt64(const json& obj, const char* key, int64_t& out) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return Status::Ok();
  if (it->is_number_integer()) {
    out = it->get<int64_t>();
    return Status::Ok();
  }
  if (it->is_string()) {
    const std::string& text = it->get_ref<const std::string&>();
    int64_t v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec == std::errc() && end == text.data() + text.size()) {
      out = v;
      return Status::Ok();
    }
  }
  return Status::Corruption(std::string("field ") + key + " is not an integer");
}

Status ReadInt32(const json& obj, const char* key, int32_t& out) {
  int64_t v = out;
  HOLDFAST_RETURN_IF_ERROR(ReadInt64(obj, key, v));
  if (v < INT32_MIN || v > INT32_MAX) {
    return Status::Corruption(std::string("field ") + key + " is out of range");
  }
  out = static_cast<int32_t>(v);
  return Status::Ok();
}

Result<DataVersion> DataVersionFromJson(const json& j) {
  if (!j.is_object()) return Status::Corruption("dataVersion is not an object");
  DataVersion v;
  HOLDFAST_RETURN_IF_ERROR(ReadInt64(j, "counter", v.counter));
  HOLDFAST_RETURN_IF_ERROR(ReadInt64(j, "stateVersion", v.state_version));
  HOLDFAST_RETURN_IF_ERROR(ReadInt64(j, "timestamp", v.timestamp));
  return v;
}

}  // namespace

Result<RegisterBrokerBody> DecodeRegisterBrokerBody(std::string_view body) {
  RegisterBrokerBody result;
  if (body.empty()) return result;
  json j = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return Status::Corruption("RegisterBrokerBody is not a JSON object");
  }
  auto wrapper = j.find("topicConfigSerializeWrapper");
  if (wrapper == j.end() || wrapper->is_null()) return result;
  if (!wrapper->is_object())
    return Status::Corruption("topicConfigSerializeWrapper is not an object");
  if (auto dv = wrapper->find("dataVersion"); dv != wrapper->end() && !dv->is_null()) {
    Result<DataVersion> v = DataVersionFromJson(*dv);
    if (!v.ok()) return v.status();
    result.data_version = *v;
  }
  auto table = wrapper->find("topicConfigTable");
  if (table == wrapper->end() || table->is_null()) return result;
  if (!table->is_object()) return Status::Corruption("topicConfigTable is not an object");
  for (const auto& [name, config] : table->items()) {
    if (!config.is_object())
      return Status::Corruption("topic config " + name + " is not an object");
    TopicConfig tc;
    tc.topic_name = name;
    if (auto n = config.find("topicName"); n != config.end() && n->is_string()) {
      tc.topic_name = n->get<std::string>();
    }
    HOLDFAST_RETURN_IF_ERROR(ReadInt32(config, "readQueueNums", tc.read_queue_nums));
    HOLDFAST_RETURN_IF_ERROR(ReadInt32(config, "writeQueueNums", tc.write_queue_nums));
    HOLDFAST_RETURN_IF_ERROR(ReadInt32(config, "perm", tc.perm));
    HOLDFAST_RETURN_IF_ERROR(ReadInt32(config, "topicSysFlag", tc.topic_sys_flag));
    result.topic_configs.push_back(std::move(tc));
  }
  return result;
}

namespace {

Result<std::string> Inflate(std::string_view in) {
  z_stream zs{};
  if (inflateInit(&zs) != Z_OK) return Status::Corruption("inflateInit failed");
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  std::string out;
  int rc = Z_OK;
  while (rc == Z_OK) {
    if (out.size() >= kMaxInflatedRegisterBody) break;
    char buf[64 * 1024];
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof(buf);
    rc = inflate(&zs, Z_NO_FLUSH);
    out.append(buf, sizeof(buf) - zs.avail_out);
    if (rc == Z_BUF_ERROR && zs.avail_in == 0) break;  // truncated input
  }
  inflateEnd(&zs);
  if (rc != Z_STREAM_END)
    return Status::Corruption("compressed RegisterBrokerBody is not a whole zlib stream");
  return out;
}

// Big-endian int32 length + that many bytes, from `data` at `pos`.
Result<std::string_view> ReadChunk(std::string_view data, size_t& pos) {
  if (data.size() - pos < 4) return Status::Corruption("RegisterBrokerBody truncated");
  uint32_t len = 0;
  for (int i = 0; i < 4; ++i) len = (len << 8) | static_cast<uint8_t>(data[pos + i]);
  pos += 4;
  if (len > data.size() - pos) return Status::Corruption("RegisterBrokerBody chunk too long");
  std::string_view chunk = data.substr(pos, len);
  pos += len;
  return chunk;
}

Result<int32_t> ParseInt32Text(const std::string& text) {
  int32_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return Status::Corruption("bad number in TopicConfig text: " + text);
  }
  return v;
}

}  // namespace

Result<RegisterBrokerBody> DecodeCompressedRegisterBrokerBody(std::string_view body) {
  Result<std::string> inflated = Inflate(body);
  if (!inflated.ok()) return inflated.status();
  std::string_view data = *inflated;
  size_t pos = 0;
  RegisterBrokerBody result;
  Result<std::string_view> dv = ReadChunk(data, pos);
  if (!dv.ok()) return dv.status();
  Result<DataVersion> version = DecodeDataVersion(*dv);
  if (!version.ok()) return version.status();
  result.data_version = *version;
  if (data.size() - pos < 4) return Status::Corruption("RegisterBrokerBody truncated");
  int64_t count = 0;
  for (int i = 0; i < 4; ++i) count = (count << 8) | static_cast<uint8_t>(data[pos + i]);
  pos += 4;
  for (int64_t i = 0; i < count; ++i) {
    Result<std::string_view> text = ReadChunk(data, pos);
    if (!text.ok()) return text.status();
    std::istringstream fields{std::string(*text)};
    std::string name, read, write, perm;
    if (!(fields >> name >> read >> write >> perm)) {
      return Status::Corruption("bad TopicConfig text: " + std::string(*text));
    }
    TopicConfig tc;
    tc.topic_name = name;
    for (auto [field, out] : {std::pair<const std::string*, int32_t*>{&read, &tc.read_queue_nums},
                              {&write, &tc.write_queue_nums},
                              {&perm, &tc.perm}}) {
      Result<int32_t> v = ParseInt32Text(*field);
      if (!v.ok()) return v.status();
      *out = *v;
    }
    result.topic_configs.push_back(std::move(tc));
  }
  return result;
}

std::string EncodeDataVersion(const DataVersion& version) {
  return "{\"counter\":" + std::to_string(version.counter) +
         ",\"stateVersion\":" + std::to_string(version.state_version) +
         ",\"timestamp\":" + std::to_string(version.timestamp) + "}";
}

Result<DataVersion> DecodeDataVersion(std::string_view body) {
  json j = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Status::Corruption("DataVersion is not JSON");
  return DataVersionFromJson(j);
}

std::string EncodeClusterInfo(
    const std::map<std::string, BrokerData>& broker_addr_table,
    const std::map<std::string, std::set<std::string>>& cluster_addr_table, JsonStyle style) {
  std::string out = "{\"brokerAddrTable\":{";
  bool first = true;
  for (const auto& [name, data] : broker_addr_table) {
    if (!first) out += ',';
    first = false;
    out += Quote(name) + ':';
    AppendBrokerDataJson(data, style, out);
  }
  out += "},\"clusterAddrTable\":";
  json clusters = json::object();
  for (const auto& [cluster, names] : cluster_addr_table) {
    clusters[cluster] = json(std::vector<std::string>(names.begin(), names.end()));
  }
  out += Dump(clusters) + "}";
  return out;
}

std::string EncodeTopicList(const std::set<std::string>& topics) {
  json j = json::object();
  j["topicList"] = json(std::vector<std::string>(topics.begin(), topics.end()));
  return Dump(j);
}

std::string EncodeKvTable(const std::map<std::string, std::string>& table) {
  json j = json::object();
  j["table"] = json(table);
  return Dump(j);
}

}  // namespace holdfast::namesrv
