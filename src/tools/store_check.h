// `holdfast store-check`: the store's self-check and demo. It opens (recovering if needed) a store
// on a data directory, appends messages from several threads, reads every one back byte for byte
// through the consume queues and the index, shuts down, reopens and checks again.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>

namespace holdfast::tools {

struct StoreCheckOptions {
  std::string dir = "./holdfast-data";
  int messages = 2000;
  int body_size = 1024;
  bool sync_flush = true;
};

// Returns the process exit code: 0 when every check passed.
int RunStoreCheck(const StoreCheckOptions& options, std::ostream& out);

}  // namespace holdfast::tools
