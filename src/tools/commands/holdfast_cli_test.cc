// The `holdfast` program's subcommand registry: every subcommand is there, in the order the help
// lists them, and Run() reaches the one parsed with the context it is given. The servers and
// benchmarks themselves are tested where they live (and as real processes in tests/integration).
#include "tools/commands/holdfast_cli.h"

#include <algorithm>

#include <gtest/gtest.h>

#include <sstream>

namespace holdfast::tools::commands {
namespace {

std::vector<std::string> Names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands({})) names.push_back(sub->get_name());
  return names;
}

struct Parsed {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Parses args as the program would (argv[0] first) and runs what was parsed.
Parsed ParseAndRun(std::vector<std::string> args) {
  CLI::App app{"test"};
  HoldfastCli cli(&app);
  std::reverse(args.begin(), args.end());  // CLI11 takes them last-first
  app.parse(args);
  std::ostringstream out;
  std::ostringstream err;
  Parsed parsed;
  parsed.exit_code = cli.Run({"holdfast test", out, err});
  parsed.out = out.str();
  parsed.err = err.str();
  return parsed;
}

TEST(HoldfastCliTest, RegistersEverySubcommandInHelpOrder) {
  CLI::App app{"test"};
  HoldfastCli cli(&app);
  EXPECT_EQ(Names(app), (std::vector<std::string>{"store-check", "bench", "namesrv", "broker",
                                                  "standalone", "admin", "demo"}));
  EXPECT_EQ(Names(*app.get_subcommand("bench")),
            (std::vector<std::string>{"store", "produce", "consume", "queues", "schedule", "timer",
                                      "cluster"}));
  EXPECT_FALSE(Names(*app.get_subcommand("admin")).empty());
}

TEST(HoldfastCliTest, ASubcommandIsRequired) {
  CLI::App app{"test"};
  HoldfastCli cli(&app);
  EXPECT_THROW(app.parse(std::vector<std::string>{}), CLI::RequiredError);
  EXPECT_THROW(app.parse(std::vector<std::string>{"bench"}), CLI::RequiredError);
}

TEST(HoldfastCliTest, RunReachesTheParsedSubcommandWithItsContext) {
  // An empty --dir is refused by the cluster benchmark before it starts anything.
  Parsed cluster = ParseAndRun({"bench", "cluster", "--dir", "", "-d", "0.5"});
  EXPECT_EQ(cluster.exit_code, 2);
  EXPECT_NE(cluster.out.find("invalid options: --dir is empty"), std::string::npos) << cluster.out;

  // A --set without '=' is refused before a server starts.
  for (const char* command : {"broker", "standalone"}) {
    Parsed bad_set = ParseAndRun({command, "--set", "flushDiskType"});
    EXPECT_EQ(bad_set.exit_code, 2) << command;
    EXPECT_EQ(bad_set.err, "holdfast: --set expects key=value, got 'flushDiskType'\n") << command;
  }
}

TEST(HoldfastCliTest, ListOptionsOfBenchStoreAreCheckedWhileParsing) {
  CLI::App app{"test"};
  HoldfastCli cli(&app);
  EXPECT_THROW(app.parse(std::vector<std::string>{"1,x", "--threads", "store", "bench"}),
               CLI::ValidationError);
  EXPECT_THROW(app.parse(std::vector<std::string>{"fast", "--modes", "store", "bench"}),
               CLI::ValidationError);
}

}  // namespace
}  // namespace holdfast::tools::commands
