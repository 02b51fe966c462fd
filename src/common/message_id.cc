#include "common/message_id.h"

#include <unistd.h>

#include <atomic>
#include <charconv>
#include <chrono>
#include <ctime>
#include <mutex>
#include <random>

#include "common/byte_order.h"

namespace holdfast {

namespace {

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 0xF];
  }
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

std::string CreateOffsetMsgId(const HostAddress& store_host, int64_t commit_log_offset) {
  std::string bytes(reinterpret_cast<const char*>(store_host.ip.data()), store_host.ipv6 ? 16 : 4);
  char tail[12];
  PutBigEndian32(tail, static_cast<uint32_t>(store_host.port));
  PutBigEndian64(tail + 4, static_cast<uint64_t>(commit_log_offset));
  bytes.append(tail, sizeof(tail));
  return Hex(bytes);
}

Result<OffsetMsgId> DecodeOffsetMsgId(std::string_view id) {
  if (id.size() != 32 && id.size() != 56) {
    return Status::InvalidArgument("offsetMsgId must be 32 or 56 hex characters: " +
                                   std::string(id));
  }
  std::string bytes;
  for (size_t i = 0; i < id.size(); i += 2) {
    int hi = HexValue(id[i]);
    int lo = HexValue(id[i + 1]);
    if (hi < 0 || lo < 0) {
      return Status::InvalidArgument("offsetMsgId is not hex: " + std::string(id));
    }
    bytes += static_cast<char>((hi << 4) | lo);
  }
  OffsetMsgId out;
  const size_t ip_len = id.size() == 32 ? 4 : 16;
  out.store_host.ipv6 = ip_len == 16;
  for (size_t i = 0; i < ip_len; ++i) out.store_host.ip[i] = static_cast<uint8_t>(bytes[i]);
  out.store_host.port = GetInt32(bytes.data() + ip_len);
  out.commit_log_offset = GetInt64(bytes.data() + ip_len + 4);
  return out;
}

namespace {

// Milliseconds since the start of the current month in local time, as MessageClientIDSetter
// counts; the month start is recomputed when the month rolls over.
int64_t MillisSinceMonthStart() {
  static std::mutex mu;
  static int64_t month_start = 0;
  static int64_t next_month_start = 0;
  const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  std::lock_guard<std::mutex> lock(mu);
  if (now >= next_month_start) {
    std::time_t t = static_cast<std::time_t>(now / 1000);
    std::tm tm{};
    localtime_r(&t, &tm);
    tm.tm_mday = 1;
    tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
    tm.tm_isdst = -1;
    month_start = static_cast<int64_t>(std::mktime(&tm)) * 1000;
    tm.tm_mon += 1;
    tm.tm_isdst = -1;
    next_month_start = static_cast<int64_t>(std::mktime(&tm)) * 1000;
  }
  return now - month_start;
}

}  // namespace

std::string CreateUniqId(const HostAddress& host) {
  // The first 10 bytes are fixed per process: ip, pid, and a random stand-in for Java's
  // class-loader hash code.
  static const int32_t kRandom = static_cast<int32_t>(std::random_device{}());
  static std::atomic<uint32_t> counter{0};
  char buf[16];
  for (int i = 0; i < 4; ++i) buf[i] = static_cast<char>(host.ip[i]);
  PutBigEndian16(buf + 4, static_cast<uint16_t>(getpid()));
  PutBigEndian32(buf + 6, static_cast<uint32_t>(kRandom));
  PutBigEndian32(buf + 10, static_cast<uint32_t>(MillisSinceMonthStart()));
  PutBigEndian16(buf + 14, static_cast<uint16_t>(counter.fetch_add(1)));
  return Hex(std::string_view(buf, sizeof(buf)));
}

Result<HostAddress> ParseIpv4Address(std::string_view addr) {
  HostAddress h;
  const char* p = addr.data();
  const char* end = addr.data() + addr.size();
  for (int i = 0; i < 4; ++i) {
    unsigned v = 0;
    auto [next, ec] = std::from_chars(p, end, v);
    if (ec != std::errc() || v > 255 || next == end || *next != (i < 3 ? '.' : ':')) {
      return Status::InvalidArgument("not an IPv4 ip:port address: " + std::string(addr));
    }
    h.ip[i] = static_cast<uint8_t>(v);
    p = next + 1;
  }
  int32_t port = 0;
  auto [next, ec] = std::from_chars(p, end, port);
  if (ec != std::errc() || next != end || port < 0 || port > 65535) {
    return Status::InvalidArgument("not an IPv4 ip:port address: " + std::string(addr));
  }
  h.port = port;
  return h;
}

}  // namespace holdfast
