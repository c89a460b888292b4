// DeadlineScope: narrows a CallContext's deadline for one nested scope.
//
// Policies that impose a deadline (a timeout, a retry's total duration) use
// it so the narrower deadline holds for exactly the calls they wrap and the
// caller's own deadline comes back when the scope ends, even on exceptions.
//
// Thread-safety: belongs to the call's thread, like the CallContext.
#pragma once

#include "faultline/resilience/call_context.hpp"

namespace faultline::resilience {

class DeadlineScope {
 public:
  DeadlineScope(CallContext& context, TimePoint deadline) noexcept
      : context_(context), previous_(context.narrow_deadline(deadline)) {}
  ~DeadlineScope() { context_.restore_deadline(previous_); }
  DeadlineScope(const DeadlineScope&) = delete;
  DeadlineScope& operator=(const DeadlineScope&) = delete;

 private:
  CallContext& context_;
  TimePoint previous_;
};

}  // namespace faultline::resilience
