#include "tools/bench/store/store_setup.h"

#include <fcntl.h>
#include <unistd.h>

namespace holdfast::tools::store_bench {

store::MessageStoreConfig StoreConfig(const std::filesystem::path& dir, store::FlushDiskType mode,
                                      const StoreBenchmarkOptions& o) {
  store::MessageStoreConfig c;
  c.store_path_root_dir = dir.string();
  c.flush_disk_type = mode;
  c.message_index_enable = o.index;
  return c;
}

void Settle(const std::filesystem::path& dir) {
  int fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  (void)syncfs(fd);
  close(fd);
}

}  // namespace holdfast::tools::store_bench
