#include "tools/bench/thread_cpu.h"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <system_error>
#include <thread>

#include <fmt/format.h>

#include "tools/text_file.h"

namespace holdfast::tools {

Result<ThreadCpuSample> ThreadCpuSample::Take() {
  ThreadCpuSample sample;
  std::error_code ec;
  std::filesystem::directory_iterator it("/proc/self/task", ec);
  if (ec) return Status::IoError(fmt::format("reading /proc/self/task: {}", ec.message()));
  for (const auto& entry : it) {
    const std::string tid_text = entry.path().filename().string();
    pid_t tid = 0;
    auto [end, err] = std::from_chars(tid_text.data(), tid_text.data() + tid_text.size(), tid);
    if (err != std::errc() || end != tid_text.data() + tid_text.size()) continue;
    auto stat = ReadTextFile(entry.path() / "schedstat");
    auto comm = ReadTextFile(entry.path() / "comm");
    if (!stat || !comm) continue;  // the thread ended between the listing and the read
    // schedstat: "<ns on cpu> <ns waiting> <timeslices>".
    int64_t ns = 0;
    auto parsed = std::from_chars(stat->data(), stat->data() + stat->size(), ns);
    if (parsed.ec != std::errc()) {
      return Status::Corruption(
          fmt::format("{}/schedstat does not start with a number: '{}'", tid_text, *stat));
    }
    if (!comm->empty() && comm->back() == '\n') comm->pop_back();
    sample.threads_[tid] = Thread{std::move(*comm), ns};
  }
  if (sample.threads_.empty()) return Status::IoError("/proc/self/task lists no thread");
  return sample;
}

std::map<std::string, double> ThreadCpuSample::SecondsSince(const ThreadCpuSample& earlier) const {
  std::map<std::string, double> by_name;
  for (const auto& [tid, now] : threads_) {
    int64_t before = 0;
    // A reused thread id under a new name is a new thread.
    if (auto old = earlier.threads_.find(tid);
        old != earlier.threads_.end() && old->second.name == now.name) {
      before = old->second.cpu_ns;
    }
    by_name[now.name] += static_cast<double>(now.cpu_ns - before) / 1e9;
  }
  return by_name;
}

int HardwareCores() { return static_cast<int>(std::max(1u, std::thread::hardware_concurrency())); }

}  // namespace holdfast::tools
