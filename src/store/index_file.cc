#include "store/index_file.h"

#include <algorithm>
#include <limits>
#include <unordered_set>

#include "common/byte_order.h"
#include "common/java_hash.h"
#include "store/reservation_step.h"

namespace holdfast::store {

namespace {

// Entry 0 is never used, so a slot or prevIndex of 0 means "none".
constexpr int32_t kInvalidIndex = 0;

// Header field positions (docs/protocol.md §7.3).
constexpr int kBeginTimestampPos = 0;
constexpr int kEndTimestampPos = 8;
constexpr int kBeginPhyOffsetPos = 16;
constexpr int kEndPhyOffsetPos = 24;
constexpr int kHashSlotCountPos = 32;
constexpr int kIndexCountPos = 36;

// Entry field positions.
constexpr int kEntryKeyHashPos = 0;
constexpr int kEntryPhyOffsetPos = 4;
constexpr int kEntryTimeDiffPos = 12;
constexpr int kEntryPrevIndexPos = 16;

int64_t SaturatingAdd(int64_t a, int64_t b) {
  int64_t sum;
  if (__builtin_add_overflow(a, b, &sum)) {
    return b > 0 ? std::numeric_limits<int64_t>::max() : std::numeric_limits<int64_t>::min();
  }
  return sum;
}

// Seconds from begin to t, clamped to [0, INT32_MAX]; 0 while begin is unset (<= 0).
int32_t TimeDiffSeconds(int64_t begin, int64_t t) {
  if (begin <= 0 || t <= begin) return 0;
  uint64_t seconds = (static_cast<uint64_t>(t) - static_cast<uint64_t>(begin)) / 1000;
  return static_cast<int32_t>(
      std::min<uint64_t>(seconds, static_cast<uint64_t>(std::numeric_limits<int32_t>::max())));
}

Status ReadExactly(const File& file, int64_t offset, size_t n, char* buf) {
  Result<size_t> r = file.Read(offset, n, buf);
  if (!r.ok()) return r.status();
  if (*r != n) {
    return Status::Corruption("index file " + file.path() + ": short read of " + std::to_string(n) +
                              " bytes at " + std::to_string(offset));
  }
  return Status::Ok();
}

}  // namespace

int64_t IndexFile::FileSize(int32_t hash_slot_num, int32_t index_num) {
  return kHeaderSize + int64_t{hash_slot_num} * kHashSlotSize + int64_t{index_num} * kIndexSize;
}

int32_t IndexFile::KeyHash(std::string_view key) {
  int32_t h = JavaStringHashCode(key);
  if (h == std::numeric_limits<int32_t>::min()) return 0;  // Java's Math.abs leaves it negative
  return h < 0 ? -h : h;
}

IndexFile::IndexFile(std::unique_ptr<File> file, int32_t hash_slot_num, int32_t index_num)
    : file_(std::move(file)), hash_slot_num_(hash_slot_num), index_num_(index_num) {}

Result<std::unique_ptr<IndexFile>> IndexFile::Create(FileSystem* fs, const std::string& path,
                                                     int32_t hash_slot_num, int32_t index_num,
                                                     int64_t begin_phy_offset,
                                                     int64_t begin_timestamp) {
  if (hash_slot_num < 1 || index_num < 2) {
    return Status::InvalidArgument("index file " + path + ": needs at least 1 hash slot and 2 " +
                                   "entries, got " + std::to_string(hash_slot_num) + " and " +
                                   std::to_string(index_num));
  }
  if (fs->Exists(path)) return Status::AlreadyExists("index file " + path + " already exists");
  // Built under a temporary name and renamed into place, so a crash never leaves a file without
  // a valid header under an index name (Load would refuse it).
  const std::string tmp = path + ".tmp";
  if (fs->Exists(tmp)) HOLDFAST_RETURN_IF_ERROR(fs->Remove(tmp));
  {
    Result<std::unique_ptr<File>> opened = fs->Open(tmp, /*create=*/true);
    if (!opened.ok()) return opened.status();
    IndexFile building(std::move(opened).value(), hash_slot_num, index_num);
    building.begin_phy_offset_ = begin_phy_offset;
    building.end_phy_offset_ = begin_phy_offset;
    building.begin_timestamp_ = begin_timestamp;
    building.end_timestamp_ = begin_timestamp;
    // Zero slots and entries come from a sparse file of full length, not from writing them. The
    // header and the slots get their blocks now (unwritten extents, so fast), the entries as
    // PutKey reaches them: later stores through the mapping cannot meet a full disk, which would
    // be SIGBUS instead of a Status, and the file takes disk for the keys it holds besides its
    // slot table. The slots are stored at random, and reserving each slot page at its first store
    // instead cost 1.8-2.9x as much a store (0.87-1.5 us against 0.30-0.72 us) and made the
    // file's fdatasync about 50x slower (1.2-2.3 s against 25-45 ms: thousands of one-block
    // extents), for 100,000 keys in a 20 MB slot table (`holdfast bench queues`, index slot
    // stores, on the machine of reservation_step.h).
    char header[kHeaderSize];
    building.EncodeHeader(header);
    Status s = building.file_->Truncate(FileSize(hash_slot_num, index_num));
    if (s.ok()) s = building.file_->Allocate(0, building.EntryPosition(0));
    if (s.ok()) s = building.file_->Write(0, std::string_view(header, sizeof(header)));
    if (s.ok()) s = building.file_->Sync();
    if (s.ok()) s = fs->Rename(tmp, path);
    if (s.ok()) s = fs->SyncDir(DirName(path));
    if (!s.ok()) {
      (void)fs->Remove(tmp);  // best effort: Load ignores names that are not index file names
      return s;
    }
  }
  Result<std::unique_ptr<IndexFile>> index = Open(fs, path, hash_slot_num, index_num);
  if (!index.ok()) return index.status();
  return index;
}

Result<std::unique_ptr<IndexFile>> IndexFile::Open(FileSystem* fs, const std::string& path,
                                                   int32_t hash_slot_num, int32_t index_num) {
  if (hash_slot_num < 1 || index_num < 2) {
    return Status::InvalidArgument("index file " + path + ": needs at least 1 hash slot and 2 " +
                                   "entries, got " + std::to_string(hash_slot_num) + " and " +
                                   std::to_string(index_num));
  }
  Result<std::unique_ptr<File>> opened = fs->Open(path, /*create=*/false);
  if (!opened.ok()) return opened.status();
  std::unique_ptr<IndexFile> index(
      new IndexFile(std::move(opened).value(), hash_slot_num, index_num));

  Result<int64_t> size = index->file_->Size();
  if (!size.ok()) return size.status();
  const int64_t expected = FileSize(hash_slot_num, index_num);
  if (*size != expected) {
    return Status::Corruption("index file " + path + ": size " + std::to_string(*size) +
                              ", expected " + std::to_string(expected) + " for " +
                              std::to_string(hash_slot_num) + " hash slots and " +
                              std::to_string(index_num) + " entries");
  }
  char header[kHeaderSize];
  HOLDFAST_RETURN_IF_ERROR(ReadExactly(*index->file_, 0, sizeof(header), header));
  index->DecodeHeader(header);
  if (index->index_count_ < 1 || index->index_count_ > index_num) {
    return Status::Corruption("index file " + path + ": bad header, index count " +
                              std::to_string(index->index_count_) + " outside [1, " +
                              std::to_string(index_num) + "]");
  }
  if (index->hash_slot_count_ < 0 || index->begin_phy_offset_ < 0 || index->end_phy_offset_ < 0 ||
      index->begin_timestamp_ < 0 || index->end_timestamp_ < 0) {
    return Status::Corruption("index file " + path +
                              ": bad header, negative slot count, offset or timestamp");
  }
  // The header and slots of files from Create have their blocks already (then this is cheap);
  // files made elsewhere (a Java broker, or an older Holdfast that left them sparse) get them now.
  // Entries get theirs as PutKey reaches them. A full file is never stored into again and needs
  // none.
  if (!index->IsFull()) {
    HOLDFAST_RETURN_IF_ERROR(index->file_->Allocate(0, index->EntryPosition(0)));
    index->entries_reserved_ = index->EntryPosition(index->index_count_);
  }
  Result<std::unique_ptr<MappedRegion>> region = index->file_->Map(static_cast<size_t>(expected));
  if (!region.ok()) return region.status();
  index->region_ = std::move(region).value();
  index->data_ = index->region_->data();
  return index;
}

Status IndexFile::PutKey(std::string_view key, int64_t phy_offset, int64_t store_timestamp) {
  if (IsFull()) return Status::InvalidArgument("index file " + path() + " is full");
  const int32_t key_hash = KeyHash(key);
  char* slot = data_ + SlotPosition(key_hash);
  int32_t prev_index = GetInt32(slot);
  // A slot pointing at or past the next entry is left over from a torn write: start a new chain.
  if (prev_index <= kInvalidIndex || prev_index >= index_count_) prev_index = kInvalidIndex;

  // The entry's blocks first, a step ahead (reservation_step.h): the slot and header have theirs.
  const int64_t entry_end = EntryPosition(index_count_) + kIndexSize;
  if (entry_end > entries_reserved_) {
    const int64_t to =
        NextReservationEnd(entries_reserved_, entry_end, FileSize(hash_slot_num_, index_num_));
    HOLDFAST_RETURN_IF_ERROR(file_->Allocate(entries_reserved_, to - entries_reserved_));
    entries_reserved_ = to;
  }

  const bool first = index_count_ <= 1;
  const int64_t begin_timestamp = first ? store_timestamp : begin_timestamp_;
  // Entry, then the slot that makes it reachable, then the header that counts it. Write-back may
  // reach the disk in any order (page by page); Open and queries tolerate what a crash leaves.
  char* entry = data_ + EntryPosition(index_count_);
  PutBigEndian32(entry + kEntryKeyHashPos, static_cast<uint32_t>(key_hash));
  PutBigEndian64(entry + kEntryPhyOffsetPos, static_cast<uint64_t>(phy_offset));
  PutBigEndian32(entry + kEntryTimeDiffPos,
                 static_cast<uint32_t>(TimeDiffSeconds(begin_timestamp, store_timestamp)));
  PutBigEndian32(entry + kEntryPrevIndexPos, static_cast<uint32_t>(prev_index));
  PutBigEndian32(slot, static_cast<uint32_t>(index_count_));

  if (first) {
    begin_phy_offset_ = phy_offset;
    begin_timestamp_ = store_timestamp;
  }
  if (prev_index == kInvalidIndex) ++hash_slot_count_;
  ++index_count_;
  end_phy_offset_ = phy_offset;
  end_timestamp_ = store_timestamp;
  // The header goes into the mapping on every key (40 bytes on a page that stays hot), not only
  // at Flush: IndexService syncs with Sync() outside its lock, and a process that dies between
  // flushes leaves a header in the page cache that counts every entry it stored.
  EncodeHeader(data_);
  return Status::Ok();
}

void IndexFile::SelectPhyOffsets(std::vector<int64_t>* out, std::string_view key, size_t max_num,
                                 int64_t begin, int64_t end) const {
  if (out->size() >= max_num || index_count_ <= 1) return;
  const int32_t key_hash = KeyHash(key);
  std::unordered_set<int64_t> seen(out->begin(), out->end());
  int32_t next = GetInt32(data_ + SlotPosition(key_hash));
  // Every valid link points to an older entry, so a walk never takes more than index_count_
  // steps; the bound and the "older" check stop cycles in a garbage file. The range check keeps
  // every entry read inside the mapping (index_count_ <= index_num_ holds from Open on).
  for (int32_t steps = 0; steps < index_count_ && out->size() < max_num; ++steps) {
    if (next <= kInvalidIndex || next >= index_count_) break;
    const char* entry = data_ + EntryPosition(next);
    const int32_t hash_read = GetInt32(entry + kEntryKeyHashPos);
    const int64_t phy_offset_read = GetInt64(entry + kEntryPhyOffsetPos);
    const int32_t time_diff = GetInt32(entry + kEntryTimeDiffPos);
    const int32_t prev_read = GetInt32(entry + kEntryPrevIndexPos);
    if (hash_read == key_hash && time_diff >= 0) {
      // The entry's store time lies in [time_read, time_read + 999].
      const int64_t time_read = SaturatingAdd(begin_timestamp_, int64_t{time_diff} * 1000);
      if (time_read <= end && SaturatingAdd(time_read, 999) >= begin &&
          seen.insert(phy_offset_read).second) {
        out->push_back(phy_offset_read);
      }
    }
    if (prev_read >= next) break;
    next = prev_read;
  }
}

bool IndexFile::IsTimeMatched(int64_t begin, int64_t end) const {
  return index_count_ > 1 && begin <= end && begin <= SaturatingAdd(end_timestamp_, 999) &&
         end >= begin_timestamp_;
}

Status IndexFile::Flush() {
  EncodeHeader(data_);
  return file_->Sync();  // fdatasync covers stores through a shared mapping (Linux)
}

Status IndexFile::Sync() { return file_->Sync(); }

void IndexFile::EncodeHeader(char* p) const {
  PutBigEndian64(p + kBeginTimestampPos, static_cast<uint64_t>(begin_timestamp_));
  PutBigEndian64(p + kEndTimestampPos, static_cast<uint64_t>(end_timestamp_));
  PutBigEndian64(p + kBeginPhyOffsetPos, static_cast<uint64_t>(begin_phy_offset_));
  PutBigEndian64(p + kEndPhyOffsetPos, static_cast<uint64_t>(end_phy_offset_));
  PutBigEndian32(p + kHashSlotCountPos, static_cast<uint32_t>(hash_slot_count_));
  PutBigEndian32(p + kIndexCountPos, static_cast<uint32_t>(index_count_));
}

void IndexFile::DecodeHeader(const char* p) {
  begin_timestamp_ = GetInt64(p + kBeginTimestampPos);
  end_timestamp_ = GetInt64(p + kEndTimestampPos);
  begin_phy_offset_ = GetInt64(p + kBeginPhyOffsetPos);
  end_phy_offset_ = GetInt64(p + kEndPhyOffsetPos);
  hash_slot_count_ = GetInt32(p + kHashSlotCountPos);
  index_count_ = GetInt32(p + kIndexCountPos);
}

int64_t IndexFile::SlotPosition(int32_t key_hash) const {
  return kHeaderSize + int64_t{key_hash % hash_slot_num_} * kHashSlotSize;
}

int64_t IndexFile::EntryPosition(int32_t index) const {
  return kHeaderSize + int64_t{hash_slot_num_} * kHashSlotSize + int64_t{index} * kIndexSize;
}

}  // namespace holdfast::store
