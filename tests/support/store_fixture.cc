#include "tests/support/store_fixture.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <linux/magic.h>
#include <sys/mman.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <vector>

namespace holdfast::testing {

store::MessageStoreConfig SmallStoreConfig(const std::string& dir, store::FlushDiskType flush) {
  store::MessageStoreConfig c;
  c.store_path_root_dir = dir;
  c.mapped_file_size_commit_log = 64 * 1024;
  c.mapped_file_size_consume_queue = 20 * 100;
  c.flush_disk_type = flush;
  c.max_message_size = 16 * 1024;
  c.max_hash_slot_num = 64;
  c.max_index_num = 256;
  c.flush_interval_commit_log = 20;
  c.flush_interval_consume_queue = 50;
  return c;
}

std::string BodyFor(int64_t seq, size_t body_size) {
  std::string body = fmt::format("body-{}-", seq);
  while (body.size() < body_size) body += static_cast<char>('a' + (body.size() * 7 + seq) % 26);
  body.resize(body_size);
  return body;
}

MessageExt MakeMessage(const std::string& topic, int32_t queue_id, int64_t seq, size_t body_size) {
  MessageExt m;
  m.topic = topic;
  m.queue_id = queue_id;
  m.born_timestamp = 1700000000000 + seq;
  m.born_host = HostAddress::Ipv4(127, 0, 0, 1, 40000);
  m.store_host = HostAddress::Ipv4(127, 0, 0, 1, 10911);
  m.body = BodyFor(seq, body_size);
  m.properties = EncodeProperties(
      {{std::string(property::kKeys), fmt::format("key-{}", seq)},
       {std::string(property::kTags), seq % 2 ? "TagB" : "TagA"},
       {std::string(property::kUniqClientMessageIdKeyIndex), fmt::format("UNIQ{:016X}", seq)}});
  return m;
}

int64_t ResidentBytes(const std::string& path, int64_t size, int64_t from) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  void* p = ::mmap(nullptr, static_cast<size_t>(size), PROT_READ, MAP_SHARED, fd, 0);
  ::close(fd);
  if (p == MAP_FAILED) return -1;
  const int64_t page = ::sysconf(_SC_PAGESIZE);
  std::vector<unsigned char> vec(static_cast<size_t>((size - from + page - 1) / page));
  int64_t resident = -1;
  if (from >= size) {
    resident = 0;
  } else if (::mincore(static_cast<char*>(p) + from, static_cast<size_t>(size - from),
                       vec.data()) == 0) {
    resident = 0;
    for (unsigned char v : vec) resident += (v & 1) ? page : 0;
  }
  ::munmap(p, static_cast<size_t>(size));
  return resident;
}

bool PageCacheCanDrop(const std::string& dir) {
  struct statfs st {};
  if (::statfs(dir.c_str(), &st) != 0) return false;
  return st.f_type != TMPFS_MAGIC && st.f_type != RAMFS_MAGIC;
}

}  // namespace holdfast::testing
