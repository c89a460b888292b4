// kv_model(): a key-value map with get / put / append / cas per key.
//
// Keys are independent, so the checker splits a kv history per key
// (partition.hpp) and each key is one value, nil until first written.
//   get k      → v     the value of k (nil when absent)
//   put k v            k becomes v
//   append k s         k becomes old value + s (nil counts as "")
//   cas k [e n]        ok: k was e and becomes n; fail: it did not happen
// An info put/append/cas may or may not have happened (see model.hpp).
//
//   CheckResult r = check_history(history, kv_model());
//
// Thread-safety: the model is immutable and shared.
#pragma once

#include "faultline/check/model.hpp"

namespace faultline::check {

[[nodiscard]] const Model& kv_model() noexcept;

}  // namespace faultline::check
