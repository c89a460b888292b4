// FAULTLINE_ASSERT: invariants that stay checked in every build.
//
// Bugs assert; expected failures are Status values. An assertion that fails
// prints the condition, the message and the place, then aborts, because a
// process whose invariants broke must not go on writing data. The checks are
// cheap (a branch) and stay on in release builds.
//
// Thread-safety: safe from any thread.
#pragma once

namespace faultline::detail {
[[noreturn]] void assertion_failed(const char* condition, const char* message, const char* file,
                                   int line) noexcept;
}  // namespace faultline::detail

#define FAULTLINE_ASSERT(condition, message)                                                 \
  do {                                                                                       \
    if (!(condition)) [[unlikely]]                                                           \
      ::faultline::detail::assertion_failed(#condition, (message), __FILE__, __LINE__);      \
  } while (false)
