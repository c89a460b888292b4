// How policies call the user's function, whatever its shape.
//
// A protected function may take the CallContext (to pass its deadline and
// stop token on) or nothing, and must return an Outcome: a Status or a
// Result<T>. Policies build their own errors as that same type, so a
// breaker around a function returning Result<Reply> answers Result<Reply>.
//
// Thread-safety: stateless helpers.
#pragma once

#include <concepts>
#include <type_traits>
#include <utility>

#include "faultline/core/result.hpp"
#include "faultline/resilience/call_context.hpp"

namespace faultline::resilience {

template <class F>
concept TakesContext = std::invocable<F&, CallContext&>;

template <class F>
concept ProtectedFunction =
    (TakesContext<F> && Outcome<std::invoke_result_t<F&, CallContext&>>) ||
    (!TakesContext<F> && std::invocable<F&> && Outcome<std::invoke_result_t<F&>>);

template <class F>
struct outcome_of {
  using type = std::remove_cvref_t<std::invoke_result_t<F&>>;
};
template <TakesContext F>
struct outcome_of<F> {
  using type = std::remove_cvref_t<std::invoke_result_t<F&, CallContext&>>;
};
template <class F>
using outcome_of_t = typename outcome_of<F>::type;

template <class F>
decltype(auto) invoke_protected(F& function, CallContext& context) {
  if constexpr (TakesContext<F>) {
    return function(context);
  } else {
    return function();
  }
}

}  // namespace faultline::resilience
