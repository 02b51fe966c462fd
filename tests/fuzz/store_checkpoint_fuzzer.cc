// libFuzzer target: the checkpoint file as recovery finds it (StoreCheckpoint::Open), any length,
// any bytes. Any input must give a checkpoint, valid or not; never a crash or an out-of-bounds
// read. Checked besides:
//  * a page that is not valid reads as all zeros (recovery must not trust any of it);
//  * Flush and a reopen give a valid checkpoint with the same values.
#include <cstddef>
#include <cstdint>
#include <string>

#include "store/memory_file_system.h"
#include "store/store_checkpoint.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

using holdfast::fuzz::Check;
using holdfast::store::StoreCheckpoint;

bool SameValues(const StoreCheckpoint& a, const StoreCheckpoint& b) {
  return a.physic_msg_timestamp == b.physic_msg_timestamp &&
         a.logics_msg_timestamp == b.logics_msg_timestamp &&
         a.index_msg_timestamp == b.index_msg_timestamp &&
         a.master_flushed_offset == b.master_flushed_offset &&
         a.confirm_phy_offset == b.confirm_phy_offset &&
         a.physic_flushed_offset == b.physic_flushed_offset &&
         a.logics_flushed_offset == b.logics_flushed_offset &&
         a.index_flushed_offset == b.index_flushed_offset;
}

bool AllZero(const StoreCheckpoint& c) {
  return c.physic_msg_timestamp == 0 && c.logics_msg_timestamp == 0 && c.index_msg_timestamp == 0 &&
         c.master_flushed_offset == 0 && c.confirm_phy_offset == 0 &&
         c.physic_flushed_offset == 0 && c.logics_flushed_offset == 0 &&
         c.index_flushed_offset == 0;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  holdfast::store::MemoryFileSystem fs(1 << 20);
  {
    auto f = fs.Open("checkpoint", /*create=*/true);
    Check(f.ok());
    Check((*f)->Write(0, std::string_view(reinterpret_cast<const char*>(data), size)).ok());
  }
  auto cp = StoreCheckpoint::Open(&fs, "checkpoint");
  Check(cp.ok());
  if (!(*cp)->valid()) Check(AllZero(**cp));
  Check((*cp)->Flush().ok());

  auto again = StoreCheckpoint::Open(&fs, "checkpoint");
  Check(again.ok() && (*again)->valid() && SameValues(**cp, **again));
  return 0;
}
