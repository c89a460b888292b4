// Bad options and bad commands get a clear invalid_argument, never a crash.
#include <gtest/gtest.h>

#include "faultline/sim/kv_command.hpp"
#include "faultline/sim/options.hpp"

namespace faultline::sim {
namespace {

TEST(Options, FaultListsParseToKinds) {
  const FaultKinds kinds = parse_fault_kinds("loss,dup,partition").value();
  EXPECT_TRUE(kinds.has(FaultKind::loss));
  EXPECT_TRUE(kinds.has(FaultKind::duplicate));
  EXPECT_TRUE(kinds.has(FaultKind::partition));
  EXPECT_FALSE(kinds.has(FaultKind::crash));
  EXPECT_EQ(fault_kinds_text(kinds), "loss,dup,partition");
  EXPECT_EQ(fault_kinds_text(parse_fault_kinds("all").value()), "all");
  EXPECT_TRUE(parse_fault_kinds("none").value().none());
  const FaultKinds cluster = parse_fault_kinds("membership,transfer").value();
  EXPECT_TRUE(cluster.has(FaultKind::membership));
  EXPECT_TRUE(cluster.has(FaultKind::transfer));
  EXPECT_FALSE(cluster.has(FaultKind::crash));
  EXPECT_EQ(fault_kinds_text(cluster), "membership,transfer");
  EXPECT_TRUE(FaultKinds::all().has(FaultKind::membership));
  EXPECT_TRUE(FaultKinds::all().has(FaultKind::transfer));
}

TEST(Options, LeaderChurnIsNamedButNotPartOfAll) {
  EXPECT_FALSE(FaultKinds::all().has(FaultKind::churn));
  EXPECT_EQ(fault_kinds_text(parse_fault_kinds("churn,loss").value()), "loss,churn");
  const FaultKinds both = parse_fault_kinds("all,churn").value();
  EXPECT_TRUE(both.has(FaultKind::churn));
  EXPECT_TRUE(both.has(FaultKind::transfer));
  EXPECT_EQ(parse_fault_kinds(fault_kinds_text(both)).value().bits, both.bits);
}

TEST(Options, AnUnknownFaultKindIsRefusedByName) {
  const Result<FaultKinds> kinds = parse_fault_kinds("loss,earthquake");
  ASSERT_FALSE(kinds.ok());
  EXPECT_EQ(kinds.status().code(), StatusCode::invalid_argument);
  EXPECT_NE(kinds.status().message().find("earthquake"), std::string_view::npos);
  EXPECT_FALSE(parse_fault_kinds("").ok());
  EXPECT_FALSE(parse_fault_kinds("loss,").ok());
}

TEST(Options, KnobsAreSetByNameAndUnknownOnesRefused) {
  raft::RaftTestKnobs knobs;
  ASSERT_TRUE(set_knob(knobs, "read_index_skips_quorum_check").ok());
  EXPECT_TRUE(knobs.read_index_skips_quorum_check);
  EXPECT_EQ(knobs_text(knobs), "read_index_skips_quorum_check");
  EXPECT_EQ(set_knob(knobs, "make_it_fast").code(), StatusCode::invalid_argument);
}

TEST(Options, OutOfRangeOptionsAreRefused) {
  SimOptions options;
  EXPECT_TRUE(options.validate().ok());
  options.nodes = 4;
  EXPECT_EQ(options.validate().code(), StatusCode::invalid_argument);
  options = SimOptions{};
  options.clients = 0;
  EXPECT_FALSE(options.validate().ok());
  options = SimOptions{};
  options.duration = std::chrono::milliseconds(10);
  EXPECT_FALSE(options.validate().ok());
}

TEST(Options, TheReplayCommandNamesEverythingThatShapesTheRun) {
  SimOptions options;
  options.nodes = 5;
  options.faults = parse_fault_kinds("crash").value();
  options.knobs.skip_vote_up_to_date_check = true;
  EXPECT_EQ(replay_command(42, options),
            "faultline sim --seed 42 --nodes 5 --clients 3 --duration 10000ms --faults crash "
            "--knob skip_vote_up_to_date_check --log");
  options.snapshot_interval = 7;
  EXPECT_NE(replay_command(42, options).find(" --snapshot-every 7 "), std::string::npos);
  options.snapshot_interval = kDefaultSnapshotInterval;
  EXPECT_EQ(replay_command(42, options).find("--snapshot-every"), std::string::npos);
}

TEST(KvCommand, ACommandRoundTripsThroughItsEntryBytes) {
  const KvCommand cas{.kind = KvCommand::Kind::cas, .client = 2, .op = 9, .key = "k1",
                      .value = "c2-9", .expected = std::string("c1-4")};
  const KvCommand decoded = decode_command(encode_command(cas)).value();
  EXPECT_EQ(decoded.kind, KvCommand::Kind::cas);
  EXPECT_EQ(decoded.client, 2u);
  EXPECT_EQ(decoded.op, 9u);
  EXPECT_EQ(decoded.expected, std::optional<std::string>("c1-4"));
  EXPECT_EQ(decoded.value, "c2-9");
}

TEST(KvCommand, AStateMachineRoundTripsThroughItsSnapshotBytes) {
  KvStateMachine machine;
  (void)machine.apply(
      {.kind = KvCommand::Kind::put, .client = 1, .op = 3, .key = "k0", .value = "a"});
  (void)machine.apply({.kind = KvCommand::Kind::cas, .client = 2, .op = 5, .key = "k0",
                       .value = "b", .expected = std::string("zzz")});
  const raft::Bytes data = machine.encode();
  EXPECT_EQ(raft::as_string_view(data), "V k0 a\nS 1 3 ok\nS 2 5 no\n");
  KvStateMachine restored = KvStateMachine::decode(data).value();
  EXPECT_TRUE(restored == machine);
  // The sessions came along: a retried write is not applied twice, and its
  // first result is answered.
  EXPECT_FALSE(restored.applied_result(2, 5)->ok);
  (void)restored.apply(
      {.kind = KvCommand::Kind::put, .client = 1, .op = 3, .key = "k0", .value = "x"});
  EXPECT_EQ(restored.get("k0"), std::optional<std::string>("a"));
  EXPECT_TRUE(KvStateMachine::decode(KvStateMachine().encode()).value() == KvStateMachine());
}

TEST(KvCommand, MalformedSnapshotBytesAreRefused) {
  for (const char* text : {"V k0", "V k0 a", "S 1 3 maybe\n", "S x 3 ok\n", "Q 1\n", "V  a\n"}) {
    const Result<KvStateMachine> machine = KvStateMachine::decode(raft::to_bytes(text));
    ASSERT_FALSE(machine.ok()) << text;
    EXPECT_EQ(machine.status().code(), StatusCode::invalid_argument) << text;
  }
}

TEST(KvCommand, MalformedEntryBytesAreRefused) {
  for (const char* text : {"", "P", "P 1 2 k", "X 1 2 k v", "P one 2 k v", "C 1 2 k v", "P 1 2 k v extra"}) {
    const Result<KvCommand> command = decode_command(raft::to_bytes(text));
    ASSERT_FALSE(command.ok()) << text;
    EXPECT_EQ(command.status().code(), StatusCode::invalid_argument) << text;
  }
}

TEST(KvCommand, ARetriedWriteAppliesOnceAndAnAbandonedOneNotAtAll) {
  KvStateMachine machine;
  const KvCommand put1{.kind = KvCommand::Kind::put, .client = 1, .op = 1, .key = "k", .value = "a"};
  const KvCommand put2{.kind = KvCommand::Kind::put, .client = 1, .op = 2, .key = "k", .value = "b"};
  EXPECT_TRUE(machine.apply(put1).ok);
  EXPECT_TRUE(machine.apply(put2).ok);
  EXPECT_TRUE(machine.apply(put2).ok);  // the retry: same result, applied once
  EXPECT_FALSE(machine.apply(put1).ok);  // older than the client's last op: no effect
  EXPECT_EQ(machine.get("k"), std::optional<std::string>("b"));
  const KvCommand cas{.kind = KvCommand::Kind::cas, .client = 2, .op = 1, .key = "k",
                      .value = "c", .expected = std::string("a")};
  EXPECT_FALSE(machine.apply(cas).ok);  // k is b, not a
  EXPECT_EQ(machine.get("k"), std::optional<std::string>("b"));
}

}  // namespace
}  // namespace faultline::sim
