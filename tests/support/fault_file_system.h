// A FileSystem for tests that simulates power loss and failing disks, in the spirit of LevelDB's
// fault_injection_test and RocksDB's FaultInjectionTestFS. It wraps another FileSystem (the POSIX
// one by default) and passes every operation through, while remembering what a power cut would
// take away.
//
// What survives a power cut (the model):
//   - A file's bytes as of its last successful Sync(): the file is cut back to the size it had when
//     that Sync started, and bytes below that size overwritten (or truncated away) since then get
//     their old content back. Allocate() changes no bytes; growing a file with it is like growing
//     it with Truncate(). A file that existed before it was first opened here counts as synced at
//     the size it had then.
//   - A file created through this FileSystem and never synced disappears, whether or not its
//     directory was synced, and whether or not it was mapped. A synced file survives even if its
//     directory never was.
//   - Remove and Rename are durable at once (SyncDir is passed through but changes nothing here).
//   - A write, truncate or store into a mapping running concurrently with a Sync of the same file
//     may or may not count as covered by that Sync; anything finished before Sync was called is
//     covered, and nothing begun after it returned is.
// Only files opened through this FileSystem are tracked; others are never touched.
//
// Mapped files: Map() returns a real shared mapping of the file, so stores into it cannot be
// intercepted. Instead, from the first Map() of a path on, the FileSystem keeps a copy of the
// file's synced content (what a power cut would leave at that moment) and each successful Sync()
// replaces the copy with the file's whole content as it was when that Sync began; a drop writes the
// copy back over the file and cuts the file to its size. Whole-file copies: meant for the small
// files of tests (up to a few MB).
//
// Crash() applies that model (DropUnsyncedData) and then plays dead: every later mutating call
// (Open, Write, Truncate, Allocate, Map, Sync, CreateDirs, SyncDir, Remove, Rename), and Read, Size
// and ListDir, fails with IoError("simulated crash") and changes nothing, including calls through
// File objects opened before the crash. Calls already under way when Crash() is called either
// finish before the drop or fail. Revive() returns to normal: what is on disk then is the new
// synced state. File objects opened before Revive() (so all those of the crashed "process") fail
// forever; reopen files after it.
//
// MappedRegions of the crashed "process" stay valid memory until destroyed, because its threads may
// go on storing into them until it is torn down: while a region is alive no drop cuts its file
// shorter than the region reaches (the bytes past the synced size are zeroed instead), and its
// stores after Crash() do reach the file. Revive() therefore restores the synced copies of mapped
// files once more and cuts them to size. The caller must destroy every MappedRegion obtained before
// Crash() (in practice: destroy the store) before calling Revive(); one still alive then aborts.
//
// Fault injection (counted across all files, and until ClearFaults()): FailWritesAfter lets that
// many more bytes through, then a Write that crosses the limit writes the prefix that fits and
// returns the injected error, and later Writes write nothing and return it; stores into mappings
// are neither counted nor stopped. FailAllocations makes every Allocate return the error without
// allocating (ENOSPC at preallocation). FailSyncs makes every Sync and SyncDir return the error
// without syncing, so the data stays unsynced; given a path part, only those of paths that
// contain it (a failing disk under one directory, "/consumequeue/" say). FailReads makes every
// File::Read and ListDir of such paths return the error, after letting the first `after` of them
// through (loads through a mapping cannot be failed).
// SetSyncDelay makes each Sync and SyncDir sleep first, like a slow disk.
//
// Threading: every method may be called from any thread; Files opened here follow the contract of
// store::File. Writes to different files run in parallel, and a Sync (its delay and the underlying
// fdatasync) holds no lock, so writes to the same file proceed while it runs; Writes, Truncates,
// Allocates and Maps of one file are serialised with each other (and with the copy a Sync of a
// mapped file takes). Crash(), Revive() and DropUnsyncedData() wait for calls under way to finish
// and hold later ones back while they run; stores into mappings are never held back. The wrapped
// FileSystem must outlive this one, and this one must outlive every File it opened; a MappedRegion
// may be destroyed on any thread, also after this FileSystem.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "store/file_system.h"

namespace holdfast::testing {

class FaultInjectionFileSystem final : public store::FileSystem {
 public:
  explicit FaultInjectionFileSystem(store::FileSystem* base = store::FileSystem::Default());
  ~FaultInjectionFileSystem() override;
  FaultInjectionFileSystem(const FaultInjectionFileSystem&) = delete;
  FaultInjectionFileSystem& operator=(const FaultInjectionFileSystem&) = delete;

  // store::FileSystem. Exists passes through even after Crash(); everything else fails then.
  Result<std::unique_ptr<store::File>> Open(const std::string& path, bool create) override;
  Status CreateDirs(const std::string& path) override;
  Status SyncDir(const std::string& path) override;
  Result<std::vector<std::string>> ListDir(const std::string& path) override;
  bool Exists(const std::string& path) override;
  Status Remove(const std::string& path) override;
  Status Rename(const std::string& from, const std::string& to) override;

  // Puts every tracked file back into its last synced state (see the model above) and removes the
  // created-never-synced ones; afterwards everything on disk counts as synced (except a zeroed
  // tail kept for a live MappedRegion, which the next drop cuts off). Open Files and regions stay
  // usable. Returns the first error of the underlying FileSystem; the other files are still
  // handled.
  Status DropUnsyncedData();
  // DropUnsyncedData, then dead until Revive(), in one step. Errors of the drop are logged.
  void Crash();
  // Leaves the dead state (if in it) with fresh tracking; Files opened before fail from now on.
  // Coming back from a Crash(), first undoes whatever was stored into mappings since then; every
  // MappedRegion must have been destroyed (see above). Fault injection settings and counters are
  // kept.
  void Revive();
  bool crashed() const;

  // See "Fault injection" above. An ok `error` stands for IoError("injected ... failure").
  void FailWritesAfter(int64_t bytes, Status error);
  void FailAllocations(Status error);
  // `path_part` empty: every path.
  void FailSyncs(Status error, std::string path_part = "");
  void FailReads(Status error, std::string path_part = "", int64_t after = 0);
  void SetSyncDelay(std::chrono::milliseconds delay);
  // Removes the write limit, the allocation, sync and read failures and the sync delay.
  void ClearFaults();

  // File::Sync and SyncDir calls since construction, including failed ones but not those refused
  // because of a Crash().
  int64_t sync_count() const;
  int64_t sync_dir_count() const;
  // Bytes written to the wrapped FileSystem through Write since construction.
  int64_t bytes_written() const;
  // Syncs (of files and directories) and Reads that returned an injected error since
  // construction.
  int64_t injected_sync_failures() const;
  int64_t injected_read_failures() const;

 private:
  class FaultFile;
  class FaultRegion;
  struct PathState;

  // A readers-writer gate that prefers the writer: ordinary calls pass it shared; Crash, Revive
  // and DropUnsyncedData take it exclusively, and once one waits no new shared holder gets in
  // (glibc's rwlock prefers readers, so a stream of writes could starve a Crash). The lower-case
  // names make it a SharedLockable for std::shared_lock and std::unique_lock.
  class Gate {
   public:
    void lock_shared();
    void unlock_shared();
    void lock();
    void unlock();

   private:
    std::mutex mu_;
    std::condition_variable cv_;
    int shared_ = 0;          // protected by mu_
    bool exclusive_ = false;  // held or waited for; protected by mu_
  };

  // The bodies of the FaultFile operations; `epoch` is the one the File was opened in.
  Status FileWrite(PathState& state, store::File& base, uint64_t epoch, int64_t offset,
                   std::string_view data);
  Result<size_t> FileRead(const store::File& base, uint64_t epoch, int64_t offset, size_t n,
                          char* buf) const;
  Status FileSync(PathState& state, store::File& base, uint64_t epoch);
  Status FileTruncate(PathState& state, store::File& base, uint64_t epoch, int64_t size);
  Status FileAllocate(PathState& state, store::File& base, uint64_t epoch, int64_t offset,
                      int64_t length);
  Result<std::unique_ptr<store::MappedRegion>> FileMap(const std::shared_ptr<PathState>& state,
                                                       store::File& base, uint64_t epoch,
                                                       size_t size);
  Result<int64_t> FileSize(const store::File& base, uint64_t epoch) const;
  // The error FailReads asks for on a read of `path` now, or ok (counting either way).
  Status InjectedReadError(const std::string& path) const;

  // Caller holds the gate: whether a call made by a File of `epoch` may proceed.
  bool Alive(uint64_t epoch) const { return !dead_ && epoch == epoch_; }
  // Caller holds the gate exclusively.
  Status DropUnsyncedDataLocked();

  // Constant after construction.
  store::FileSystem* const base_;

  mutable Gate gate_;
  // Written only with the gate held exclusively; read with it held in any mode.
  bool dead_ = false;
  uint64_t epoch_ = 0;

  mutable std::mutex mu_;
  // Protected by mu_.
  std::map<std::string, std::shared_ptr<PathState>> files_;
  std::optional<int64_t> write_budget_;
  Status write_error_;
  std::optional<Status> allocation_error_;
  std::optional<Status> sync_error_;
  std::string sync_error_path_;
  std::optional<Status> read_error_;
  std::string read_error_path_;
  mutable int64_t reads_before_error_ = 0;
  std::chrono::milliseconds sync_delay_{0};
  int64_t sync_count_ = 0;
  int64_t sync_dir_count_ = 0;
  int64_t bytes_written_ = 0;
  int64_t injected_sync_failures_ = 0;
  mutable int64_t injected_read_failures_ = 0;
};

}  // namespace holdfast::testing
