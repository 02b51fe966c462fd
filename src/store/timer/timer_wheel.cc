#include "store/timer/timer_wheel.h"

#include <cstring>

#include "common/byte_order.h"

namespace holdfast::store::timer {

Result<std::unique_ptr<TimerWheel>> TimerWheel::Open(FileSystem* fs, const std::string& path,
                                                     int64_t slot_count, bool* created) {
  const int64_t size = slot_count * kSlotSize;
  auto file = fs->Open(path, /*create=*/true);
  if (!file.ok()) return file.status();
  auto current = (*file)->Size();
  if (!current.ok()) return current.status();
  *created = *current != size;
  if (*created) {
    // A new wheel, or one for another ring size: empty, all of it reserved so that stores through
    // the mapping never meet a full disk.
    HOLDFAST_RETURN_IF_ERROR((*file)->Truncate(0));
    HOLDFAST_RETURN_IF_ERROR((*file)->Allocate(0, size));
    HOLDFAST_RETURN_IF_ERROR((*file)->Sync());
  }
  auto region = (*file)->Map(static_cast<size_t>(size));
  if (!region.ok()) return region.status();
  std::unique_ptr<TimerWheel> wheel(
      new TimerWheel(std::move(file).value(), std::move(region).value(), slot_count));
  return wheel;
}

int64_t TimerWheel::Second(int64_t index) const {
  return GetInt64(region_->data() + index * kSlotSize);
}

int64_t TimerWheel::HeadAt(int64_t index) const {
  const char* p = region_->data() + index * kSlotSize;
  // An untouched slot is all zeros: second 0 with head 0 is no list (no real second is 0).
  if (GetInt64(p) == 0) return -1;
  return GetInt64(p + 8);
}

int64_t TimerWheel::Head(int64_t sec) const {
  const int64_t i = Index(sec);
  return Second(i) == sec ? HeadAt(i) : -1;
}

void TimerWheel::SetHead(int64_t sec, int64_t head) {
  char* p = region_->data() + Index(sec) * kSlotSize;
  PutBigEndian64(p, static_cast<uint64_t>(sec));
  PutBigEndian64(p + 8, static_cast<uint64_t>(head));
}

void TimerWheel::Clear() { std::memset(region_->data(), 0, region_->size()); }

}  // namespace holdfast::store::timer
