// The cluster benchmark's options. The run itself is a benchmark and is not run here.
#include "tools/bench/cluster/cluster_benchmark.h"

#include <gtest/gtest.h>

#include <sstream>

namespace holdfast::tools {
namespace {

TEST(ClusterBenchmarkTest, InvalidOptionsAreRejectedBeforeAnythingRuns) {
  ClusterBenchmarkOptions o;
  EXPECT_TRUE(ValidateClusterBenchmarkOptions(o).ok());
  o.seconds = 0;
  Status s = ValidateClusterBenchmarkOptions(o);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("--seconds"), std::string::npos);
  std::ostringstream out;
  EXPECT_EQ(RunClusterBenchmark(o, out), 2);
  EXPECT_NE(out.str().find("invalid options"), std::string::npos);

  o.seconds = 1;
  o.dir.clear();
  EXPECT_FALSE(ValidateClusterBenchmarkOptions(o).ok());
}

}  // namespace
}  // namespace holdfast::tools
