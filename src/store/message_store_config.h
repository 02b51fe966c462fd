// Settings of one message store, with RocketMQ's names and defaults (MessageStoreConfig) unless a
// comment says otherwise. Sizes are bytes, intervals milliseconds.
#pragma once

#include <cstdint>
#include <string>

namespace holdfast::store {

enum class FlushDiskType { kAsyncFlush, kSyncFlush };

struct MessageStoreConfig {
  std::string store_path_root_dir;  // storePathRootDir; commitlog/, consumequeue/, index/ below it

  int64_t mapped_file_size_commit_log = 1LL << 30;         // mappedFileSizeCommitLog
  int64_t mapped_file_size_consume_queue = 300000LL * 20;  // mappedFileSizeConsumeQueue

  FlushDiskType flush_disk_type = FlushDiskType::kAsyncFlush;  // flushDiskType
  int64_t sync_flush_timeout = 5000;                           // syncFlushTimeout
  int64_t flush_interval_commit_log = 500;                     // flushIntervalCommitLog
  int flush_commit_log_least_pages = 4;                        // flushCommitLogLeastPages
  int64_t flush_commit_log_thorough_interval = 10000;          // flushCommitLogThoroughInterval
  int64_t flush_interval_consume_queue = 1000;                 // flushIntervalConsumeQueue

  int32_t max_message_size = 4 * 1024 * 1024;  // maxMessageSize (the body)

  bool message_index_enable = true;     // messageIndexEnable
  int32_t max_hash_slot_num = 5000000;  // maxHashSlotNum
  int32_t max_index_num = 20000000;     // maxIndexNum

  bool check_crc_on_recover = true;  // checkCRCOnRecover

  // warmMapedFileEnable. RocketMQ defaults to false; we default to true because a commit-log
  // segment whose blocks are already written and synced makes each fdatasync a pure data flush,
  // which measured about 1.5x faster than appending to a growing file (docs/durability.md).
  // New segments are zero-filled and synced in the background before the writer reaches them.
  bool warm_mapped_file_enable = true;

  // commitLogPageCacheWindow, Holdfast's own: how many bytes of the commit log below the flushed
  // offset stay in the page cache; older pages are let go once synced (0 keeps them all, as
  // RocketMQ does). Consumers and dispatch read the newest bytes, which stay cached; a reader
  // further behind reads from the disk. Bounding the cache keeps the broker's memory small, and
  // new pages then reuse the ones just freed: on a virtual machine that hands freed memory back
  // to its host, taking fresh memory for every new page cost 4-5x the write rate
  // (docs/durability.md).
  int64_t commit_log_page_cache_window = 256LL << 20;

  // Timer messages (src/store/timer, docs/timer.md). timerWheelEnable: route messages with timer
  // properties to rmq_sys_wheel_timer (off: such sends are refused). timerMaxDelaySec: the
  // furthest a delivery time may lie ahead (3 days). timerPrecisionMs: the wheel's slot width;
  // only 1000 is supported. timerFlushIntervalMs: how often the timer store's checkpoint is
  // written.
  bool timer_wheel_enable = true;          // timerWheelEnable
  int64_t timer_max_delay_sec = 259200;    // timerMaxDelaySec
  int64_t timer_precision_ms = 1000;       // timerPrecisionMs
  int64_t timer_flush_interval_ms = 1000;  // timerFlushIntervalMs
  // Delay levels (docs/protocol.md §8.2, src/store/schedule/): messageDelayLevel, the duration of
  // each level ("<n><s|m|h|d>" separated by spaces), and flushDelayOffsetInterval, how often the
  // schedule service persists config/delayOffset.json.
  std::string message_delay_level = "1s 5s 10s 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m 1h 2h";
  int64_t flush_delay_offset_interval = 10000;
};

}  // namespace holdfast::store
