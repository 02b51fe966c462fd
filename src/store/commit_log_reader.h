// Reads commit-log records in order from a start offset up to a limit, through a buffer, for the
// reput service and for recovery. It follows end-of-segment blanks to the next segment.
//
// Not thread-safe; one reader per scan. The reader never buffers bytes at or past `limit`, so
// bytes the writer has not finished are never seen.
#pragma once

#include <cstdint>
#include <string>

#include "common/message_codec.h"
#include "common/status.h"
#include "store/mapped_file_queue.h"

namespace holdfast::store {

inline constexpr int32_t kBlankMagicCode = static_cast<int32_t>(0xCBD43194);
// The writer always leaves room for a blank marker: int remaining + int magic.
inline constexpr int64_t kEndFileMinBlankLength = 8;

class CommitLogReader {
 public:
  enum class Kind {
    kRecord,  // *record holds the record at position() before the call
    kEnd,     // zeros, end of the segments, or the limit: nothing more to read
    kError,   // *error says what is wrong at position(), which does not advance
  };

  CommitLogReader(const MappedFileQueue* files, int64_t from, int64_t limit, bool check_crc);

  // Reads the next record. Blank markers are skipped. The record's views are valid until the
  // next call.
  Kind Next(MessageView* record, Status* error);

  // The offset of the next record to read (after a kError, of the bad one).
  int64_t position() const { return pos_; }

 private:
  // Makes [pos_, pos_ + n) readable in buf_; false (with *error set) on I/O failure.
  bool Fill(const MappedFile& file, size_t n, Status* error);

  const MappedFileQueue* const files_;
  const int64_t limit_;
  const bool check_crc_;
  int64_t pos_;
  std::string buf_;
  int64_t buf_start_ = 0;  // commit-log offset of buf_[0]
};

}  // namespace holdfast::store
