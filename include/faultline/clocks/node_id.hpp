// NodeId: who made an event, as the clocks of this module name it.
//
// Every clock here identifies a node by a 64-bit number: cheap to compare,
// sort and encode (a varint of one to ten bytes). Deployments that name
// nodes with strings ("eu-west-1a/kv-3") map a name to an id with
// node_id_from_name(), a stable 64-bit FNV-1a hash: the same name gives the
// same id on every machine, build and run. Two names colliding would merge
// their histories; among n names that happens with probability about
// n² / 2^65 (1e-14 for a thousand nodes), which we accept for the simplicity
// of one fixed-width key. Deployments that cannot accept it assign numbers.
//
//   NodeId id = node_id_from_name("kv-3");
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <string_view>

namespace faultline::clocks {

using NodeId = std::uint64_t;

// FNV-1a, 64-bit: a fixed, portable function (std::hash is neither).
[[nodiscard]] constexpr NodeId node_id_from_name(std::string_view name) noexcept {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (const char c : name) {
    hash ^= static_cast<std::uint8_t>(c);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

}  // namespace faultline::clocks
