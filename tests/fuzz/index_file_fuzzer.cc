// libFuzzer target: an index file as a restart finds it (IndexFile::Open: header, hash slots and
// entries are arbitrary bytes, the size sometimes wrong), queried by key and time range as
// QUERY_MESSAGE and queryMsgByKey do (with ranges from outside), then written on with PutKey until
// full. Any input must give a Status or a usable file; never a crash, a hang, an out-of-bounds
// read or undefined behaviour. Checked besides:
//  * a query returns at most max_num offsets, none twice;
//  * a key just put is found by a query for its own store time (when the file's begin time
//    allows the time to be represented: at or after it, within 2^31 seconds);
//  * the header a reopen reads counts every key put.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "store/index_file.h"
#include "store/memory_file_system.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

using holdfast::fuzz::Check;
using holdfast::fuzz::FuzzInput;
using holdfast::store::IndexFile;

constexpr char kPath[] = "/index/20240101000000000";
constexpr size_t kMaxNum = 16;

std::string Key(uint8_t n) { return "Topic#key-" + std::to_string(n % 24); }

void CheckQuery(const IndexFile& file, const std::string& key, int64_t begin, int64_t end) {
  std::vector<int64_t> out;
  file.SelectPhyOffsets(&out, key, kMaxNum, begin, end);
  Check(out.size() <= kMaxNum);
  Check(std::set<int64_t>(out.begin(), out.end()).size() == out.size());
}

bool Contains(const IndexFile& file, const std::string& key, int64_t phy_offset, int64_t t) {
  std::vector<int64_t> out;
  file.SelectPhyOffsets(&out, key, std::numeric_limits<size_t>::max(), t, t);
  for (int64_t o : out) {
    if (o == phy_offset) return true;
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzInput in(data, size);
  const int32_t hash_slot_num = 1 + in.Byte() % 8;
  const int32_t index_num = 2 + in.Byte() % 16;
  const bool exact_size = in.Byte() % 16 != 0;  // mostly the size the geometry asks for
  const int64_t query_begin = in.I64();
  const int64_t query_end = in.I64();
  const int64_t file_size = IndexFile::FileSize(hash_slot_num, index_num);
  std::string bytes(in.Take(static_cast<size_t>(file_size)));
  if (exact_size) bytes.resize(static_cast<size_t>(file_size), '\0');

  holdfast::store::MemoryFileSystem fs(1 << 20);
  Check(fs.CreateDirs("/index").ok());
  {
    auto f = fs.Open(kPath, /*create=*/true);
    Check(f.ok() && (*f)->Write(0, bytes).ok());
  }
  auto opened = IndexFile::Open(&fs, kPath, hash_slot_num, index_num);
  if (!opened.ok()) return 0;  // refusing the file is a fine outcome
  IndexFile& file = **opened;

  for (uint8_t k = 0; k < 24; ++k) {
    CheckQuery(file, Key(k), query_begin, query_end);
    CheckQuery(file, Key(k), 0, std::numeric_limits<int64_t>::max());
  }
  (void)file.IsTimeMatched(query_begin, query_end);

  // Keys, offsets and times from the rest of the input.
  while (!file.IsFull() && !in.empty()) {
    const std::string key = Key(in.Byte());
    const int64_t phy_offset = in.I64() & std::numeric_limits<int64_t>::max();
    const int64_t t = in.I64() & std::numeric_limits<int64_t>::max();
    const int32_t count = file.index_count();
    Check(file.PutKey(key, phy_offset, t).ok());
    Check(file.index_count() == count + 1);
    const int64_t begin = file.begin_timestamp();
    if (begin > 0 && t >= begin && (t - begin) / 1000 <= std::numeric_limits<int32_t>::max()) {
      Check(Contains(file, key, phy_offset, t));
    }
    CheckQuery(file, key, query_begin, query_end);
  }
  Check(file.Flush().ok());
  const int32_t count = file.index_count();
  opened->reset();

  auto reopened = IndexFile::Open(&fs, kPath, hash_slot_num, index_num);
  Check(reopened.ok() && (*reopened)->index_count() == count);
  return 0;
}
