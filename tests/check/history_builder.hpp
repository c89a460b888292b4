// Test helpers: build histories that read like the scenarios they are.
//
//   History h = {invoke_write(0, "1"), ok_write(0, "1"),
//                invoke_read(1),       ok_read(1, "1")};
#pragma once

#include <string>
#include <utility>

#include "faultline/check/history.hpp"

namespace faultline::check::testing {

// --- the register (no key) ---
inline Event invoke_write(std::int64_t p, std::string v) { return Event::invoke(p, "write", "", Value(std::move(v))); }
inline Event ok_write(std::int64_t p, std::string v) { return Event::ok(p, "write", "", Value(std::move(v))); }
inline Event invoke_read(std::int64_t p) { return Event::invoke(p, "read", "", std::nullopt); }
inline Event ok_read(std::int64_t p, Value v) { return Event::ok(p, "read", "", std::move(v)); }
inline Event invoke_cas(std::int64_t p, std::string from, std::string to) {
  return Event::invoke(p, "cas", "", Value(std::move(to)), Value(std::move(from)));
}
inline Event ok_cas(std::int64_t p, std::string from, std::string to) {
  return Event::ok(p, "cas", "", Value(std::move(to)), Value(std::move(from)));
}

// --- the kv map ---
inline Event invoke_put(std::int64_t p, std::string k, std::string v) { return Event::invoke(p, "put", std::move(k), Value(std::move(v))); }
inline Event ok_put(std::int64_t p, std::string k, std::string v) { return Event::ok(p, "put", std::move(k), Value(std::move(v))); }
inline Event invoke_append(std::int64_t p, std::string k, std::string v) { return Event::invoke(p, "append", std::move(k), Value(std::move(v))); }
inline Event ok_append(std::int64_t p, std::string k, std::string v) { return Event::ok(p, "append", std::move(k), Value(std::move(v))); }
inline Event invoke_get(std::int64_t p, std::string k) { return Event::invoke(p, "get", std::move(k), std::nullopt); }
inline Event ok_get(std::int64_t p, std::string k, Value v) { return Event::ok(p, "get", std::move(k), std::move(v)); }
inline Event invoke_kv_cas(std::int64_t p, std::string k, std::string from, std::string to) {
  return Event::invoke(p, "cas", std::move(k), Value(std::move(to)), Value(std::move(from)));
}
inline Event ok_kv_cas(std::int64_t p, std::string k, std::string from, std::string to) {
  return Event::ok(p, "cas", std::move(k), Value(std::move(to)), Value(std::move(from)));
}

// --- completions that carry no result ---
inline Event fail_op(std::int64_t p, std::string f, std::string k = "") { return Event::fail(p, std::move(f), std::move(k)); }
inline Event info_op(std::int64_t p, std::string f, std::string k = "") { return Event::info(p, std::move(f), std::move(k)); }

inline const Value kNil = std::nullopt;

}  // namespace faultline::check::testing
