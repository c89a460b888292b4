// Random histories of writes on two replicas of one key, with clients that
// read from either replica (or write blind), then anti-entropy: the
// siblings kept are exactly the writes no other write has seen, whichever
// way the replicas sync.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <vector>

#include "faultline/clocks/sibling_set.hpp"

namespace faultline::clocks {
namespace {

std::vector<Dot> dots(const SiblingSet<int>& set) {
  std::vector<Dot> out;
  for (const auto& sibling : set.siblings()) out.push_back(sibling.version.dot);
  std::sort(out.begin(), out.end());
  return out;
}

bool is_antichain(const SiblingSet<int>& set) {
  for (const auto& a : set.siblings()) {
    for (const auto& b : set.siblings()) {
      if (obsoletes(a.version, b.version)) return false;
    }
  }
  return true;
}

RC_GTEST_PROP(SiblingSetProperties, SyncIsSymmetricAndKeepsOnlyConcurrentWrites, ()) {
  std::vector<SiblingSet<int>> replicas(2, SiblingSet<int>(1024));
  const int writes = *rc::gen::inRange(1, 30);
  for (int i = 0; i < writes; ++i) {
    const std::size_t coordinator = *rc::gen::inRange<std::size_t>(0, 2);
    const std::size_t read_from = *rc::gen::inRange<std::size_t>(0, 3);  // 2: blind write
    const VersionVector context = read_from < 2 ? replicas[read_from].context() : VersionVector();
    RC_ASSERT(replicas[coordinator].put(coordinator + 1, context, i).ok());
    if (*rc::gen::inRange(0, 4) == 0) replicas[1 - coordinator].sync(replicas[coordinator]);
    RC_ASSERT(is_antichain(replicas[coordinator]));
  }
  SiblingSet<int> ab = replicas[0];
  ab.sync(replicas[1]);
  SiblingSet<int> ba = replicas[1];
  ba.sync(replicas[0]);
  RC_ASSERT(dots(ab) == dots(ba));
  RC_ASSERT(is_antichain(ab));
  SiblingSet<int> again = ab;
  again.sync(ab);
  RC_ASSERT(dots(again) == dots(ab));  // idempotent
}

}  // namespace
}  // namespace faultline::clocks
