#include "store/store_checkpoint.h"

#include <string>

#include "common/byte_order.h"
#include "common/crc32.h"

namespace holdfast::store {

namespace {
constexpr size_t kCrcPos = 64;  // CRC32 of bytes [0, 64)
}

Result<std::unique_ptr<StoreCheckpoint>> StoreCheckpoint::Open(FileSystem* fs,
                                                               const std::string& path) {
  auto file = fs->Open(path, true);
  if (!file.ok()) return file.status();
  std::unique_ptr<StoreCheckpoint> cp(new StoreCheckpoint(std::move(file).value()));
  std::string page(kPageSize, '\0');
  auto n = cp->file_->Read(0, page.size(), page.data());
  if (!n.ok()) return n.status();
  if (*n >= kCrcPos + 4 &&
      Crc32(std::string_view(page).substr(0, kCrcPos)) == GetBigEndian32(page.data() + kCrcPos)) {
    const char* p = page.data();
    cp->physic_msg_timestamp = GetInt64(p + 0);
    cp->logics_msg_timestamp = GetInt64(p + 8);
    cp->index_msg_timestamp = GetInt64(p + 16);
    cp->master_flushed_offset = GetInt64(p + 24);
    cp->confirm_phy_offset = GetInt64(p + 32);
    cp->physic_flushed_offset = GetInt64(p + 40);
    cp->logics_flushed_offset = GetInt64(p + 48);
    cp->index_flushed_offset = GetInt64(p + 56);
    cp->valid_ = true;
  }
  return cp;
}

Status StoreCheckpoint::Flush() {
  std::string page(kPageSize, '\0');
  char* p = page.data();
  PutBigEndian64(p + 0, static_cast<uint64_t>(physic_msg_timestamp));
  PutBigEndian64(p + 8, static_cast<uint64_t>(logics_msg_timestamp));
  PutBigEndian64(p + 16, static_cast<uint64_t>(index_msg_timestamp));
  PutBigEndian64(p + 24, static_cast<uint64_t>(master_flushed_offset));
  PutBigEndian64(p + 32, static_cast<uint64_t>(confirm_phy_offset));
  PutBigEndian64(p + 40, static_cast<uint64_t>(physic_flushed_offset));
  PutBigEndian64(p + 48, static_cast<uint64_t>(logics_flushed_offset));
  PutBigEndian64(p + 56, static_cast<uint64_t>(index_flushed_offset));
  PutBigEndian32(p + kCrcPos, Crc32(std::string_view(page).substr(0, kCrcPos)));
  HOLDFAST_RETURN_IF_ERROR(file_->Write(0, page));
  HOLDFAST_RETURN_IF_ERROR(file_->Sync());
  valid_ = true;
  return Status::Ok();
}

}  // namespace holdfast::store
