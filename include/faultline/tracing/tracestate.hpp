// The W3C Trace Context `tracestate` header: vendor-specific key=value
// pairs that travel with a trace, in order, most recently updated first.
//
//   tracestate: congo=t61rcWkgMzE,rojo=00f067aa0ba902b7
//
// Parsing follows the W3C Recommendation (Trace Context Level 1):
// - members are separated by ',' with optional whitespace around each;
//   empty members are allowed and skipped (they appear when several
//   headers are combined), and do not count towards the limit;
// - a key is a simple key, lcalpha then up to 255 of lcalpha, DIGIT, '_',
//   '-', '*', '/'; or a multi-tenant key tenant@system, the tenant an
//   lcalpha or DIGIT then up to 240 of those, the system an lcalpha then up
//   to 13 of those;
// - a value is 1 to 256 printable ASCII characters (0x20-0x7e) other than
//   ',' and '=', not ending in a space;
// - keys are unique, and there are at most 32 members.
// Any violation makes the whole header invalid (invalid_argument naming
// the member); the Recommendation's rule is then to drop the tracestate
// and keep the traceparent. Several tracestate header fields are one list,
// combined in order as HTTP combines repeated fields (with ',').
//
// Updating follows the Recommendation's mutation rules: put() adds or
// replaces a key and moves it to the front; when the list is full, the
// member at the end is removed to make room.
//
//   Result<TraceState> state = parse_tracestate(value);
//   state->put("faultline", "r:3");
//   std::string outgoing = format_tracestate(*state);
//
// Thread-safety: a value type; one object is not synchronized.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "faultline/core/result.hpp"

namespace faultline::tracing {

inline constexpr std::size_t kTraceStateMembersMax = 32;
inline constexpr std::size_t kTraceStateKeyCharsMax = 256;
inline constexpr std::size_t kTraceStateTenantCharsMax = 241;
inline constexpr std::size_t kTraceStateSystemCharsMax = 14;
inline constexpr std::size_t kTraceStateValueCharsMax = 256;
// A bound on the combined header we read: 32 members of the longest key
// and value, with separators and generous whitespace.
inline constexpr std::size_t kTraceStateCharsMax = 32 * 1024;

class TraceState {
 public:
  struct Member {
    std::string key;
    std::string value;
    friend bool operator==(const Member&, const Member&) = default;
  };

  TraceState() = default;

  [[nodiscard]] bool empty() const noexcept { return members_.empty(); }
  [[nodiscard]] std::size_t size() const noexcept { return members_.size(); }
  // In header order: the most recently updated member first.
  [[nodiscard]] const std::vector<Member>& members() const noexcept { return members_; }
  [[nodiscard]] std::optional<std::string_view> get(std::string_view key) const noexcept;

  // Adds key=value at the front, replacing an existing member with that
  // key; when the list already holds kTraceStateMembersMax members, the
  // last one is dropped. invalid_argument if key or value breaks the
  // grammar (the list is then unchanged).
  Status put(std::string_view key, std::string_view value);
  // Removes the member with this key; false if there was none.
  bool erase(std::string_view key);

  friend bool operator==(const TraceState&, const TraceState&) = default;

 private:
  friend Result<TraceState> parse_tracestate(std::string_view header);
  std::vector<Member> members_;
};

[[nodiscard]] bool valid_tracestate_key(std::string_view key) noexcept;
[[nodiscard]] bool valid_tracestate_value(std::string_view value) noexcept;

// One header field value. An empty or whitespace-only value is a valid,
// empty list.
Result<TraceState> parse_tracestate(std::string_view header);
// Several header fields, combined in order (as HTTP combines them).
Result<TraceState> parse_tracestate(std::span<const std::string_view> headers);

// "k1=v1,k2=v2", no whitespace; empty for an empty list (a sender should
// then omit the header).
[[nodiscard]] std::string format_tracestate(const TraceState& state);

}  // namespace faultline::tracing
