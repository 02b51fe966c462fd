#include "tools/bench/store/recovery_report.h"

#include <string>
#include <utility>

#include <fmt/format.h>

#include "tools/bench/report_format.h"

namespace holdfast::tools::store_bench {

void PrintRecovery(const std::vector<RecoveryResult>& results, std::ostream& out) {
  std::vector<std::string> header = {"store holding"};
  for (const auto& r : results) header.push_back(GibLabel(r.gib));
  TextTable t(header);
  std::vector<std::string> notes;  // numbered, printed under the table
  auto row = [&](std::string name, auto cell) {
    std::vector<std::string> cells = {std::move(name)};
    for (const auto& r : results) cells.push_back(cell(r));
    t.AddRow(std::move(cells));
  };
  auto blank = [&](std::string name) {
    row(std::move(name), [](const RecoveryResult&) { return std::string(); });
  };
  auto crash_rows = [&](CrashRun RecoveryResult::*which) {
    row("  appended", [&](const RecoveryResult& r) {
      const CrashRun& c = r.*which;
      if (!c.ran) return std::string("-");
      int64_t bytes = c.fill.max_offset - c.fill.start_offset;
      return fmt::format("{} in {:.1f} s ({} MB/s)", Bytes(bytes), c.fill.fill_seconds,
                         Thousands(static_cast<double>(bytes) / c.fill.fill_seconds / 1e6));
    });
    row("  at the child's report: end of log", [&](const RecoveryResult& r) {
      const CrashRun& c = r.*which;
      return c.ran ? BytesExact(c.fill.max_offset) : "-";
    });
    row("    not yet fdatasync'ed", [&](const RecoveryResult& r) {
      const CrashRun& c = r.*which;
      return c.ran ? Bytes(c.fill.max_offset - c.fill.flushed_offset) : "-";
    });
    row("    not yet dispatched to consume queues + index", [&](const RecoveryResult& r) {
      const CrashRun& c = r.*which;
      return c.ran ? Bytes(c.fill.max_offset - c.fill.dispatched_offset) : "-";
    });
    row("  SIGKILL sent and the child dead after", [&](const RecoveryResult& r) {
      const CrashRun& c = r.*which;
      return c.ran ? fmt::format("{:.0f} ms", c.kill_ms) : "-";
    });
    row("  abort marker left", [&](const RecoveryResult& r) {
      const CrashRun& c = r.*which;
      return c.ran ? std::string(c.abort_marker ? "yes" : "NO") : "-";
    });
    row("  checkpoint: commit log / CQ / index flushed to", [&](const RecoveryResult& r) {
      const CrashRun& c = r.*which;
      if (!c.ran) return std::string("-");
      if (!c.checkpoint_valid) return std::string("invalid");
      return fmt::format("{} / {} / {}", Bytes(c.checkpoint_physic), Bytes(c.checkpoint_logics),
                         Bytes(c.checkpoint_index));
    });
    row("  recovery: MessageStore::Open", [&](const RecoveryResult& r) {
      const CrashRun& c = r.*which;
      return c.reopened ? fmt::format("{:.3f} s", c.recovery.seconds) : "-";
    });
    row("    started at", [&](const RecoveryResult& r) {
      const CrashRun& c = r.*which;
      return c.reopened ? BytesExact(c.recovery.start_offset) : "-";
    });
    row("    scanned bytes", [&](const RecoveryResult& r) {
      const CrashRun& c = r.*which;
      return c.reopened ? BytesExact(c.recovery.scanned_bytes) : "-";
    });
    row("    records re-dispatched", [&](const RecoveryResult& r) {
      const CrashRun& c = r.*which;
      return c.reopened ? Thousands(static_cast<double>(c.recovery.redispatched_records)) : "-";
    });
    row("    end of log after recovery", [&](const RecoveryResult& r) {
      const CrashRun& c = r.*which;
      return c.reopened ? BytesExact(c.recovery.max_offset) : "-";
    });
    row("    rate (scanned bytes / time)", [&](const RecoveryResult& r) {
      const CrashRun& c = r.*which;
      if (!c.reopened || c.recovery.seconds <= 0) return std::string("-");
      return fmt::format("{} MB/s", Thousands(static_cast<double>(c.recovery.scanned_bytes) /
                                              c.recovery.seconds / 1e6));
    });
    row("    torn tail cut", [&](const RecoveryResult& r) {
      const CrashRun& c = r.*which;
      if (!c.reopened) return std::string("-");
      if (!c.recovery.truncated) return std::string("no");
      notes.push_back(fmt::format("{}, step {}: torn tail cut: {}", GibLabel(r.gib),
                                  which == &RecoveryResult::full ? 1 : 3,
                                  c.recovery.truncation_reason));
      return fmt::format("yes (note {})", notes.size());
    });
    row("    everything appended before the report kept", [&](const RecoveryResult& r) {
      const CrashRun& c = r.*which;
      if (!c.reopened) return std::string("-");
      return c.lost_bytes == 0 ? std::string("yes")
                               : fmt::format("NO: {} lost", Bytes(c.lost_bytes));
    });
  };

  blank("1. fill at full speed, kill -9");
  crash_rows(&RecoveryResult::full);
  blank("2. clean shutdown, reopen");
  row("  clean shutdown (just after recovery)", [&](const RecoveryResult& r) {
    return r.full.reopened ? fmt::format("{:.3f} s", r.clean_shutdown_seconds) : "-";
  });
  row("  clean reopen: MessageStore::Open", [&](const RecoveryResult& r) {
    return r.clean_opened ? fmt::format("{:.3f} s", r.clean.seconds) : "-";
  });
  row("    scanned bytes", [&](const RecoveryResult& r) {
    return r.clean_opened ? BytesExact(r.clean.scanned_bytes) : "-";
  });
  row("    found an abort marker", [&](const RecoveryResult& r) {
    return r.clean_opened ? std::string(r.clean.abnormal ? "YES" : "no") : "-";
  });
  blank(fmt::format("3. {:g} s of full-speed appends, kill -9", kTailSeconds));
  crash_rows(&RecoveryResult::tail);
  t.Print(out);
  for (size_t i = 0; i < notes.size(); ++i) out << "  note " << i + 1 << ": " << notes[i] << '\n';
  for (const auto& r : results) {
    if (!r.failure.empty()) out << "  ! " << GibLabel(r.gib) << ": " << r.failure << '\n';
  }
  out << std::flush;
}

}  // namespace holdfast::tools::store_bench
