// The space-time diagram of Lamport (1978), figure 1 style, as most
// textbooks draw it: three processes P, Q, R on horizontal lines, events
// a..i, and messages as arrows. The vector clocks must give the textbook's
// verdicts: causally related events ordered, the others concurrent; and
// the Lamport stamps must be consistent with every causal pair.
//
//   P:  a --> b (send m1 to Q) ----------------------------> c (recv m3)
//   Q:  d ------> e (recv m1) --> f (send m2 to R) --> g (send m3 to P)
//   R:  h ---------------------------------> i (recv m2)
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "faultline/clocks/lamport_clock.hpp"
#include "faultline/clocks/text_encoding.hpp"
#include "faultline/clocks/vector_clock.hpp"

namespace faultline::clocks {
namespace {

constexpr std::size_t kP = 0;
constexpr std::size_t kQ = 1;
constexpr std::size_t kR = 2;

class SpaceTimeDiagram : public ::testing::Test {
 protected:
  void SetUp() override {
    local('a', kP);
    const VectorClock m1 = local('b', kP);
    local('d', kQ);
    receive('e', kQ, m1, lamport_['b']);
    const VectorClock m2 = local('f', kQ);
    local('h', kR);
    receive('i', kR, m2, lamport_['f']);
    const VectorClock m3 = local('g', kQ);
    receive('c', kP, m3, lamport_['g']);
  }

  // A local or send event on `process`.
  VectorClock local(char event, std::size_t process) {
    clocks_[process].increment(process);
    stamps_[event] = clocks_[process];
    lamport_[event] = lamports_[process].tick();
    return clocks_[process];
  }

  void receive(char event, std::size_t process, const VectorClock& message,
               LamportTimestamp message_stamp) {
    clocks_[process].merge(message);
    clocks_[process].increment(process);
    stamps_[event] = clocks_[process];
    lamport_[event] = *lamports_[process].update(message_stamp);
  }

  CausalOrder order(char x, char y) { return compare(stamps_.at(x), stamps_.at(y)); }

  std::vector<VectorClock> clocks_{VectorClock(3), VectorClock(3), VectorClock(3)};
  LamportClock lamports_[3] = {LamportClock(kP), LamportClock(kQ), LamportClock(kR)};
  std::map<char, VectorClock> stamps_;
  std::map<char, LamportTimestamp> lamport_;
};

TEST_F(SpaceTimeDiagram, VectorClocksMatchTheDiagram) {
  EXPECT_EQ(to_text(stamps_['a']), "[1,0,0]");
  EXPECT_EQ(to_text(stamps_['b']), "[2,0,0]");
  EXPECT_EQ(to_text(stamps_['e']), "[2,2,0]");
  EXPECT_EQ(to_text(stamps_['f']), "[2,3,0]");
  EXPECT_EQ(to_text(stamps_['g']), "[2,4,0]");
  EXPECT_EQ(to_text(stamps_['c']), "[3,4,0]");
  EXPECT_EQ(to_text(stamps_['i']), "[2,3,2]");
}

TEST_F(SpaceTimeDiagram, CausalChainsAreOrdered) {
  EXPECT_EQ(order('a', 'b'), CausalOrder::before);  // same process
  EXPECT_EQ(order('b', 'e'), CausalOrder::before);  // send before receive
  EXPECT_EQ(order('a', 'i'), CausalOrder::before);  // a -> b -> e -> f -> i
  EXPECT_EQ(order('d', 'c'), CausalOrder::before);  // d -> e -> f -> g -> c
  EXPECT_EQ(order('c', 'a'), CausalOrder::after);
}

TEST_F(SpaceTimeDiagram, UnrelatedEventsAreConcurrent) {
  EXPECT_EQ(order('a', 'd'), CausalOrder::concurrent);  // first events of P and Q
  EXPECT_EQ(order('h', 'b'), CausalOrder::concurrent);  // R's first event vs P's send
  EXPECT_EQ(order('h', 'g'), CausalOrder::concurrent);  // R never heard of g, nor Q of h
  EXPECT_EQ(order('c', 'i'), CausalOrder::concurrent);  // both depend on f, not on each other
  EXPECT_EQ(order('g', 'i'), CausalOrder::concurrent);
}

TEST_F(SpaceTimeDiagram, LamportStampsRespectEveryCausalPairButCannotSeeConcurrency) {
  for (const auto& [x, vx] : stamps_) {
    for (const auto& [y, vy] : stamps_) {
      if (happened_before(vx, vy)) {
        EXPECT_LT(lamport_[x], lamport_[y]) << x << " -> " << y;
      }
    }
  }
  // h and g are concurrent, yet their stamps are ordered: Lamport clocks
  // alone cannot tell.
  EXPECT_LT(lamport_['h'], lamport_['g']);
}

}  // namespace
}  // namespace faultline::clocks
