#include "faultline/health/pickers.hpp"
#include "health/endpoint_names.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "faultline/health/endpoint_set.hpp"

namespace faultline::health {
namespace {

void fill(EndpointSet& set, int n) {
  for (int i = 0; i < n; ++i) ASSERT_TRUE(set.add(endpoint_name(i)).ok());
}

std::map<std::string, int> histogram(Picker& picker, const EndpointSnapshot& snapshot, int picks) {
  std::map<std::string, int> counts;
  for (int i = 0; i < picks; ++i) {
    const EndpointView* e = picker.pick(snapshot);
    EXPECT_NE(e, nullptr);
    if (e != nullptr) ++counts[e->name];
  }
  return counts;
}

TEST(PickersTest, EveryPickerReturnsNullOnAnEmptySet) {
  EndpointSet set;
  Random random(1);
  for (PickerKind kind : {PickerKind::round_robin, PickerKind::random, PickerKind::least_outstanding,
                          PickerKind::power_of_two_choices}) {
    EXPECT_EQ(make_picker(kind, random)->pick(*set.snapshot()), nullptr) << picker_kind_name(kind);
  }
}

TEST(PickersTest, NoPickerEverChoosesAnUnusableEndpoint) {
  EndpointSet set;
  fill(set, 6);
  ASSERT_TRUE(set.set_ejected("e1", true).ok());
  ASSERT_TRUE(set.set_active_healthy("e4", false).ok());
  Random random(7);
  for (PickerKind kind : {PickerKind::round_robin, PickerKind::random, PickerKind::least_outstanding,
                          PickerKind::power_of_two_choices}) {
    auto picker = make_picker(kind, random);
    const auto counts = histogram(*picker, *set.snapshot(), 4000);
    EXPECT_EQ(counts.count("e1"), 0u) << picker_kind_name(kind);
    EXPECT_EQ(counts.count("e4"), 0u) << picker_kind_name(kind);
    EXPECT_EQ(counts.size(), 4u) << picker_kind_name(kind);  // and every usable one gets some
  }
}

TEST(PickersTest, InPanicEveryPickerSpreadsOverAllEndpoints) {
  EndpointSet set;
  fill(set, 4);
  for (const char* name : {"e0", "e1", "e2"}) ASSERT_TRUE(set.set_active_healthy(name, false).ok());
  ASSERT_TRUE(set.snapshot()->panic());
  RoundRobinPicker picker;
  EXPECT_EQ(histogram(picker, *set.snapshot(), 400),
            (std::map<std::string, int>{{"e0", 100}, {"e1", 100}, {"e2", 100}, {"e3", 100}}));
}

TEST(PickersTest, RoundRobinVisitsEachInTurn) {
  EndpointSet set;
  fill(set, 3);
  RoundRobinPicker picker;
  std::vector<std::string> order;
  for (int i = 0; i < 6; ++i) order.push_back(picker.pick(*set.snapshot())->name);
  EXPECT_EQ(order, (std::vector<std::string>{"e0", "e1", "e2", "e0", "e1", "e2"}));
}

TEST(PickersTest, RandomIsRoughlyUniformAndReproducibleFromTheSeed) {
  EndpointSet set;
  fill(set, 4);
  Random random_a(42);
  Random random_b(42);
  RandomPicker a(random_a);
  RandomPicker b(random_b);
  const auto counts = histogram(a, *set.snapshot(), 40000);
  for (const auto& [name, count] : counts) {
    EXPECT_GT(count, 9000) << name;  // 10,000 expected; sd ~87
    EXPECT_LT(count, 11000) << name;
  }
  EXPECT_EQ(histogram(b, *set.snapshot(), 40000), counts);
}

TEST(PickersTest, LeastOutstandingPicksTheIdlestAndRotatesTies) {
  EndpointSet set;
  fill(set, 3);
  const auto snapshot = set.snapshot();
  LeastOutstandingPicker picker;
  std::vector<OutstandingRequest> in_flight;
  // Each pick holds its request: the picks must fill the endpoints evenly.
  std::map<std::string, int> counts;
  for (int i = 0; i < 30; ++i) {
    const EndpointView* e = picker.pick(*snapshot);
    ++counts[e->name];
    in_flight.emplace_back(*e);
  }
  EXPECT_EQ(counts, (std::map<std::string, int>{{"e0", 10}, {"e1", 10}, {"e2", 10}}));
  // All finish; one new request on e0 and one on e2 leave e1 the idlest.
  in_flight.clear();
  EXPECT_EQ(snapshot->find("e1")->outstanding(), 0);
  OutstandingRequest a(*snapshot->find("e0"));
  OutstandingRequest c(*snapshot->find("e2"));
  EXPECT_EQ(picker.pick(*snapshot)->name, "e1");
  OutstandingRequest b(*snapshot->find("e1"));
  OutstandingRequest b2(*snapshot->find("e1"));
  const std::string next = picker.pick(*snapshot)->name;
  EXPECT_TRUE(next == "e0" || next == "e2") << next;
}

TEST(PickersTest, PowerOfTwoChoicesNeverPicksTheBusierOfTwo) {
  EndpointSet set;
  fill(set, 2);
  const auto snapshot = set.snapshot();
  OutstandingRequest busy(*snapshot->find("e0"));
  Random random(3);
  PowerOfTwoChoicesPicker picker(random);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(picker.pick(*snapshot)->name, "e1");
}

TEST(PickersTest, PowerOfTwoChoicesAvoidsTheBusiestAndFavoursTheIdlest) {
  EndpointSet set;
  fill(set, 3);
  const auto snapshot = set.snapshot();
  std::vector<OutstandingRequest> load;
  for (int i = 0; i < 5; ++i) load.emplace_back(*snapshot->find("e1"));
  for (int i = 0; i < 10; ++i) load.emplace_back(*snapshot->find("e2"));
  Random random(11);
  PowerOfTwoChoicesPicker picker(random);
  const auto counts = histogram(picker, *snapshot, 30000);
  EXPECT_EQ(counts.count("e2"), 0u);  // the busiest loses every pair it is in
  // e0 wins both pairs it is in (2 of 3 pairs): about 20,000.
  EXPECT_GT(counts.at("e0"), 19000);
  EXPECT_LT(counts.at("e0"), 21000);
}

TEST(PickersTest, PowerOfTwoChoicesWithOneEndpointPicksIt) {
  EndpointSet set;
  fill(set, 1);
  Random random(5);
  PowerOfTwoChoicesPicker picker(random);
  EXPECT_EQ(picker.pick(*set.snapshot())->name, "e0");
}

TEST(PickersTest, PickerKindsRoundTripAndUnknownNamesAreErrors) {
  for (PickerKind kind : {PickerKind::round_robin, PickerKind::random, PickerKind::least_outstanding,
                          PickerKind::power_of_two_choices}) {
    const auto parsed = parse_picker_kind(picker_kind_name(kind));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, kind);
  }
  const auto bad = parse_picker_kind("fastest");
  EXPECT_EQ(bad.status().code(), StatusCode::invalid_argument);
  EXPECT_NE(bad.status().message().find("fastest"), std::string_view::npos);
}

}  // namespace
}  // namespace faultline::health
