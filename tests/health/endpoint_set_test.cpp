#include "faultline/health/endpoint_set.hpp"
#include "health/endpoint_names.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "faultline/resilience/config_error.hpp"

namespace faultline::health {
namespace {

std::vector<std::string> names(std::span<const EndpointView* const> endpoints) {
  std::vector<std::string> out;
  for (const EndpointView* e : endpoints) out.push_back(e->name);
  return out;
}

void fill(EndpointSet& set, int n) {
  for (int i = 0; i < n; ++i) EXPECT_TRUE(set.add(endpoint_name(i)).ok());
}

TEST(EndpointSetTest, UsableIsActivelyHealthyAndNotEjected) {
  EndpointSet set;
  for (const char* name : {"a", "b", "c", "d"}) ASSERT_TRUE(set.add(name).ok());
  ASSERT_TRUE(set.set_active_healthy("b", false).ok());
  ASSERT_TRUE(set.set_ejected("c", true).ok());
  const auto snapshot = set.snapshot();
  EXPECT_EQ(names(snapshot->usable()), (std::vector<std::string>{"a", "d"}));
  EXPECT_FALSE(snapshot->panic());  // 2 of 4 is not below 50%
  EXPECT_EQ(names(snapshot->routable()), (std::vector<std::string>{"a", "d"}));
  EXPECT_FALSE(snapshot->find("b")->active_healthy);
  EXPECT_TRUE(snapshot->find("c")->ejected);
  EXPECT_EQ(snapshot->find("zzz"), nullptr);
}

TEST(EndpointSetTest, BelowThePanicThresholdRoutesToEveryEndpoint) {
  EndpointSet set;
  for (const char* name : {"a", "b", "c", "d"}) ASSERT_TRUE(set.add(name).ok());
  ASSERT_TRUE(set.set_active_healthy("a", false).ok());
  ASSERT_TRUE(set.set_active_healthy("b", false).ok());
  EXPECT_FALSE(set.snapshot()->panic());
  ASSERT_TRUE(set.set_ejected("c", true).ok());  // 1 of 4 usable: 25% < 50%
  const auto snapshot = set.snapshot();
  EXPECT_TRUE(snapshot->panic());
  EXPECT_EQ(names(snapshot->usable()), (std::vector<std::string>{"d"}));
  EXPECT_EQ(names(snapshot->routable()), (std::vector<std::string>{"a", "b", "c", "d"}));
  ASSERT_TRUE(set.set_active_healthy("a", true).ok());  // 2 of 4 again
  EXPECT_FALSE(set.snapshot()->panic());
}

TEST(EndpointSetTest, PanicThresholdZeroNeverPanics) {
  EndpointSet set({.panic_threshold_percent = 0});
  ASSERT_TRUE(set.add("a").ok());
  ASSERT_TRUE(set.set_active_healthy("a", false).ok());
  EXPECT_FALSE(set.snapshot()->panic());
  EXPECT_TRUE(set.snapshot()->routable().empty());
}

TEST(EndpointSetTest, EmptySetIsNotInPanicAndRoutesNowhere) {
  EndpointSet set;
  EXPECT_FALSE(set.snapshot()->panic());
  EXPECT_TRUE(set.snapshot()->routable().empty());
}

TEST(EndpointSetTest, BadInputIsAClearError) {
  EndpointSet set;
  EXPECT_EQ(set.add("").code(), StatusCode::invalid_argument);
  ASSERT_TRUE(set.add("a").ok());
  EXPECT_EQ(set.add("a").code(), StatusCode::already_exists);
  EXPECT_EQ(set.remove("b").code(), StatusCode::not_found);
  EXPECT_EQ(set.set_active_healthy("b", true).code(), StatusCode::not_found);
  EXPECT_EQ(set.set_ejected("b", true).code(), StatusCode::not_found);
  const Status status = EndpointSetConfig{.panic_threshold_percent = 101}.validate();
  EXPECT_EQ(status.code(), StatusCode::invalid_argument);
  EXPECT_NE(status.message().find("panic_threshold_percent"), std::string_view::npos);
  EXPECT_THROW(EndpointSet({.panic_threshold_percent = 101}), resilience::ConfigError);
}

TEST(EndpointSetTest, SubscribersSeeEveryChangeInOrderAndNoOpsPublishNothing) {
  EndpointSet set;
  std::vector<std::uint64_t> versions;
  std::vector<std::size_t> usable;
  const auto id = set.subscribe([&](const EndpointSnapshot& s) {
    EXPECT_EQ(set.snapshot()->version(), s.version());  // a listener may read the set
    versions.push_back(s.version());
    usable.push_back(s.usable().size());
  });
  ASSERT_TRUE(set.add("a").ok());
  ASSERT_TRUE(set.add("b").ok());
  ASSERT_TRUE(set.set_active_healthy("a", true).ok());  // already healthy: no news
  ASSERT_TRUE(set.set_active_healthy("a", false).ok());
  ASSERT_TRUE(set.set_ejected("a", false).ok());        // not ejected: no news
  ASSERT_TRUE(set.remove("b").ok());
  EXPECT_EQ(versions, (std::vector<std::uint64_t>{2, 3, 4, 5}));
  EXPECT_EQ(usable, (std::vector<std::size_t>{1, 2, 1, 0}));
  EXPECT_EQ(set.version(), 5u);
  EXPECT_TRUE(set.unsubscribe(id));
  EXPECT_FALSE(set.unsubscribe(id));
  ASSERT_TRUE(set.add("c").ok());
  EXPECT_EQ(versions.size(), 4u);
}

TEST(EndpointSetTest, SnapshotsAreImmutableAndTheReaderFollowsChanges) {
  EndpointSet set;
  fill(set, 3);
  const auto before = set.snapshot();
  SnapshotReader reader(set);
  EXPECT_EQ(&reader.current(), before.get());  // unchanged: the same object
  ASSERT_TRUE(set.set_active_healthy("e1", false).ok());
  EXPECT_EQ(before->usable().size(), 3u);  // the old snapshot did not move
  EXPECT_EQ(reader.current().usable().size(), 2u);
  EXPECT_EQ(reader.current().version(), set.version());
}

TEST(OutstandingRequestTest, CountsWhileAliveAndMovesWithoutDoubleCounting) {
  EndpointSet set;
  fill(set, 1);
  const auto snapshot = set.snapshot();
  const EndpointView& e = snapshot->all()[0];
  {
    OutstandingRequest first(e);
    OutstandingRequest second(e);
    EXPECT_EQ(e.outstanding(), 2);
    OutstandingRequest moved(std::move(first));
    EXPECT_FALSE(first.active());  // NOLINT(bugprone-use-after-move): the point
    EXPECT_EQ(e.outstanding(), 2);
    second.finish();
    second.finish();
    EXPECT_EQ(e.outstanding(), 1);
    moved = OutstandingRequest(e);  // gives back the old one, takes a new one
    EXPECT_EQ(e.outstanding(), 1);
  }
  EXPECT_EQ(e.outstanding(), 0);
}

TEST(OutstandingRequestTest, CountsAreSharedAcrossSnapshotsAndOutliveRemoval) {
  EndpointSet set;
  fill(set, 2);
  OutstandingRequest request(set.snapshot()->all()[0]);
  ASSERT_TRUE(set.set_ejected("e1", true).ok());  // a new snapshot
  EXPECT_EQ(set.snapshot()->find("e0")->outstanding(), 1);
  ASSERT_TRUE(set.remove("e0").ok());
  request.finish();  // the counter is still alive: no crash, no leak
  EXPECT_FALSE(request.active());
}

}  // namespace
}  // namespace faultline::health
