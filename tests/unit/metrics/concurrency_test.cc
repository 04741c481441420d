// Several threads hammering the same children while another scrapes: no increment may be
// lost, and every scrape must be a self-consistent histogram (+Inf bucket == _count).
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "metrics/registry.h"

namespace stratus::metrics {
namespace {

constexpr int kThreads = 8;
constexpr int kPerThread = 100000;

uint64_t sampleValue(const std::string& text, const std::string& prefix) {
  auto at = text.find(prefix);
  if (at == std::string::npos) return 0;
  return std::stoull(text.substr(at + prefix.size()));
}

TEST(MetricsConcurrency, NoIncrementIsLostAndScrapesStayConsistent) {
  Registry registry;
  auto& counter = registry.counter("hits_total", "Hits.", {"runtime"});
  auto& gauge = registry.gauge("level", "Level.");
  auto& histogram = registry.histogram("wait_seconds", "Wait.", {}, {0.5});

  std::atomic<bool> done{false};
  std::vector<std::string> inconsistent;
  std::thread scraper([&] {
    while (!done.load()) {
      const std::string text = registry.render();
      const uint64_t inf = sampleValue(text, "wait_seconds_bucket{le=\"+Inf\"} ");
      const uint64_t count = sampleValue(text, "wait_seconds_count ");
      if (inf != count) inconsistent.push_back(text);
    }
  });

  std::vector<std::thread> workers;
  for (int t = 0; t < kThreads; ++t) {
    workers.emplace_back([&, t] {
      // The hot-path pattern: look the children up once, then only atomics.
      auto& shared = counter.with({"python3.11"});
      auto& own = counter.with({"runtime" + std::to_string(t % 2)});
      auto& level = gauge.with();
      auto& wait = histogram.with();
      for (int i = 0; i < kPerThread; ++i) {
        shared.inc();
        own.inc(2);
        level.inc();
        level.dec();
        wait.observe(i % 2 == 0 ? 0.25 : 1.0);
      }
    });
  }
  for (auto& worker : workers) worker.join();
  done = true;
  scraper.join();

  const uint64_t total = uint64_t{kThreads} * kPerThread;
  EXPECT_EQ(counter.with({"python3.11"}).value(), total);
  EXPECT_EQ(counter.with({"runtime0"}).value() + counter.with({"runtime1"}).value(), 2 * total);
  EXPECT_DOUBLE_EQ(gauge.with().value(), 0);
  auto snapshot = histogram.with().snapshot();
  EXPECT_EQ(snapshot.count, total);
  EXPECT_EQ(snapshot.cumulative[0], total / 2);
  EXPECT_DOUBLE_EQ(snapshot.sum, (total / 2) * 0.25 + (total / 2) * 1.0);
  EXPECT_TRUE(inconsistent.empty()) << inconsistent.front();
}

TEST(MetricsConcurrency, ChildrenMadeConcurrentlyAreOnePerLabelSet) {
  Registry registry;
  auto& family = registry.counter("made_total", "Made.", {"k"});
  std::vector<Counter*> seen(kThreads);
  std::vector<std::thread> workers;
  for (int t = 0; t < kThreads; ++t) {
    workers.emplace_back([&, t] {
      Counter& c = family.with({"same"});
      c.inc();
      seen[t] = &c;
    });
  }
  for (auto& worker : workers) worker.join();
  for (Counter* c : seen) EXPECT_EQ(c, seen.front());
  EXPECT_EQ(seen.front()->value(), static_cast<uint64_t>(kThreads));
}

}  // namespace
}  // namespace stratus::metrics
