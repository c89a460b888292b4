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

}  // namespace
}  // namespace faultline::demo
