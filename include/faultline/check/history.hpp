// History: what clients saw, as Jepsen records it — events, then operations.
//
// A history is the ordered list of events clients recorded against a
// system: each operation is an `invoke` followed later by one completion
// from the same process:
//   ok   — it happened, with its result (the value a read returned);
//   fail — it certainly did not happen (the checker drops it);
//   info — unknown: it may take effect at any point after its invoke, or
//          never. An invoke with no completion at all is treated as info.
// Real-time order is the order of events in the history, or their `time`
// when every event carries one.
//
// pair_operations() turns events into Operations (one per invoke that did
// not fail), which is what models and the search work on. Use it after a
// parser (history_parser.hpp) or build events by hand in tests:
//
//   History h;
//   h.push_back(Event::invoke(0, "put", "x", Value{"1"}));
//   h.push_back(Event::ok(0, "put", "x", Value{"1"}));
//   Result<std::vector<Operation>> ops = pair_operations(h);
//
// Thread-safety: plain values; one object is not synchronized.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "faultline/core/result.hpp"

namespace faultline::check {

// A register value or a read result. nullopt is Jepsen's nil: "no value"
// (a key never written, a read whose result is not known).
using Value = std::optional<std::string>;

// "nil" or the value itself, for messages and timelines.
[[nodiscard]] std::string value_to_string(const Value& value);

enum class EventType : std::uint8_t { invoke, ok, fail, info };

[[nodiscard]] std::string_view event_type_name(EventType type) noexcept;

struct Event {
  EventType type = EventType::invoke;
  std::int64_t process = 0;
  std::string function;  // "read", "write", "cas", "get", "put", "append"
  std::string key;       // empty for a single register
  Value value;           // write/put/append argument, read result, cas new value
  Value expected;        // cas only: the value it compares against
  std::optional<std::int64_t> time_ns;  // monotonic, when recorded
  std::size_t line = 0;  // 1-based source line, 0 when built by hand

  static Event invoke(std::int64_t process, std::string function, std::string key, Value value,
                      Value expected = std::nullopt);
  static Event ok(std::int64_t process, std::string function, std::string key, Value value,
                  Value expected = std::nullopt);
  static Event fail(std::int64_t process, std::string function, std::string key);
  static Event info(std::int64_t process, std::string function, std::string key);
};

using History = std::vector<Event>;

// One operation, from its invoke to its completion. Times are positions on
// one real-time axis shared by every operation of the history: calls and
// returns are ordered by them (a call at the same time as a return is taken
// as concurrent with it).
struct Operation {
  static constexpr std::int64_t kNeverReturned = INT64_MAX;

  std::size_t id = 0;  // index in the pair_operations() result
  std::int64_t process = 0;
  std::string function;
  std::string key;
  Value value;     // argument (write/put/append, cas new value) or read result
  Value expected;  // cas: the value compared against
  bool result_known = true;  // false for info operations and unfinished invokes
  std::int64_t call_time = 0;
  std::int64_t return_time = kNeverReturned;  // kNeverReturned when !result_known
  std::size_t invoke_line = 0;
  std::size_t complete_line = 0;  // 0 when it never completed

  [[nodiscard]] bool is_read() const noexcept { return function == "read" || function == "get"; }
};

// Pairs each invoke with the next completion of the same process. Fails
// (invalid_argument, naming the line) when a process completes without an
// invoke, invokes twice without completing, or completes a different
// function than it invoked. `fail` operations are dropped; `info` and
// unfinished ones get result_known = false. Uses event times when every
// event has one, event positions otherwise.
[[nodiscard]] Result<std::vector<Operation>> pair_operations(const History& history);

}  // namespace faultline::check
