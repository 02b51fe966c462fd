// One file of RocketMQ's message index (IndexFile): a hash table from "topic#key" to commit-log
// offsets, in the byte layout of the docs/protocol.md §7.3, so a file written by a Java broker
// can be read here and the other way round. The whole file is kept memory-mapped while open. On
// disk it is sparse at its full length: the header and the hash slots have their blocks from
// Create on, the entries as keys reach them, so a file of a few keys takes the slot table's
// blocks (maxHashSlotNum * 4 bytes), not the whole file's.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "store/file_system.h"

namespace holdfast::store {

// Lifecycle: Create a new file or Open an existing one; PutKey until IsFull; Flush; drop.
//
// Thread safety: none inside. PutKey and Flush need exclusive access; the const methods may run
// concurrently with each other; Sync may run concurrently with anything.
class IndexFile {
 public:
  static constexpr int64_t kHeaderSize = 40;
  static constexpr int64_t kHashSlotSize = 4;
  static constexpr int64_t kIndexSize = 20;

  // Bytes a file with this geometry takes: 40 + hash_slot_num * 4 + index_num * 20.
  static int64_t FileSize(int32_t hash_slot_num, int32_t index_num);

  // The hash RocketMQ files a key under: |Java String.hashCode(key)|, with Integer.MIN_VALUE
  // (whose absolute value Java leaves negative) mapped to 0.
  static int32_t KeyHash(std::string_view key);

  // Creates a new, empty file at path with hash_slot_num slots and room for index_num - 1 keys
  // (entry 0 is never used). The begin offset/timestamp are placeholders until the first PutKey,
  // which replaces them. The blocks of the header and the slots are reserved up front, those of
  // the entries by PutKey, a step ahead of the keys (reservation_step.h). On success
  // the file, its full size and its header are durable (file and directory synced), so a crash
  // never leaves a half-made file behind. Errors: AlreadyExists if path exists, InvalidArgument
  // for hash_slot_num < 1 or index_num < 2, NoSpace when the disk cannot hold the file, I/O
  // errors.
  static Result<std::unique_ptr<IndexFile>> Create(FileSystem* fs, const std::string& path,
                                                   int32_t hash_slot_num, int32_t index_num,
                                                   int64_t begin_phy_offset,
                                                   int64_t begin_timestamp);

  // Opens an existing file that was created with the same geometry. Returns Corruption naming
  // the file when its size does not match the geometry or its header is impossible (index count
  // outside [1, index_num], negative slot count or offsets). The slots and entries are not
  // checked here: queries tolerate garbage in them. A file that is not full gets the blocks of
  // its header and slots reserved (files made elsewhere may be sparse), so this can also fail
  // with NoSpace; other errors are I/O errors (including failure to map the file). Reads only the
  // header, and faults nothing in.
  static Result<std::unique_ptr<IndexFile>> Open(FileSystem* fs, const std::string& path,
                                                 int32_t hash_slot_num, int32_t index_num);

  IndexFile(const IndexFile&) = delete;
  IndexFile& operator=(const IndexFile&) = delete;

  // True when no entry is left for PutKey.
  bool IsFull() const { return index_count_ >= index_num_; }

  // Adds key -> phy_offset, stamped with store_timestamp (milliseconds). The entry, its slot and
  // the header are stored into the mapping: in the page cache at once (they survive the process
  // dying), durable after the next Flush or Sync. Fails with InvalidArgument when the file is
  // full, and with NoSpace (or an I/O error) when the entry's blocks cannot be reserved; then
  // nothing was stored.
  Status PutKey(std::string_view key, int64_t phy_offset, int64_t store_timestamp);

  // Appends to *out the offsets filed under key's hash whose store time is in [begin, end]
  // (milliseconds, inclusive), newest first, until out->size() reaches max_num. Offsets already in
  // *out are not added again, so one vector can collect across files without duplicates.
  // Results are candidates: a different key with the same hash also matches, and because entry
  // times are kept to the second an entry matches when its store second overlaps the range.
  // Garbage in the slots or entries (a torn file) yields wrong candidates but never a crash or an
  // endless walk.
  void SelectPhyOffsets(std::vector<int64_t>* out, std::string_view key, size_t max_num,
                        int64_t begin, int64_t end) const;

  // True when this file holds at least one key and its time range could overlap [begin, end].
  bool IsTimeMatched(int64_t begin, int64_t end) const;

  // Rewrites the header and syncs: everything PutKey stored is durable when this returns ok.
  Status Flush();
  // Syncs what PutKey has stored (PutKey already stores the header): durable when this returns
  // ok.
  Status Sync();

  const std::string& path() const { return file_->path(); }
  int32_t hash_slot_num() const { return hash_slot_num_; }
  int32_t index_num() const { return index_num_; }
  // Header fields. begin_* and end_* are those of the first and last key put (the placeholders
  // from Create while empty); index_count is 1 + the number of keys.
  int64_t begin_timestamp() const { return begin_timestamp_; }
  int64_t end_timestamp() const { return end_timestamp_; }
  int64_t begin_phy_offset() const { return begin_phy_offset_; }
  int64_t end_phy_offset() const { return end_phy_offset_; }
  int32_t hash_slot_count() const { return hash_slot_count_; }
  int32_t index_count() const { return index_count_; }

 private:
  IndexFile(std::unique_ptr<File> file, int32_t hash_slot_num, int32_t index_num);

  // The header fields as 40 bytes at p.
  void EncodeHeader(char* p) const;
  void DecodeHeader(const char* p);
  int64_t SlotPosition(int32_t key_hash) const;
  int64_t EntryPosition(int32_t index) const;

  // Constant after construction.
  const std::unique_ptr<File> file_;
  const int32_t hash_slot_num_;
  const int32_t index_num_;
  // Set once by Open, before the object is handed out: all FileSize bytes of file_.
  std::unique_ptr<MappedRegion> region_;
  char* data_ = nullptr;  // region_->data()

  // The header, as last stored by PutKey or read by Open.
  int64_t begin_timestamp_ = 0;
  int64_t end_timestamp_ = 0;
  int64_t begin_phy_offset_ = 0;
  int64_t end_phy_offset_ = 0;
  int32_t hash_slot_count_ = 0;
  int32_t index_count_ = 1;
  // The entries below this file position have their blocks (PutKey reserves ahead of it).
  int64_t entries_reserved_ = 0;
};

}  // namespace holdfast::store
