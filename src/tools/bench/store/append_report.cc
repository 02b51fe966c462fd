#include "tools/bench/store/append_report.h"

#include <string>
#include <utility>

#include <fmt/format.h>

#include "tools/bench/report_format.h"
#include "tools/bench/store/append_threads.h"
#include "tools/bench/thread_cpu.h"

namespace holdfast::tools::store_bench {

using store::FlushDiskType;

void PrintCases(const std::vector<CaseResult>& cases, FlushDiskType mode, std::ostream& out) {
  TextTable t({std::string(FlushDiskTypeName(mode)), "msgs/s", "MB/s", "p50 us", "p99 us",
               "p99.9 us", "max us", "PUT_OK", "not OK", "unsynced", "undispatched", "catch-up ms",
               "first put ms"});
  std::vector<std::string> notes;
  for (const CaseResult& c : cases) {
    if (c.mode != mode) continue;
    std::string label = CaseLabel(c);
    uint64_t not_ok = 0;
    for (const auto& [status, n] : c.other) not_ok += n;
    if (!c.ran) {
      t.AddRow({label, "FAILED"});
    } else {
      t.AddRow({label, Thousands(c.msgs_per_sec), fmt::format("{:.1f}", c.mb_per_sec),
                Us(c.latency.p50_us()), Us(c.latency.p99_us()), Us(c.latency.p999_us()),
                Us(c.latency.max_us()), Thousands(static_cast<double>(c.put_ok)),
                Thousands(static_cast<double>(not_ok)), Bytes(c.unsynced_bytes),
                Bytes(c.undispatched_bytes),
                c.failure.empty() ? fmt::format("{:.0f}", c.dispatch_catch_up_seconds * 1e3) : "-",
                fmt::format("{:.0f}", c.first_put_seconds * 1e3)});
    }
    if (!c.failure.empty()) notes.push_back(fmt::format("{}: {}", label, c.failure));
    for (const auto& [status, n] : c.other) {
      notes.push_back(fmt::format("{}: {} x {}", label, store::PutMessageStatusName(status),
                                  Thousands(static_cast<double>(n))));
    }
    if (!c.first_error.empty())
      notes.push_back(fmt::format("{}: first error: {}", label, c.first_error));
  }
  t.Print(out);
  for (const auto& n : notes) out << "  ! " << n << '\n';
  out << std::flush;
}

void PrintCpu(const std::vector<CaseResult>& cases, FlushDiskType mode, std::ostream& out) {
  static const std::vector<std::pair<std::string, std::vector<std::string>>> kGroups = {
      {"appenders", {kAppenderThread, kSubmitterThread}},
      {"GroupCommit", {"GroupCommit"}},
      {"ReputMessage", {"ReputMessage"}},
      {"AllocMappedFile", {"AllocMappedFile"}},
      {"flush", {"FlushRealTime", "FlushConsumeQ"}},
  };
  std::vector<std::string> header = {std::string(FlushDiskTypeName(mode)) + " CPU us per PUT_OK"};
  for (const auto& [group, names] : kGroups) header.push_back(group);
  for (const char* h : {"other", "total", "cores busy"}) header.emplace_back(h);
  TextTable t(header);
  std::vector<std::string> notes;
  for (const CaseResult& c : cases) {
    if (c.mode != mode || !c.ran) continue;
    auto total = CpuUsPerMessage(c);
    if (!total) {
      notes.push_back(fmt::format("{}: CPU not measured{}", CaseLabel(c),
                                  c.cpu_error.empty() ? "" : ": " + c.cpu_error));
      continue;
    }
    const double per_msg = 1e6 / static_cast<double>(c.put_ok);
    std::vector<std::string> row = {CaseLabel(c)};
    double grouped = 0;
    for (const auto& [group, names] : kGroups) {
      double seconds = 0;
      for (const auto& name : names) {
        if (auto it = c.cpu_seconds.find(name); it != c.cpu_seconds.end()) seconds += it->second;
      }
      grouped += seconds;
      row.push_back(fmt::format("{:.2f}", seconds * per_msg));
    }
    row.push_back(fmt::format("{:.2f}", *total - grouped * per_msg));
    row.push_back(fmt::format("{:.2f}", *total));
    row.push_back(fmt::format("{:.2f} of {}", *total * c.msgs_per_sec / 1e6, HardwareCores()));
    t.AddRow(std::move(row));
  }
  t.Print(out);
  for (const auto& n : notes) out << "  ! " << n << '\n';
  out << std::flush;
}

}  // namespace holdfast::tools::store_bench
