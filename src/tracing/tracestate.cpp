#include "faultline/tracing/tracestate.hpp"

#include <algorithm>
#include <string>

#include "whitespace.hpp"

namespace faultline::tracing {

namespace {

constexpr bool is_lcalpha(char c) noexcept { return c >= 'a' && c <= 'z'; }
constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
// The characters after a key's first: lcalpha / DIGIT / "_" / "-" / "*" / "/".
constexpr bool is_key_char(char c) noexcept {
  return is_lcalpha(c) || is_digit(c) || c == '_' || c == '-' || c == '*' || c == '/';
}
// nblk-chr = %x21-2B / %x2D-3C / %x3E-7E: printable, not ',' or '='.
constexpr bool is_value_nonblank_char(char c) noexcept {
  return c >= 0x21 && c <= 0x7e && c != ',' && c != '=';
}

bool all_key_chars(std::string_view text) noexcept {
  return std::all_of(text.begin(), text.end(), is_key_char);
}

Status invalid(std::string_view what) {
  return Status::invalid_argument(std::string("tracestate: ") + std::string(what));
}

// A member after OWS trimming, "key=value", non-empty.
Result<TraceState::Member> parse_member(std::string_view text, std::size_t index) {
  const auto where = " (member " + std::to_string(index + 1) + ")";
  const auto equals = text.find('=');
  if (equals == std::string_view::npos) return invalid("member without '='" + where);
  const auto key = text.substr(0, equals);
  const auto value = text.substr(equals + 1);
  if (!valid_tracestate_key(key)) return invalid("invalid key '" + std::string(key) + "'" + where);
  if (!valid_tracestate_value(value)) return invalid("invalid value for key '" + std::string(key) + "'" + where);
  return TraceState::Member{std::string(key), std::string(value)};
}

}  // namespace

bool valid_tracestate_key(std::string_view key) noexcept {
  const auto at = key.find('@');
  if (at == std::string_view::npos) {
    return !key.empty() && key.size() <= kTraceStateKeyCharsMax && is_lcalpha(key.front()) &&
           all_key_chars(key);
  }
  const auto tenant = key.substr(0, at);
  const auto system = key.substr(at + 1);
  return !tenant.empty() && tenant.size() <= kTraceStateTenantCharsMax &&
         (is_lcalpha(tenant.front()) || is_digit(tenant.front())) && all_key_chars(tenant) &&
         !system.empty() && system.size() <= kTraceStateSystemCharsMax && is_lcalpha(system.front()) &&
         all_key_chars(system);  // a second '@' fails here
}

bool valid_tracestate_value(std::string_view value) noexcept {
  if (value.empty() || value.size() > kTraceStateValueCharsMax) return false;
  if (!is_value_nonblank_char(value.back())) return false;
  return std::all_of(value.begin(), value.end(), [](char c) { return c == ' ' || is_value_nonblank_char(c); });
}

std::optional<std::string_view> TraceState::get(std::string_view key) const noexcept {
  for (const auto& member : members_) {
    if (member.key == key) return std::string_view(member.value);
  }
  return std::nullopt;
}

Status TraceState::put(std::string_view key, std::string_view value) {
  if (!valid_tracestate_key(key)) return invalid("invalid key '" + std::string(key) + "'");
  if (!valid_tracestate_value(value)) return invalid("invalid value for key '" + std::string(key) + "'");
  erase(key);
  if (members_.size() == kTraceStateMembersMax) members_.pop_back();
  members_.insert(members_.begin(), Member{std::string(key), std::string(value)});
  return Status();
}

bool TraceState::erase(std::string_view key) {
  const auto it = std::find_if(members_.begin(), members_.end(), [&](const Member& m) { return m.key == key; });
  if (it == members_.end()) return false;
  members_.erase(it);
  return true;
}

Result<TraceState> parse_tracestate(std::string_view header) {
  if (header.size() > kTraceStateCharsMax) {
    return invalid("longer than " + std::to_string(kTraceStateCharsMax) + " characters");
  }
  TraceState state;
  std::size_t index = 0;
  while (true) {
    const auto comma = header.find(',');
    const auto member_text = trim_optional_whitespace(header.substr(0, comma));
    if (!member_text.empty()) {
      if (state.members_.size() == kTraceStateMembersMax) {
        return invalid("more than " + std::to_string(kTraceStateMembersMax) + " members");
      }
      auto member = parse_member(member_text, index);
      if (!member.ok()) return member.status();
      if (state.get(member->key).has_value()) {
        return invalid("duplicate key '" + member->key + "'");
      }
      state.members_.push_back(std::move(*member));
    }
    ++index;
    if (comma == std::string_view::npos) break;
    header.remove_prefix(comma + 1);
  }
  return state;
}

Result<TraceState> parse_tracestate(std::span<const std::string_view> headers) {
  std::string combined;
  for (const auto header : headers) {
    if (combined.size() + (combined.empty() ? 0 : 1) + header.size() > kTraceStateCharsMax) {
      return invalid("combined headers longer than " + std::to_string(kTraceStateCharsMax) + " characters");
    }
    if (!combined.empty()) combined += ',';
    combined += header;
  }
  return parse_tracestate(std::string_view(combined));
}

std::string format_tracestate(const TraceState& state) {
  std::string out;
  for (const auto& member : state.members()) {
    if (!out.empty()) out += ',';
    out += member.key;
    out += '=';
    out += member.value;
  }
  return out;
}

}  // namespace faultline::tracing
