// ConfChange: the entry encoding (round trips, hostile bytes) and the
// membership rules of conf_changer.hpp.
#include <gtest/gtest.h>

#include "faultline/core/random.hpp"
#include "faultline/raft/conf_change.hpp"
#include "faultline/raft/conf_changer.hpp"

namespace faultline::raft {
namespace {

Bytes bytes_of(std::initializer_list<int> values) {
  Bytes out;
  for (int value : values) out.push_back(static_cast<std::byte>(value));
  return out;
}

ConfChange change_of(std::vector<ConfChangeSingle> changes,
                     ConfChangeTransition transition = ConfChangeTransition::automatic) {
  return ConfChange{.changes = std::move(changes), .transition = transition};
}

TEST(ConfChangeCodec, RoundTripsEveryTypeAndLargeIds) {
  const ConfChange change = change_of({{ConfChangeType::add_voter, 1},
                                       {ConfChangeType::remove_voter, 300},
                                       {ConfChangeType::add_learner, 1ull << 40},
                                       {ConfChangeType::remove_learner, 7},
                                       {ConfChangeType::promote_learner, UINT64_MAX}},
                                      ConfChangeTransition::joint);
  const Result<ConfChange> back = decode_conf_change(encode_conf_change(change));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, change);

  const Result<ConfChange> leave = decode_conf_change(encode_conf_change(ConfChange{}));
  ASSERT_TRUE(leave.ok());
  EXPECT_TRUE(leave->leaves_joint());
}

TEST(ConfChangeCodec, HostileBytesAreInvalidArgumentNeverACrash) {
  const std::vector<Bytes> hostile = {
      {},                                          // empty
      bytes_of({2, 0, 0}),                         // unknown version
      bytes_of({1, 9, 0}),                         // unknown transition
      bytes_of({1, 0}),                            // no count
      bytes_of({1, 0, 65}),                        // more than kMaxConfChanges
      bytes_of({1, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f}),  // huge count
      bytes_of({1, 0, 1}),                         // a change announced, none present
      bytes_of({1, 0, 1, 0}),                      // a type without a node id
      bytes_of({1, 0, 1, 0, 0x80}),                // a truncated node id
      bytes_of({1, 0, 1, 9, 2}),                   // unknown change type
      bytes_of({1, 0, 1, 0, 0}),                   // node id 0
      bytes_of({1, 0, 1, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02}),  // > 64 bits
      bytes_of({1, 0, 1, 0, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01}),
      bytes_of({1, 0, 0, 0}),                      // trailing bytes
  };
  for (const Bytes& data : hostile) {
    const Result<ConfChange> decoded = decode_conf_change(data);
    ASSERT_FALSE(decoded.ok()) << ::testing::PrintToString(data);
    EXPECT_EQ(decoded.status().code(), StatusCode::invalid_argument);
    EXPECT_NE(decoded.status().message().find("malformed config change"), std::string_view::npos);
  }
}

TEST(ConfChangeCodec, RandomBytesDecodeOrFailCleanly) {
  Random random(42);
  int decoded_ok = 0;
  for (int round = 0; round < 20000; ++round) {
    Bytes data(random.uniform(24));
    for (std::byte& b : data) b = static_cast<std::byte>(random.uniform(256));
    // Bias toward the valid prefix so the search reaches the inner fields.
    if (!data.empty() && random.bernoulli(0.7)) data[0] = std::byte{1};
    if (data.size() > 1 && random.bernoulli(0.7)) data[1] = std::byte{0};
    if (data.size() > 2 && random.bernoulli(0.7)) data[2] = static_cast<std::byte>(random.uniform(4));
    const Result<ConfChange> decoded = decode_conf_change(data);
    if (decoded.ok()) {
      ++decoded_ok;
      EXPECT_EQ(encode_conf_change(*decoded), data);  // one encoding per value
    } else {
      EXPECT_EQ(decoded.status().code(), StatusCode::invalid_argument);
    }
  }
  EXPECT_GT(decoded_ok, 0);
}

TEST(ConfChanger, OneVoterMoreOrLessIsASimpleChange) {
  const ConfState three{.voters = {1, 2, 3}};
  Result<ConfState> next = next_conf_state(three, change_of({{ConfChangeType::add_voter, 4}}));
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(*next, (ConfState{.voters = {1, 2, 3, 4}}));
  next = next_conf_state(three, change_of({{ConfChangeType::remove_voter, 2}}));
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(*next, (ConfState{.voters = {1, 3}}));
  // Learners do not change the voters: any number is still simple.
  next = next_conf_state(three, change_of({{ConfChangeType::add_learner, 4},
                                           {ConfChangeType::add_learner, 5}}));
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(*next, (ConfState{.voters = {1, 2, 3}, .learners = {4, 5}}));
}

TEST(ConfChanger, MoreThanOneVoterGoesThroughAJointConfigurationThenLeavesIt) {
  const ConfState three{.voters = {1, 2, 3}, .learners = {4, 5}};
  Result<ConfState> joint = next_conf_state(three, change_of({{ConfChangeType::promote_learner, 4},
                                                              {ConfChangeType::promote_learner, 5}}));
  ASSERT_TRUE(joint.ok());
  EXPECT_EQ(*joint, (ConfState{.voters = {1, 2, 3, 4, 5}, .voters_outgoing = {1, 2, 3}}));
  EXPECT_TRUE(joint->joint());

  // Nothing else may start until the joint configuration is left.
  const Result<ConfState> refused = next_conf_state(*joint, change_of({{ConfChangeType::add_learner, 6}}));
  EXPECT_EQ(refused.status().code(), StatusCode::failed_precondition);

  const Result<ConfState> left = next_conf_state(*joint, ConfChange{});
  ASSERT_TRUE(left.ok());
  EXPECT_EQ(*left, (ConfState{.voters = {1, 2, 3, 4, 5}}));
  // Leaving when not joint is refused.
  EXPECT_EQ(next_conf_state(*left, ConfChange{}).status().code(), StatusCode::failed_precondition);

  // An explicit joint transition is joint even for a single voter.
  const Result<ConfState> forced =
      next_conf_state(ConfState{.voters = {1, 2, 3}},
                      change_of({{ConfChangeType::add_voter, 4}}, ConfChangeTransition::joint));
  ASSERT_TRUE(forced.ok());
  EXPECT_TRUE(forced->joint());
}

TEST(ConfChanger, RefusesChangesThatDoNotApply) {
  const ConfState state{.voters = {1, 2, 3}, .learners = {4}};
  const std::vector<std::pair<ConfChange, std::string>> cases = {
      {change_of({{ConfChangeType::add_voter, 2}}), "already a voter"},
      {change_of({{ConfChangeType::add_learner, 4}}), "already a learner"},
      {change_of({{ConfChangeType::add_learner, 3}}), "already a voter"},
      {change_of({{ConfChangeType::remove_voter, 9}}), "not a voter"},
      {change_of({{ConfChangeType::remove_voter, 4}}), "not a voter"},
      {change_of({{ConfChangeType::remove_learner, 2}}), "not a learner"},
      {change_of({{ConfChangeType::promote_learner, 9}}), "not a learner"},
      {change_of({{ConfChangeType::remove_voter, 3}, {ConfChangeType::add_learner, 3}}), "twice"},
      {change_of({{ConfChangeType::add_voter, kNoNode}}), "reserved"},
      {change_of({{ConfChangeType::remove_voter, 1},
                  {ConfChangeType::remove_voter, 2},
                  {ConfChangeType::remove_voter, 3}}),
       "every voter"},
  };
  for (const auto& [change, why] : cases) {
    const Result<ConfState> next = next_conf_state(state, change);
    ASSERT_FALSE(next.ok()) << why;
    EXPECT_EQ(next.status().code(), StatusCode::invalid_argument) << why;
    EXPECT_NE(next.status().message().find(why), std::string_view::npos) << next.status();
  }
}

TEST(ConfChanger, WellFormedStatesOnly) {
  EXPECT_TRUE(is_valid_conf_state(ConfState{.voters = {1, 2, 3}, .learners = {4}}));
  EXPECT_TRUE(is_valid_conf_state(ConfState{}));
  EXPECT_FALSE(is_valid_conf_state(ConfState{.voters = {2, 1}}));
  EXPECT_FALSE(is_valid_conf_state(ConfState{.voters = {1, 1}}));
  EXPECT_FALSE(is_valid_conf_state(ConfState{.voters = {0, 1}}));
  EXPECT_FALSE(is_valid_conf_state(ConfState{.voters = {1, 2}, .learners = {2}}));
  EXPECT_FALSE(is_valid_conf_state(ConfState{.voters = {1}, .voters_outgoing = {1, 2}, .learners = {2}}));
}

}  // namespace
}  // namespace faultline::raft
