// register_model(): one compare-and-set register (Jepsen's cas-register).
//
// The whole history is one register, nil at first; keys, if any, are
// ignored (use kv_model() for independent keys).
//   read     → v     the register's value
//   write v          it becomes v
//   cas [e n]        ok: it was e and becomes n; fail: it did not happen
// An info write/cas may or may not have happened (see model.hpp).
//
//   CheckResult r = check_history(history, register_model());
//
// Thread-safety: the model is immutable and shared.
#pragma once

#include "faultline/check/model.hpp"

namespace faultline::check {

[[nodiscard]] const Model& register_model() noexcept;

}  // namespace faultline::check
