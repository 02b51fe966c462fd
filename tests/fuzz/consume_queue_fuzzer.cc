// libFuzzer target: a consume queue's files as recovery finds them (ConsumeQueue::Load, then
// TruncateDirty against the recovered commit-log end), read back with GetEntries and written on
// with PutEntry. The segments are arbitrary bytes, any number of them, the last one possibly
// short, starting at any segment. Any input must give a Status or a usable queue; never a crash,
// a hang, an out-of-bounds read or undefined behaviour. Checked besides:
//  * Load leaves a queue in which every offset in [MinOffset, MaxOffset) reads as an entry that
//    can describe a message, or as Corruption;
//  * loading again what Load left gives the same MaxOffset (Load cuts its own leftovers);
//  * TruncateDirty never grows the queue, and an entry put at MaxOffset reads back unchanged.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>

#include "store/consume_queue.h"
#include "store/mapped_file.h"
#include "store/memory_file_system.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

using holdfast::fuzz::Check;
using holdfast::fuzz::FuzzInput;
using holdfast::store::ConsumeQueue;
using holdfast::store::kConsumeQueueUnitSize;

constexpr char kRoot[] = "/store";
constexpr char kDir[] = "/store/consumequeue/T/3";

// Every offset in [MinOffset, MaxOffset) reads as an entry that can describe a message, or as
// Corruption (a damaged entry); batches stop at file ends and before damaged entries.
void CheckReadable(const ConsumeQueue& cq) {
  Check(cq.MinOffset() <= cq.MaxOffset());
  for (int64_t offset = cq.MinOffset(); offset < cq.MaxOffset();) {
    auto entries = cq.GetEntries(offset, 7);
    if (!entries.ok()) {
      Check(entries.status().IsCorruption());
      ++offset;
      continue;
    }
    Check(!entries->empty() && entries->size() <= 7);
    for (const ConsumeQueue::Entry& e : *entries) Check(e.commit_log_offset >= 0 && e.size > 0);
    offset += static_cast<int64_t>(entries->size());
  }
  auto past = cq.GetEntries(cq.MaxOffset(), 1);
  Check(past.ok() && past->empty());
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  holdfast::fuzz::SilenceLogging();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzInput in(data, size);
  const int64_t entries_per_file = 1 + in.Byte() % 8;
  const int64_t file_size = entries_per_file * kConsumeQueueUnitSize;
  const int64_t first_file = in.Byte() % 4;  // older segments may have been deleted
  const int64_t max_phy_offset =
      in.I64() & std::numeric_limits<int64_t>::max();  // what commit-log recovery found
  const ConsumeQueue::Entry put{in.I64(), static_cast<int32_t>(in.U64()), in.I64()};

  holdfast::store::MemoryFileSystem fs(1 << 20);
  Check(fs.CreateDirs(kDir).ok());
  for (int64_t start = first_file * file_size; !in.empty(); start += file_size) {
    auto file = fs.Open(std::string(kDir) + "/" + holdfast::store::MappedFile::FileName(start),
                        /*create=*/true);
    Check(file.ok());
    Check((*file)->Write(0, in.Take(static_cast<size_t>(file_size))).ok());
  }

  ConsumeQueue cq(&fs, kRoot, "T", 3, file_size);
  if (!cq.Load().ok()) return 0;  // refusing the files is a fine outcome
  CheckReadable(cq);
  {
    ConsumeQueue again(&fs, kRoot, "T", 3, file_size);
    Check(again.Load().ok());
    Check(again.MaxOffset() == cq.MaxOffset() && again.MinOffset() == cq.MinOffset());
  }

  const int64_t before = cq.MaxOffset();
  if (!cq.TruncateDirty(max_phy_offset).ok()) return 0;
  Check(cq.MaxOffset() <= before);
  CheckReadable(cq);

  const int64_t at = cq.MaxOffset();
  if (cq.PutEntry(at, put).ok()) {
    Check(cq.MaxOffset() == at + 1);
    auto back = cq.GetEntries(at, 1);
    if (put.commit_log_offset < 0 || put.size <= 0) {
      Check(!back.ok() && back.status().IsCorruption());
      return 0;
    }
    Check(back.ok() && back->size() == 1);
    Check((*back)[0].commit_log_offset == put.commit_log_offset && (*back)[0].size == put.size &&
          (*back)[0].tags_code == put.tags_code);
    Check(cq.Flush().ok());
  }
  return 0;
}
