// Sparse version vectors: order, merge, forgetting retired nodes, pruning.
#include <gtest/gtest.h>

#include "faultline/clocks/version_vector.hpp"

namespace faultline::clocks {
namespace {

using std::chrono::milliseconds;

WallMillis at_ms(std::int64_t ms) { return WallMillis(milliseconds(ms)); }

VersionVector vv(std::initializer_list<std::pair<NodeId, std::uint64_t>> counters) {
  std::vector<VersionEntry> entries;
  for (auto [node, counter] : counters) entries.push_back({node, counter, {}});
  return VersionVector(std::move(entries));
}

TEST(VersionVector, AbsentNodesCountAsZero) {
  VersionVector v;
  EXPECT_EQ(v.counter(42), 0u);
  EXPECT_EQ(v.increment(42), 1u);
  EXPECT_EQ(v.increment(42), 2u);
  EXPECT_EQ(v.counter(42), 2u);
  EXPECT_EQ(v.size(), 1u);
}

TEST(VersionVector, EntriesStaySortedByNode) {
  VersionVector v;
  v.increment(9);
  v.increment(1);
  v.increment(5);
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(v.entries()[0].node, 1u);
  EXPECT_EQ(v.entries()[2].node, 9u);
}

TEST(VersionVector, CompareTreatsMissingNodesAsZero) {
  EXPECT_EQ(compare(vv({{1, 1}}), vv({{1, 1}, {2, 1}})), CausalOrder::before);
  EXPECT_EQ(compare(vv({{1, 2}}), vv({{1, 1}, {2, 1}})), CausalOrder::concurrent);
  EXPECT_EQ(compare(vv({{1, 2}, {3, 1}}), vv({{1, 2}})), CausalOrder::after);
  EXPECT_EQ(compare(VersionVector(), VersionVector()), CausalOrder::equal);
  EXPECT_TRUE(descends(vv({{1, 2}}), vv({{1, 2}})));
  EXPECT_TRUE(happened_before(VersionVector(), vv({{4, 1}})));
}

TEST(VersionVector, MergeInPlaceAndWithNewNodes) {
  VersionVector a = vv({{1, 3}, {2, 1}});
  a.merge(vv({{1, 1}, {2, 4}}));
  EXPECT_EQ(a, vv({{1, 3}, {2, 4}}));
  a.merge(vv({{0, 1}, {7, 2}}));
  EXPECT_EQ(a, vv({{0, 1}, {1, 3}, {2, 4}, {7, 2}}));
}

TEST(VersionVector, ForgetDropsARetiredNode) {
  VersionVector a = vv({{1, 3}, {2, 1}});
  EXPECT_TRUE(a.forget(2));
  EXPECT_FALSE(a.forget(2));
  EXPECT_EQ(a, vv({{1, 3}}));
}

TEST(VersionVector, PruneDropsOldEntriesThenTheLeastRecentlyTouched) {
  VersionVector a;
  a.increment(1, at_ms(1'000));
  a.increment(2, at_ms(50'000));
  a.increment(3, at_ms(60'000));
  a.increment(4, at_ms(70'000));
  a.increment(5);  // never stamped: kept by age, first to go by count
  const std::size_t dropped =
      a.prune(PruneConfig{.entries_max = 2, .age_max = milliseconds(30'000)}, at_ms(80'000));
  EXPECT_EQ(dropped, 3u);
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a.entries()[0].node, 3u);
  EXPECT_EQ(a.entries()[1].node, 4u);
}

TEST(VersionVector, NamesMapToStableIds) {
  static_assert(node_id_from_name("kv-1") == node_id_from_name("kv-1"));
  EXPECT_NE(node_id_from_name("kv-1"), node_id_from_name("kv-2"));
  // FNV-1a's published value for the empty string: the hash is the standard one.
  EXPECT_EQ(node_id_from_name(""), 0xcbf29ce484222325ULL);
}

}  // namespace
}  // namespace faultline::clocks
