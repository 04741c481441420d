#include "metrics/registry.h"

#include <gtest/gtest.h>

namespace stratus::metrics {
namespace {

TEST(Registry, RendersCountersGaugesAndHistogramsInNameOrder) {
  Registry registry;
  auto& invocations = registry.counter("stratus_invocations_total", "Invocations by outcome.",
                                       {"runtime", "executor", "outcome"});
  auto& inflight = registry.gauge("stratus_inflight", "Invocations running now.");
  auto& latency = registry.histogram("stratus_invoke_seconds", "Time to answer an invocation.",
                                     {"runtime"}, {0.01, 0.1, 1});

  invocations.with({"python3.11", "sandbox", "ok"}).inc(3);
  invocations.with({"nodejs20", "sandbox", "error"}).inc();
  inflight.with().set(2);
  inflight.with().dec();
  auto& python = latency.with({"python3.11"});
  python.observe(0.005);
  python.observe(0.25);
  python.observe(4);

  EXPECT_EQ(registry.render(),
            "# HELP stratus_inflight Invocations running now.\n"
            "# TYPE stratus_inflight gauge\n"
            "stratus_inflight 1\n"
            "# HELP stratus_invocations_total Invocations by outcome.\n"
            "# TYPE stratus_invocations_total counter\n"
            "stratus_invocations_total{runtime=\"nodejs20\",executor=\"sandbox\",outcome=\"error\"} 1\n"
            "stratus_invocations_total{runtime=\"python3.11\",executor=\"sandbox\",outcome=\"ok\"} 3\n"
            "# HELP stratus_invoke_seconds Time to answer an invocation.\n"
            "# TYPE stratus_invoke_seconds histogram\n"
            "stratus_invoke_seconds_bucket{runtime=\"python3.11\",le=\"0.01\"} 1\n"
            "stratus_invoke_seconds_bucket{runtime=\"python3.11\",le=\"0.1\"} 1\n"
            "stratus_invoke_seconds_bucket{runtime=\"python3.11\",le=\"1\"} 2\n"
            "stratus_invoke_seconds_bucket{runtime=\"python3.11\",le=\"+Inf\"} 3\n"
            "stratus_invoke_seconds_sum{runtime=\"python3.11\"} 4.255\n"
            "stratus_invoke_seconds_count{runtime=\"python3.11\"} 3\n");
}

TEST(Registry, UnlabelledFamiliesRenderZeroBeforeFirstUseLabelledOnesNothing) {
  Registry registry;
  registry.counter("a_total", "A.");
  registry.counter("b_total", "B.", {"kind"});
  registry.histogram("c_seconds", "C.", {}, {0.5});
  EXPECT_EQ(registry.render(),
            "# HELP a_total A.\n"
            "# TYPE a_total counter\n"
            "a_total 0\n"
            "# HELP c_seconds C.\n"
            "# TYPE c_seconds histogram\n"
            "c_seconds_bucket{le=\"0.5\"} 0\n"
            "c_seconds_bucket{le=\"+Inf\"} 0\n"
            "c_seconds_sum 0\n"
            "c_seconds_count 0\n");
}

TEST(Registry, EscapesLabelValuesAndHelp) {
  Registry registry;
  registry.counter("odd_total", "Help with \\ and\na second line, \"quotes\" kept.", {"path"})
      .with({"C:\\tmp\\\"x\"\nnext"})
      .inc();
  EXPECT_EQ(registry.render(),
            "# HELP odd_total Help with \\\\ and\\na second line, \"quotes\" kept.\n"
            "# TYPE odd_total counter\n"
            "odd_total{path=\"C:\\\\tmp\\\\\\\"x\\\"\\nnext\"} 1\n");
}

TEST(Registry, CallbackGaugesAreReadAtScrapeTime) {
  Registry registry;
  auto& pool = registry.callbackGauge("stratus_pool_instances", "Instances in a pool.",
                                      {"runtime", "state"});
  double idle = 3;
  pool.set({"python3.11", "idle"}, [&idle] { return idle; });
  pool.set({"python3.11", "busy"}, [] { return 1.0; });
  const std::string header =
      "# HELP stratus_pool_instances Instances in a pool.\n"
      "# TYPE stratus_pool_instances gauge\n";
  EXPECT_EQ(registry.render(), header +
                                   "stratus_pool_instances{runtime=\"python3.11\",state=\"busy\"} 1\n"
                                   "stratus_pool_instances{runtime=\"python3.11\",state=\"idle\"} 3\n");
  idle = 0.5;
  pool.remove({"python3.11", "busy"});
  EXPECT_EQ(registry.render(),
            header + "stratus_pool_instances{runtime=\"python3.11\",state=\"idle\"} 0.5\n");
  pool.remove({"python3.11", "idle"});
  EXPECT_EQ(registry.render(), "");
}

TEST(Registry, RegisteringTheSameShapeAgainReturnsTheSameFamily) {
  Registry registry;
  auto& first = registry.counter("x_total", "X.", {"a"});
  auto& second = registry.counter("x_total", "X again.", {"a"});
  EXPECT_EQ(&first, &second);
  EXPECT_EQ(&first.with({"1"}), &second.with({"1"}));
  auto& h1 = registry.histogram("h_seconds", "H.", {}, {1, 2});
  EXPECT_EQ(&h1, &registry.histogram("h_seconds", "H.", {}, {1, 2}));
}

TEST(Registry, GaugeArithmetic) {
  Registry registry;
  auto& g = registry.gauge("g", "G.").with();
  g.set(10);
  g.add(2.5);
  g.inc();
  g.dec();
  g.add(-0.5);
  EXPECT_DOUBLE_EQ(g.value(), 12);
}

using RegistryDeathTest = ::testing::Test;

TEST_F(RegistryDeathTest, MisuseIsAProgrammingError) {
  EXPECT_DEATH(
      {
        Registry r;
        r.counter("x_total", "X.", {"a", "b"}).with({"only one"});
      },
      "1 label values for 2 label names");
  EXPECT_DEATH(
      {
        Registry r;
        r.counter("x_total", "X.");
        r.gauge("x_total", "X.");
      },
      "already registered");
  EXPECT_DEATH(
      {
        Registry r;
        r.gauge("x", "X.");
        r.callbackGauge("x", "X.");
      },
      "already registered");
  EXPECT_DEATH(
      {
        Registry r;
        r.histogram("h", "H.", {}, {1});
        r.histogram("h", "H.", {}, {1, 2});
      },
      "already registered");
  EXPECT_DEATH({ Registry().counter("bad-name", "X."); }, "bad metric name");
  EXPECT_DEATH({ Registry().counter("x", "X.", {"__x"}); }, "bad label name");
  EXPECT_DEATH({ Registry().counter("x", "X.", {"a", "a"}); }, "given twice");
  EXPECT_DEATH({ Registry().histogram("h", "H.", {"le"}, {1}); }, "reserved");
  EXPECT_DEATH({ Registry().histogram("h", "H.", {}, {2, 1}); }, "strictly increasing");
}

}  // namespace
}  // namespace stratus::metrics
