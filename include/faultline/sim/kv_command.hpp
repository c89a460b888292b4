// KvCommand: a client's write as it travels in a Raft entry, and the
// key-value state machine every simulated node applies it to.
//
// A write (put or compare-and-swap) carries its client and a per-client op
// id, so the node that applies it can answer the right client, and so a
// retried write that already took effect is not applied twice (the state
// machine remembers each client's last applied op and its result, as a
// Raft session does, thesis §6.3). Reads never enter the log: they go through
// ReadIndex and read the applied map.
//
//   KvStateMachine machine;
//   Bytes data = encode_command({.kind = KvCommand::Kind::put, .client = 1, .op = 7,
//                                .key = "k0", .value = "v"});
//   Result<KvCommand> command = decode_command(data);
//   KvApplied result = machine.apply(*command);
//
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "faultline/core/result.hpp"
#include "faultline/raft/types.hpp"

namespace faultline::sim {

struct KvCommand {
  enum class Kind : std::uint8_t { put, cas };
  Kind kind = Kind::put;
  std::uint64_t client = 0;
  std::uint64_t op = 0;
  std::string key;
  std::string value;                    // put value, cas new value
  std::optional<std::string> expected{};  // cas only; nullopt = "absent"
};

// Text form "P client op key value" / "C client op key expected|~ new";
// keys and values must not contain spaces or be "~".
[[nodiscard]] raft::Bytes encode_command(const KvCommand& command);
// invalid_argument for anything encode_command() cannot have produced.
[[nodiscard]] Result<KvCommand> decode_command(const raft::Bytes& data);

// What applying a write did: ok, or (cas) refused because the value differed.
struct KvApplied {
  bool ok = true;
};

class KvStateMachine {
 public:
  // Applies once per (client, op): a repeat returns the first result, and an
  // op older than the client's last applied one has no effect (its client
  // recorded it as unknown and moved on; it may then never happen).
  KvApplied apply(const KvCommand& command);
  [[nodiscard]] std::optional<std::string> get(const std::string& key) const;
  // The result of an op already applied, if it was.
  [[nodiscard]] std::optional<KvApplied> applied_result(std::uint64_t client,
                                                        std::uint64_t op) const;

  // The whole state, values and sessions, as a Raft snapshot's data: lines
  // "V key value" and "S client op ok|no", in key order, so equal states give
  // equal bytes (the simulator compares snapshots byte for byte). Sessions
  // are part of it: a node caught up by snapshot must still refuse to apply
  // a retried write twice.
  [[nodiscard]] raft::Bytes encode() const;
  // invalid_argument for anything encode() cannot have produced.
  [[nodiscard]] static Result<KvStateMachine> decode(const raft::Bytes& data);

  friend bool operator==(const KvStateMachine&, const KvStateMachine&) = default;

 private:
  struct Session {
    std::uint64_t op = 0;
    KvApplied result;
    friend bool operator==(const Session& a, const Session& b) {
      return a.op == b.op && a.result.ok == b.result.ok;
    }
  };
  std::map<std::string, std::string> values_;
  std::map<std::uint64_t, Session> sessions_;  // client -> its last applied op
};

}  // namespace faultline::sim
