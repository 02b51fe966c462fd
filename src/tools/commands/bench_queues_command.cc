#include "tools/commands/bench_queues_command.h"

#include <memory>

#include <spdlog/spdlog.h>

#include "tools/bench/queues/queues_benchmark.h"

namespace holdfast::tools::commands {

ProgramCommand AddBenchQueuesCommand(CLI::App* bench) {
  auto options = std::make_shared<QueuesBenchmarkOptions>();
  CLI::App* app = bench->add_subcommand(
      "queues",
      "Disk, RSS and start time of a store with many nearly empty queues, beside the least the "
      "file system needs for the same bytes; and what one consume-queue append costs");
  app->add_option("--dir", options->dir, "Data directory on the disk under test")
      ->capture_default_str();
  app->add_option("--queues", options->queues, "Queue counts to measure")
      ->capture_default_str()
      ->delimiter(',')
      ->check(CLI::Range(1, 1'000'000));
  app->add_option("-m,--messages", options->messages_per_queue, "Messages a queue")
      ->capture_default_str()
      ->check(CLI::Range(1, 100'000));
  app->add_option("--body-size", options->body_size, "Body bytes")
      ->capture_default_str()
      ->check(CLI::Range(1, 4 * 1024 * 1024));
  app->add_option("--append-rounds", options->append_rounds,
                  "Fresh files per append case (the median is printed)")
      ->capture_default_str()
      ->check(CLI::Range(1, 100));
  app->add_flag("--skip-append", options->skip_append, "Leave out the append costs");
  return {app, [options](const ProgramContext& context) {
            spdlog::set_level(spdlog::level::warn);
            QueuesBenchmarkOptions o = *options;
            o.command_line = context.command_line;
            return RunQueuesBenchmark(o, context.out);
          }};
}

}  // namespace holdfast::tools::commands
