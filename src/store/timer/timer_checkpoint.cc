#include "store/timer/timer_checkpoint.h"

#include "common/byte_order.h"
#include "common/crc32.h"

namespace holdfast::store::timer {

namespace {

constexpr int64_t kCopySize = 512;
constexpr size_t kCrcPos = 40;  // seq, enqueue_offset, log_end, delivered_sec, slot_count

}  // namespace

Result<std::unique_ptr<TimerCheckpoint>> TimerCheckpoint::Open(FileSystem* fs,
                                                               const std::string& path) {
  auto file = fs->Open(path, /*create=*/true);
  if (!file.ok()) return file.status();
  std::unique_ptr<TimerCheckpoint> cp(new TimerCheckpoint(std::move(file).value()));
  for (int copy = 0; copy < 2; ++copy) {
    char buf[kCrcPos + 4];
    auto n = cp->file_->Read(copy * kCopySize, sizeof buf, buf);
    if (!n.ok()) return n.status();
    if (*n != sizeof buf) continue;
    if (GetBigEndian32(buf + kCrcPos) != Crc32(std::string_view(buf, kCrcPos))) continue;
    const int64_t seq = GetInt64(buf);
    if (cp->valid_ && seq <= cp->seq_) continue;
    cp->valid_ = true;
    cp->seq_ = seq;
    cp->progress_.enqueue_offset = GetInt64(buf + 8);
    cp->progress_.log_end = GetInt64(buf + 16);
    cp->progress_.delivered_sec = GetInt64(buf + 24);
    cp->progress_.slot_count = GetInt64(buf + 32);
  }
  return cp;
}

Status TimerCheckpoint::Flush(const TimerProgress& p) {
  const int64_t seq = seq_ + 1;
  char buf[kCrcPos + 4];
  PutBigEndian64(buf, static_cast<uint64_t>(seq));
  PutBigEndian64(buf + 8, static_cast<uint64_t>(p.enqueue_offset));
  PutBigEndian64(buf + 16, static_cast<uint64_t>(p.log_end));
  PutBigEndian64(buf + 24, static_cast<uint64_t>(p.delivered_sec));
  PutBigEndian64(buf + 32, static_cast<uint64_t>(p.slot_count));
  PutBigEndian32(buf + kCrcPos, Crc32(std::string_view(buf, kCrcPos)));
  HOLDFAST_RETURN_IF_ERROR(file_->Write((seq % 2) * kCopySize, std::string_view(buf, sizeof buf)));
  HOLDFAST_RETURN_IF_ERROR(file_->Sync());
  seq_ = seq;
  progress_ = p;
  valid_ = true;
  return Status::Ok();
}

}  // namespace holdfast::store::timer
