// The closing summary: its table holds the figures, and its sentences say
// what the figures say (never "fewer requests" when there were more).
#include "demo/summary.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <string>

namespace faultline::demo {
namespace {

using namespace std::chrono_literals;

// Two phases, "errors" then "outage", 100 calls each per client.
RunReport make_report(std::uint64_t protected_errors_ok, std::uint64_t protected_outage_load) {
  RunReport report;
  report.phase_names = {"errors", "outage"};
  report.run_length = 10s;
  report.breaker_wait_in_open = 1s;
  report.seed = 9;
  auto client = [](std::string name, std::uint64_t errors_ok, std::uint64_t fast_fails,
                   std::uint64_t retries, std::uint64_t errors_load, std::uint64_t outage_load) {
    ClientReport c;
    c.name = std::move(name);
    c.totals.phases = {PhaseCounts{100, errors_ok, 0}, PhaseCounts{100, 0, fast_fails}};
    c.totals.calls = 200;
    c.totals.successes = errors_ok;
    c.totals.fast_fails = fast_fails;
    c.totals.failures = 200 - errors_ok - fast_fails;
    c.totals.retries = retries;
    for (std::uint64_t i = 0; i < 200; ++i) c.totals.latency.record(i < 190 ? 5ms : 2s);
    c.server_requests_per_phase = {errors_load, outage_load};
    c.server_requests = errors_load + outage_load;
    return c;
  };
  report.bare = client("bare", 70, 0, 0, 100, 100);
  report.protected_client =
      client("protected", protected_errors_ok, 90, 40, 140, protected_outage_load);
  return report;
}

std::string joined(const std::vector<std::string>& sentences) {
  std::string text;
  for (const auto& s : sentences) text += s + "\n";
  return text;
}

TEST(Summary, SaysWhereTheProtectedClientWonAndHowItSparedTheService) {
  const std::string text = joined(explain(make_report(98, 10)));
  EXPECT_NE(text.find("49.0% of the protected client's calls succeeded against 35.0%"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("(98.0% against 70.0% leaving out the outage, when no call could succeed)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("did better in errors (70.0% -> 98.0%)"), std::string::npos) << text;
  EXPECT_NE(
      text.find(
          "In the outage phase the protected client sent the service 10 requests against 100"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("25% fewer requests (150 against 200)"), std::string::npos) << text;
  EXPECT_EQ(text.find("did worse"), std::string::npos) << text;
}

TEST(Summary, SaysSoWhenThePoliciesCostMoreLoad) {
  const std::string text = joined(explain(make_report(98, 100)));
  EXPECT_EQ(text.find("fewer requests"), std::string::npos) << text;
  EXPECT_NE(text.find("20% more requests (240 against 200)"), std::string::npos) << text;
}

TEST(Summary, SaysSoWhenTheProtectedClientDidWorse) {
  const std::string text = joined(explain(make_report(50, 10)));
  EXPECT_NE(text.find("did worse in errors (70.0% -> 50.0%)"), std::string::npos) << text;
  EXPECT_EQ(text.find("did better"), std::string::npos) << text;
}

TEST(Summary, PrintsTheSideBySideTableAndThePhaseTable) {
  std::ostringstream out;
  print_summary(out, make_report(98, 10), TextStyle{.color = false});
  const std::string text = out.str();
  for (const char* expected :
       {"Summary: 10 s of load, seed 9", "succeeded", "70 (35.0%)", "98 (49.0%)", "latency p99",
        "failed fast (circuit open)", "requests that reached the server",
        "time callers spent waiting", "outage"}) {
    EXPECT_NE(text.find(expected), std::string::npos) << expected << "\n" << text;
  }
  EXPECT_EQ(text.find('\x1b'), std::string::npos) << "no escape codes without colour";
}

TEST(Summary, NothingToCompareWhenNoCallFinished) {
  RunReport report;
  report.phase_names = {"only"};
  report.bare.totals.phases.resize(1);
  report.protected_client.totals.phases.resize(1);
  report.bare.server_requests_per_phase = {0};
  report.protected_client.server_requests_per_phase = {0};
  EXPECT_EQ(explain(report),
            (std::vector<std::string>{"No call finished, so there is nothing to compare."}));
}

// A capacity drop from 8 to 4 workers; the adaptive lane's limit goes
// from `before` to `lowest` and ends at `end`.
CapacityReport make_capacity(std::uint32_t before, std::uint32_t lowest, std::uint32_t end) {
  CapacityReport c;
  c.normal = 8;
  c.reduced = 4;
  c.demand = 5;
  c.service_time = 100ms;
  c.drop_at = 9s;
  c.restore_at = 24s;
  c.static_limit = 64;
  c.algorithm = "gradient";
  c.limit_before_drop = before;
  c.limit_lowest_while_dropped = lowest;
  c.limit_at_end = end;
  c.static_lane.name = "static";
  c.adaptive_lane.name = "adaptive";
  for (std::size_t i = 0; i < 3; ++i) {
    c.static_lane.segments[i] =
        CapacityLaneSegment{100, i == 1 ? 60u : 100u, 0, i == 1 ? 2s : 100ms};
    c.adaptive_lane.segments[i] =
        CapacityLaneSegment{100, i == 1 ? 80u : 100u, i == 1 ? 20u : 0u, i == 1 ? 180ms : 100ms};
  }
  return c;
}

TEST(Summary, TheCapacitySentenceSaysTheAdaptiveLimitFellAndByHowMuch) {
  const std::string text = explain_capacity(make_capacity(16, 5, 12));
  EXPECT_NE(text.find("The adaptive limit was 16 before the capacity drop and fell to 5"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("adaptive lane's p99 was 180 ms"), std::string::npos) << text;
  EXPECT_NE(text.find("(20 refused at once)"), std::string::npos) << text;
  EXPECT_NE(text.find("p99 of 2.00 s"), std::string::npos) << text;
  EXPECT_NE(text.find("grew again, to 12"), std::string::npos) << text;
}

TEST(Summary, TheCapacitySentenceNeverClaimsALimitThatDidNotFall) {
  const std::string text = explain_capacity(make_capacity(8, 8, 8));
  EXPECT_EQ(text.find("fell to"), std::string::npos) << text;
  EXPECT_NE(text.find("did not fall during it (lowest 8)"), std::string::npos) << text;
  EXPECT_EQ(text.find("grew again"), std::string::npos) << text;
}

TEST(Summary, PrintsTheCapacityTableOnlyWhenTheRunHadCapacityLanes) {
  RunReport report = make_report(98, 10);
  std::ostringstream without;
  print_summary(without, report, TextStyle{.color = false});
  EXPECT_EQ(without.str().find("Capacity drop"), std::string::npos);
  report.capacity = make_capacity(16, 5, 12);
  std::ostringstream with;
  print_summary(with, report, TextStyle{.color = false});
  for (const char* expected : {"Capacity drop: 8 -> 4 workers per client from 9.0 s to 24.0 s",
                               "static (limit 64)", "adaptive (gradient)", "capacity dropped",
                               "capacity restored"}) {
    EXPECT_NE(with.str().find(expected), std::string::npos) << expected << "\n" << with.str();
  }
}

}  // namespace
}  // namespace faultline::demo
