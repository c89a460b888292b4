// Dotted version vectors and sibling sets: concurrent writes are kept,
// superseded ones dropped, exactly.
#include <gtest/gtest.h>

#include <string>

#include "faultline/clocks/dotted_version_vector.hpp"
#include "faultline/clocks/sibling_set.hpp"

namespace faultline::clocks {
namespace {

constexpr NodeId kServerA = 1;
constexpr NodeId kServerB = 2;

std::vector<std::string> values(const SiblingSet<std::string>& set) {
  std::vector<std::string> out;
  for (const auto& sibling : set.siblings()) out.push_back(sibling.value);
  return out;
}

TEST(DottedVersionVector, OrderFollowsTheDots) {
  const DottedVersionVector first{{kServerA, 1}, {}};
  const DottedVersionVector blind{{kServerA, 2}, {}};
  VersionVector saw_first;
  saw_first.increment(kServerA);
  const DottedVersionVector informed{{kServerA, 3}, saw_first};
  EXPECT_EQ(compare(first, blind), CausalOrder::concurrent);
  EXPECT_EQ(compare(first, informed), CausalOrder::before);
  EXPECT_EQ(compare(informed, first), CausalOrder::after);
  EXPECT_EQ(compare(blind, informed), CausalOrder::concurrent);
  EXPECT_EQ(compare(first, first), CausalOrder::equal);
  EXPECT_TRUE(obsoletes(informed, first));
  EXPECT_FALSE(obsoletes(informed, blind));
}

TEST(SiblingSet, BlindWritesThroughOneServerAreBothKept) {
  // With one version vector per key, both writes would carry {A:1} and
  // {A:2}, and the second would silently replace the first.
  SiblingSet<std::string> key;
  ASSERT_TRUE(key.put(kServerA, {}, "cart=[milk]").ok());
  ASSERT_TRUE(key.put(kServerA, {}, "cart=[eggs]").ok());
  EXPECT_EQ(values(key), (std::vector<std::string>{"cart=[milk]", "cart=[eggs]"}));
}

TEST(SiblingSet, AWriteReplacesWhatItsClientRead) {
  SiblingSet<std::string> key;
  ASSERT_TRUE(key.put(kServerA, {}, "a").ok());
  ASSERT_TRUE(key.put(kServerA, {}, "b").ok());
  const VersionVector read_context = key.context();
  ASSERT_TRUE(key.put(kServerA, {}, "c").ok());  // arrives between read and write
  ASSERT_TRUE(key.put(kServerA, read_context, "a+b").ok());
  EXPECT_EQ(values(key), (std::vector<std::string>{"c", "a+b"}));
}

TEST(SiblingSet, SyncBetweenReplicasKeepsOnlyUnseenWrites) {
  SiblingSet<std::string> replica_a;
  SiblingSet<std::string> replica_b;
  ASSERT_TRUE(replica_a.put(kServerA, {}, "from-a").ok());
  replica_b.sync(replica_a);
  ASSERT_TRUE(replica_b.put(kServerB, replica_b.context(), "from-b").ok());
  ASSERT_TRUE(replica_a.put(kServerA, replica_a.context(), "a-again").ok());
  SiblingSet<std::string> ab = replica_a;
  ab.sync(replica_b);
  SiblingSet<std::string> ba = replica_b;
  ba.sync(replica_a);
  EXPECT_EQ(ab.size(), 2u);
  EXPECT_EQ(ba.size(), 2u);
  EXPECT_EQ(compare(ab.context(), ba.context()), CausalOrder::equal);
}

TEST(SiblingSet, RefusesToGrowPastItsBound) {
  SiblingSet<int> key(2);
  ASSERT_TRUE(key.put(kServerA, {}, 1).ok());
  ASSERT_TRUE(key.put(kServerA, {}, 2).ok());
  const Status refused = key.put(kServerA, {}, 3);
  EXPECT_EQ(refused.code(), StatusCode::resource_exhausted);
  EXPECT_EQ(refused.reason(), "TOO_MANY_SIBLINGS");
  EXPECT_TRUE(key.put(kServerA, key.context(), 4).ok());  // a resolving write fits
  EXPECT_EQ(key.size(), 1u);
}

}  // namespace
}  // namespace faultline::clocks
