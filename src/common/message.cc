#include "common/message.h"

#include <fmt/format.h>

namespace holdfast {

HostAddress HostAddress::Ipv4(uint8_t a, uint8_t b, uint8_t c, uint8_t d, int32_t port) {
  HostAddress h;
  h.ip[0] = a, h.ip[1] = b, h.ip[2] = c, h.ip[3] = d;
  h.port = port;
  return h;
}

std::string HostAddress::ToString() const {
  if (!ipv6) return fmt::format("{}.{}.{}.{}:{}", ip[0], ip[1], ip[2], ip[3], port);
  std::string s = "[";
  for (int i = 0; i < 16; i += 2) {
    if (i) s += ':';
    s += fmt::format("{:x}", (ip[i] << 8) | ip[i + 1]);
  }
  return s + fmt::format("]:{}", port);
}

std::string EncodeProperties(const PropertyMap& props) {
  std::string out;
  for (const auto& [k, v] : props) {
    if (k.empty() || v.empty()) continue;
    out += k;
    out += property::kNameValueSeparator;
    out += v;
    out += property::kPropertySeparator;
  }
  return out;
}

namespace {

// Calls fn(name, value) for every well-formed entry; stops early when fn returns false.
template <typename Fn>
void ForEachProperty(std::string_view encoded, Fn&& fn) {
  while (!encoded.empty()) {
    size_t end = encoded.find(property::kPropertySeparator);
    std::string_view entry = encoded.substr(0, end);
    encoded = end == std::string_view::npos ? std::string_view() : encoded.substr(end + 1);
    size_t sep = entry.find(property::kNameValueSeparator);
    if (sep == std::string_view::npos || sep == 0 || sep + 1 == entry.size()) continue;
    if (!fn(entry.substr(0, sep), entry.substr(sep + 1))) return;
  }
}

}  // namespace

PropertyMap DecodeProperties(std::string_view encoded) {
  PropertyMap map;
  ForEachProperty(encoded, [&](std::string_view k, std::string_view v) {
    map.insert_or_assign(std::string(k), std::string(v));
    return true;
  });
  return map;
}

std::optional<std::string_view> FindProperty(std::string_view encoded, std::string_view key) {
  std::optional<std::string_view> found;
  ForEachProperty(encoded, [&](std::string_view k, std::string_view v) {
    if (k == key) found = v;  // the last entry wins, as in a map
    return true;
  });
  return found;
}

}  // namespace holdfast
