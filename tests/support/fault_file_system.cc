#include "tests/support/fault_file_system.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>
#include <shared_mutex>
#include <thread>
#include <utility>

#include "common/logging.h"

namespace holdfast::testing {

namespace {

Status Crashed() { return Status::IoError("simulated crash"); }

Result<std::string> ReadAll(const store::File& file) {
  auto size = file.Size();
  if (!size.ok()) return size.status();
  std::string data(static_cast<size_t>(*size), '\0');
  auto n = file.Read(0, data.size(), data.data());
  if (!n.ok()) return n.status();
  data.resize(*n);
  return data;
}

}  // namespace

// What a power cut would do to one file. One per path, shared by every File open on it.
//
// Sequence numbers order undo records and sync snapshots within the file: a Sync takes a snapshot
// (the file size and a sequence number) before its fdatasync and, once that returned ok, makes the
// snapshot the synced state, dropping the undo records older than it. While a Sync is in flight,
// overwrites below its snapshot size are recorded too, so the snapshot can be restored exactly.
//
// Snapshot mode (from the first Map on): stores through a mapping bypass Write, so undo records
// would miss them. The synced state is then a copy of the whole content instead, and a Sync's
// snapshot is a copy of the content too; Writes, Truncates and Allocates record nothing.
struct FaultInjectionFileSystem::PathState {
  struct Undo {
    uint64_t seq;
    int64_t offset;
    std::string old_bytes;
  };

  // Protected by the FileSystem's mu_.
  std::string path;
  bool created = false;  // did not exist before this FileSystem opened it

  std::mutex mu;
  // Protected by mu.
  int64_t synced_size = 0;
  bool ever_synced = false;
  uint64_t next_seq = 1;
  uint64_t synced_seq = 0;                   // the snapshot synced_size comes from
  std::map<uint64_t, int64_t> pending_sync;  // snapshot seq -> size, for Syncs in flight
  std::vector<Undo> undo;
  bool mapped = false;  // snapshot mode
  // Snapshot mode only: the synced content (synced_size is its size), and the snapshots of Syncs
  // in flight by sequence number.
  std::string snapshot;
  std::map<uint64_t, std::string> pending_content;
  std::multiset<size_t> live_regions;  // sizes of the MappedRegions not yet destroyed

  // Overwrites below this size must be recorded (caller holds mu).
  int64_t ProtectedSize() const {
    int64_t size = synced_size;
    for (const auto& [seq, pending_size] : pending_sync) size = std::max(size, pending_size);
    return size;
  }

  // Saves the current content of [begin, end) that lies below ProtectedSize() (caller holds mu).
  Status RecordUndo(const store::File& base, int64_t begin, int64_t end) {
    end = std::min(end, ProtectedSize());
    if (begin >= end) return Status::Ok();
    std::string old(static_cast<size_t>(end - begin), '\0');
    auto n = base.Read(begin, old.size(), old.data());
    if (!n.ok()) return n.status();
    old.resize(*n);
    if (!old.empty()) undo.push_back(Undo{next_seq++, begin, std::move(old)});
    return Status::Ok();
  }

  // `content` (the current content) with the undo records newer than `seq` rolled back and cut to
  // `size`: what a drop would leave if the snapshot `seq` of that size were the synced one (caller
  // holds mu).
  std::string RolledBack(std::string content, uint64_t seq, int64_t size) const {
    for (auto u = undo.rbegin(); u != undo.rend(); ++u) {
      if (u->seq <= seq) continue;
      const size_t offset = static_cast<size_t>(u->offset);
      if (content.size() < offset + u->old_bytes.size()) {
        content.resize(offset + u->old_bytes.size(), '\0');
      }
      content.replace(offset, u->old_bytes.size(), u->old_bytes);
    }
    content.resize(static_cast<size_t>(size), '\0');
    return content;
  }

  // Switches to snapshot mode: the synced state, and the snapshots of Syncs in flight, become
  // copies of what a drop would leave for each (caller holds mu).
  Status EnterSnapshotMode(const store::File& base) {
    auto current = ReadAll(base);
    if (!current.ok()) return current.status();
    for (const auto& [seq, size] : pending_sync) {
      pending_content.emplace(seq, RolledBack(*current, seq, size));
    }
    snapshot = RolledBack(std::move(current).value(), synced_seq, synced_size);
    pending_sync.clear();
    undo.clear();
    mapped = true;
    return Status::Ok();
  }

  // Snapshot mode: writes the synced copy back over the file and cuts the file to its size, but
  // never shorter than a live region reaches (accesses past the end of a file are SIGBUS): up to
  // there the bytes past the synced size are zeroed instead (caller holds mu).
  Status RestoreSnapshot(store::File& file) const {
    HOLDFAST_RETURN_IF_ERROR(file.Write(0, snapshot));
    int64_t keep = static_cast<int64_t>(snapshot.size());
    if (!live_regions.empty() && static_cast<int64_t>(*live_regions.rbegin()) > keep) {
      const size_t tail = *live_regions.rbegin() - snapshot.size();
      HOLDFAST_RETURN_IF_ERROR(file.Write(keep, std::string(tail, '\0')));
      keep += static_cast<int64_t>(tail);
    }
    auto size = file.Size();
    if (!size.ok()) return size.status();
    if (*size != keep) return file.Truncate(keep);
    return Status::Ok();
  }
};

class FaultInjectionFileSystem::FaultFile final : public store::File {
 public:
  FaultFile(FaultInjectionFileSystem* fs, std::unique_ptr<store::File> base,
            std::shared_ptr<PathState> state, uint64_t epoch)
      : fs_(fs), base_(std::move(base)), state_(std::move(state)), epoch_(epoch) {}

  Status Write(int64_t offset, std::string_view data) override {
    return fs_->FileWrite(*state_, *base_, epoch_, offset, data);
  }
  Result<size_t> Read(int64_t offset, size_t n, char* buf) const override {
    return fs_->FileRead(*base_, epoch_, offset, n, buf);
  }
  Status Sync() override { return fs_->FileSync(*state_, *base_, epoch_); }
  Status Truncate(int64_t size) override {
    return fs_->FileTruncate(*state_, *base_, epoch_, size);
  }
  Status Allocate(int64_t offset, int64_t length) override {
    return fs_->FileAllocate(*state_, *base_, epoch_, offset, length);
  }
  Result<std::unique_ptr<store::MappedRegion>> Map(size_t size) override {
    return fs_->FileMap(state_, *base_, epoch_, size);
  }
  Result<int64_t> Size() const override { return fs_->FileSize(*base_, epoch_); }
  const std::string& path() const override { return base_->path(); }

 private:
  FaultInjectionFileSystem* const fs_;
  const std::unique_ptr<store::File> base_;
  const std::shared_ptr<PathState> state_;
  const uint64_t epoch_;
};

// A mapping of the underlying file that tells its PathState how far it reaches while it lives.
class FaultInjectionFileSystem::FaultRegion final : public store::MappedRegion {
 public:
  // Caller holds state->mu and has added base->size() to state->live_regions.
  FaultRegion(std::unique_ptr<store::MappedRegion> base, std::shared_ptr<PathState> state)
      : base_(std::move(base)), state_(std::move(state)) {}
  ~FaultRegion() override {
    const size_t size = base_->size();
    base_.reset();  // unmapped before a drop may cut the file below it
    std::lock_guard lock(state_->mu);
    state_->live_regions.erase(state_->live_regions.find(size));
  }
  char* data() override { return base_->data(); }
  size_t size() const override { return base_->size(); }

 private:
  std::unique_ptr<store::MappedRegion> base_;
  const std::shared_ptr<PathState> state_;
};

void FaultInjectionFileSystem::Gate::lock_shared() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [this] { return !exclusive_; });
  ++shared_;
}

void FaultInjectionFileSystem::Gate::unlock_shared() {
  std::lock_guard lock(mu_);
  if (--shared_ == 0) cv_.notify_all();
}

void FaultInjectionFileSystem::Gate::lock() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [this] { return !exclusive_; });
  exclusive_ = true;
  cv_.wait(lock, [this] { return shared_ == 0; });
}

void FaultInjectionFileSystem::Gate::unlock() {
  std::lock_guard lock(mu_);
  exclusive_ = false;
  cv_.notify_all();
}

FaultInjectionFileSystem::FaultInjectionFileSystem(store::FileSystem* base) : base_(base) {}

FaultInjectionFileSystem::~FaultInjectionFileSystem() = default;

Result<std::unique_ptr<store::File>> FaultInjectionFileSystem::Open(const std::string& path,
                                                                    bool create) {
  std::shared_lock gate(gate_);
  if (dead_) return Crashed();
  const bool existed = !create || base_->Exists(path);
  auto file = base_->Open(path, create);
  if (!file.ok()) return file.status();
  std::shared_ptr<PathState> state;
  {
    std::lock_guard lock(mu_);
    auto [it, inserted] = files_.try_emplace(path);
    if (inserted) {
      it->second = std::make_shared<PathState>();
      it->second->path = path;
      it->second->created = !existed;
      if (existed) {
        auto size = (*file)->Size();
        if (!size.ok()) {
          files_.erase(it);
          return size.status();
        }
        it->second->synced_size = *size;
      }
    }
    state = it->second;
  }
  return std::unique_ptr<store::File>(
      std::make_unique<FaultFile>(this, std::move(file).value(), std::move(state), epoch_));
}

Status FaultInjectionFileSystem::CreateDirs(const std::string& path) {
  std::shared_lock gate(gate_);
  if (dead_) return Crashed();
  return base_->CreateDirs(path);
}

Status FaultInjectionFileSystem::SyncDir(const std::string& path) {
  std::chrono::milliseconds delay;
  {
    std::shared_lock gate(gate_);
    if (dead_) return Crashed();
    std::lock_guard lock(mu_);
    ++sync_dir_count_;
    if (sync_error_ && path.find(sync_error_path_) != std::string::npos) {
      ++injected_sync_failures_;
      return *sync_error_;
    }
    delay = sync_delay_;
  }
  if (delay.count() > 0) std::this_thread::sleep_for(delay);
  // Renames and removals are already durable in the model: the directory sync changes nothing
  // there, so it runs without the gate, like a file's fdatasync.
  {
    std::shared_lock gate(gate_);
    if (dead_) return Crashed();
  }
  return base_->SyncDir(path);
}

Result<std::vector<std::string>> FaultInjectionFileSystem::ListDir(const std::string& path) {
  std::shared_lock gate(gate_);
  if (dead_) return Crashed();
  if (Status injected = InjectedReadError(path); !injected.ok()) return injected;
  return base_->ListDir(path);
}

bool FaultInjectionFileSystem::Exists(const std::string& path) { return base_->Exists(path); }

Status FaultInjectionFileSystem::Remove(const std::string& path) {
  std::shared_lock gate(gate_);
  if (dead_) return Crashed();
  HOLDFAST_RETURN_IF_ERROR(base_->Remove(path));
  std::lock_guard lock(mu_);
  files_.erase(path);
  return Status::Ok();
}

Status FaultInjectionFileSystem::Rename(const std::string& from, const std::string& to) {
  std::shared_lock gate(gate_);
  if (dead_) return Crashed();
  HOLDFAST_RETURN_IF_ERROR(base_->Rename(from, to));
  std::lock_guard lock(mu_);
  // Whatever was at `to` is gone. Then move the state of `from`, or of everything under it when
  // it is a directory.
  files_.erase(to);
  const std::string dir_prefix = from + "/";
  std::vector<std::pair<std::string, std::shared_ptr<PathState>>> moved;
  for (auto it = files_.begin(); it != files_.end();) {
    if (it->first == from || it->first.starts_with(dir_prefix)) {
      std::string new_path = to + it->first.substr(from.size());
      it->second->path = new_path;
      moved.emplace_back(std::move(new_path), std::move(it->second));
      it = files_.erase(it);
    } else {
      ++it;
    }
  }
  for (auto& [path, state] : moved) files_[path] = std::move(state);
  return Status::Ok();
}

Status FaultInjectionFileSystem::DropUnsyncedData() {
  std::unique_lock gate(gate_);
  return DropUnsyncedDataLocked();
}

Status FaultInjectionFileSystem::DropUnsyncedDataLocked() {
  std::lock_guard lock(mu_);
  Status first_error;
  auto note = [&first_error](Status status) {
    if (!status.ok() && first_error.ok()) first_error = std::move(status);
  };
  // Returns whether the path's tracking state should be forgotten. The entry is erased only after
  // its mutex is released, as erasing may free the state the lock lives in.
  auto drop = [&](PathState& state) {
    std::lock_guard state_lock(state.mu);
    if (state.created && !state.ever_synced) {
      if (base_->Exists(state.path)) note(base_->Remove(state.path));
      return true;
    }
    auto file = base_->Open(state.path, false);
    if (!file.ok()) {
      if (file.status().IsNotFound()) return true;  // removed behind our back: nothing to restore
      note(file.status());
      return false;
    }
    if (state.mapped) {
      note(state.RestoreSnapshot(**file));
    } else {
      for (auto undo = state.undo.rbegin(); undo != state.undo.rend(); ++undo) {
        note((*file)->Write(undo->offset, undo->old_bytes));
      }
      auto size = (*file)->Size();
      if (!size.ok()) {
        note(size.status());
      } else if (*size != state.synced_size) {
        note((*file)->Truncate(state.synced_size));
      }
    }
    state.undo.clear();
    state.pending_sync.clear();
    state.pending_content.clear();
    state.synced_seq = state.next_seq++;  // Syncs still in flight no longer count
    return false;
  };
  for (auto it = files_.begin(); it != files_.end();) {
    if (drop(*it->second)) {
      it = files_.erase(it);
    } else {
      ++it;
    }
  }
  return first_error;
}

void FaultInjectionFileSystem::Crash() {
  std::unique_lock gate(gate_);
  Status status = DropUnsyncedDataLocked();
  if (!status.ok()) {
    spdlog::error("FaultInjectionFileSystem: dropping unsynced data: {}", status.ToString());
  }
  dead_ = true;
}

void FaultInjectionFileSystem::Revive() {
  std::unique_lock gate(gate_);
  std::lock_guard lock(mu_);
  // The crashed "process" may have stored into its mappings after the drop: drop that too. Other
  // files cannot have changed, as every call of a dead File fails.
  for (const auto& [path, state] : files_) {
    if (!dead_) break;
    std::lock_guard state_lock(state->mu);
    if (!state->mapped) continue;
    if (!state->live_regions.empty()) {
      spdlog::critical(
          "FaultInjectionFileSystem: Revive() while a MappedRegion of {} from before the Crash() "
          "is alive; destroy them (the crashed store) first",
          path);
    }
    HOLDFAST_CHECK(state->live_regions.empty());
    auto file = base_->Open(path, false);
    Status status = file.ok() ? state->RestoreSnapshot(**file) : file.status();
    if (!status.ok()) {
      spdlog::error("FaultInjectionFileSystem: undoing stores after the crash: {}",
                    status.ToString());
    }
  }
  files_.clear();
  dead_ = false;
  ++epoch_;
}

bool FaultInjectionFileSystem::crashed() const {
  std::shared_lock gate(gate_);
  return dead_;
}

void FaultInjectionFileSystem::FailWritesAfter(int64_t bytes, Status error) {
  std::lock_guard lock(mu_);
  write_budget_ = std::max<int64_t>(bytes, 0);
  write_error_ = error.ok() ? Status::IoError("injected write failure") : std::move(error);
}

void FaultInjectionFileSystem::FailAllocations(Status error) {
  std::lock_guard lock(mu_);
  allocation_error_ =
      error.ok() ? Status::IoError("injected allocation failure") : std::move(error);
}

void FaultInjectionFileSystem::FailSyncs(Status error, std::string path_part) {
  std::lock_guard lock(mu_);
  sync_error_ = error.ok() ? Status::IoError("injected sync failure") : std::move(error);
  sync_error_path_ = std::move(path_part);
}

void FaultInjectionFileSystem::FailReads(Status error, std::string path_part, int64_t after) {
  std::lock_guard lock(mu_);
  read_error_ = error.ok() ? Status::IoError("injected read failure") : std::move(error);
  read_error_path_ = std::move(path_part);
  reads_before_error_ = std::max<int64_t>(after, 0);
}

void FaultInjectionFileSystem::SetSyncDelay(std::chrono::milliseconds delay) {
  std::lock_guard lock(mu_);
  sync_delay_ = delay;
}

void FaultInjectionFileSystem::ClearFaults() {
  std::lock_guard lock(mu_);
  write_budget_.reset();
  write_error_ = Status::Ok();
  allocation_error_.reset();
  sync_error_.reset();
  sync_error_path_.clear();
  read_error_.reset();
  read_error_path_.clear();
  reads_before_error_ = 0;
  sync_delay_ = std::chrono::milliseconds(0);
}

int64_t FaultInjectionFileSystem::sync_count() const {
  std::lock_guard lock(mu_);
  return sync_count_;
}

int64_t FaultInjectionFileSystem::sync_dir_count() const {
  std::lock_guard lock(mu_);
  return sync_dir_count_;
}

int64_t FaultInjectionFileSystem::bytes_written() const {
  std::lock_guard lock(mu_);
  return bytes_written_;
}

int64_t FaultInjectionFileSystem::injected_sync_failures() const {
  std::lock_guard lock(mu_);
  return injected_sync_failures_;
}

int64_t FaultInjectionFileSystem::injected_read_failures() const {
  std::lock_guard lock(mu_);
  return injected_read_failures_;
}

Status FaultInjectionFileSystem::FileWrite(PathState& state, store::File& base, uint64_t epoch,
                                           int64_t offset, std::string_view data) {
  std::shared_lock gate(gate_);
  if (!Alive(epoch)) return Crashed();
  Status injected;
  {
    std::lock_guard lock(mu_);
    if (write_budget_) {
      if (static_cast<int64_t>(data.size()) > *write_budget_) {
        data = data.substr(0, static_cast<size_t>(*write_budget_));
        injected = write_error_;
      }
      *write_budget_ -= static_cast<int64_t>(data.size());
    }
    bytes_written_ += static_cast<int64_t>(data.size());
  }
  if (!data.empty()) {
    std::lock_guard lock(state.mu);
    if (!state.mapped) {
      HOLDFAST_RETURN_IF_ERROR(
          state.RecordUndo(base, offset, offset + static_cast<int64_t>(data.size())));
    }
    HOLDFAST_RETURN_IF_ERROR(base.Write(offset, data));
  }
  return injected;
}

Result<size_t> FaultInjectionFileSystem::FileRead(const store::File& base, uint64_t epoch,
                                                  int64_t offset, size_t n, char* buf) const {
  std::shared_lock gate(gate_);
  if (!Alive(epoch)) return Crashed();
  if (Status injected = InjectedReadError(base.path()); !injected.ok()) return injected;
  return base.Read(offset, n, buf);
}

Status FaultInjectionFileSystem::InjectedReadError(const std::string& path) const {
  std::lock_guard lock(mu_);
  if (!read_error_ || path.find(read_error_path_) == std::string::npos) return Status::Ok();
  if (reads_before_error_ > 0) {
    --reads_before_error_;
    return Status::Ok();
  }
  ++injected_read_failures_;
  return *read_error_;
}

Status FaultInjectionFileSystem::FileSync(PathState& state, store::File& base, uint64_t epoch) {
  std::chrono::milliseconds delay;
  {
    std::shared_lock gate(gate_);
    if (!Alive(epoch)) return Crashed();
    std::lock_guard lock(mu_);
    ++sync_count_;
    if (sync_error_ && base.path().find(sync_error_path_) != std::string::npos) {
      ++injected_sync_failures_;
      return *sync_error_;
    }
    delay = sync_delay_;
  }
  if (delay.count() > 0) std::this_thread::sleep_for(delay);

  // Snapshot: everything written before this point is what the fdatasync below covers.
  uint64_t seq;
  int64_t size;
  {
    std::shared_lock gate(gate_);
    if (!Alive(epoch)) return Crashed();
    std::lock_guard lock(state.mu);
    if (state.mapped) {
      // The copy is read before the fdatasync, not after: every store it holds was in the page
      // cache when fdatasync was called, so is covered by it. A copy read afterwards could hold
      // stores made while (after writeback passed their page) or after the fdatasync ran, and
      // count as durable bytes that nothing made durable. Stores racing the read may or may not
      // be in the copy, as the model allows.
      auto content = ReadAll(base);
      if (!content.ok()) return content.status();
      size = static_cast<int64_t>(content->size());
      seq = state.next_seq++;
      state.pending_content.emplace(seq, std::move(content).value());
    } else {
      auto current = base.Size();
      if (!current.ok()) return current.status();
      size = *current;
      seq = state.next_seq++;
      state.pending_sync.emplace(seq, size);
    }
  }

  Status synced = base.Sync();  // no lock held: writes to this file go on meanwhile

  std::shared_lock gate(gate_);
  if (!Alive(epoch)) return Crashed();  // the crash already dropped whatever this sync covered
  std::lock_guard lock(state.mu);
  state.pending_sync.erase(seq);
  // Taken by this Sync in snapshot mode, or made from the undo records by a Map since it began.
  auto content = state.pending_content.extract(seq);
  if (!synced.ok()) return synced;
  if (seq > state.synced_seq) {  // else a later snapshot (or a drop) already superseded this one
    state.synced_size = size;
    state.synced_seq = seq;
    state.ever_synced = true;
    if (state.mapped) {
      HOLDFAST_CHECK(!content.empty());
      state.snapshot = std::move(content.mapped());
    } else {
      std::erase_if(state.undo, [seq](const PathState::Undo& u) { return u.seq < seq; });
    }
  }
  return Status::Ok();
}

Status FaultInjectionFileSystem::FileTruncate(PathState& state, store::File& base, uint64_t epoch,
                                              int64_t size) {
  std::shared_lock gate(gate_);
  if (!Alive(epoch)) return Crashed();
  std::lock_guard lock(state.mu);
  auto current = base.Size();
  if (!current.ok()) return current.status();
  if (!state.mapped) HOLDFAST_RETURN_IF_ERROR(state.RecordUndo(base, size, *current));
  return base.Truncate(size);
}

Status FaultInjectionFileSystem::FileAllocate(PathState& state, store::File& base, uint64_t epoch,
                                              int64_t offset, int64_t length) {
  std::shared_lock gate(gate_);
  if (!Alive(epoch)) return Crashed();
  {
    std::lock_guard lock(mu_);
    if (allocation_error_) return *allocation_error_;
  }
  // Allocation changes no byte and never shrinks the file, so there is nothing to record: a drop
  // cuts a grown file back to its synced size like any other extension.
  std::lock_guard lock(state.mu);
  return base.Allocate(offset, length);
}

Result<std::unique_ptr<store::MappedRegion>> FaultInjectionFileSystem::FileMap(
    const std::shared_ptr<PathState>& state, store::File& base, uint64_t epoch, size_t size) {
  std::shared_lock gate(gate_);
  if (!Alive(epoch)) return Crashed();
  std::lock_guard lock(state->mu);
  auto region = base.Map(size);
  if (!region.ok()) return region.status();
  if (!state->mapped) HOLDFAST_RETURN_IF_ERROR(state->EnterSnapshotMode(base));
  state->live_regions.insert((*region)->size());
  return std::unique_ptr<store::MappedRegion>(
      std::make_unique<FaultRegion>(std::move(region).value(), state));
}

Result<int64_t> FaultInjectionFileSystem::FileSize(const store::File& base, uint64_t epoch) const {
  std::shared_lock gate(gate_);
  if (!Alive(epoch)) return Crashed();
  return base.Size();
}

}  // namespace holdfast::testing
