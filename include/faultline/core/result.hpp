// Result<T>: a value or the Status that says why there is none.
//
// Use it as the return type of any fallible function that produces a value;
// use a plain Status when there is no value. A Result built from an ok
// Status is a bug in the caller and becomes an `internal` error rather than
// an empty success.
//
//   Result<int> parse_port(std::string_view text);
//   auto port = parse_port("8080");
//   if (!port.ok()) return port.status();
//   use(*port);
//
// Thread-safety: a value type; one object is not synchronized.
#pragma once

#include <optional>
#include <type_traits>
#include <utility>

#include "faultline/core/assert.hpp"
#include "faultline/core/status.hpp"

namespace faultline {

template <class T>
class [[nodiscard]] Result {
  static_assert(!std::is_same_v<std::remove_cvref_t<T>, Status>, "use Status, not Result<Status>");

 public:
  using value_type = T;

  Result(const T& value) : value_(value) {}                 // NOLINT: implicit by design
  Result(T&& value) noexcept(std::is_nothrow_move_constructible_v<T>)  // NOLINT
      : value_(std::move(value)) {}
  Result(Status status) : status_(std::move(status)) {      // NOLINT: implicit by design
    if (status_.ok()) status_ = Status::internal("Result constructed from an ok Status");
  }

  [[nodiscard]] bool ok() const noexcept { return value_.has_value(); }
  explicit operator bool() const noexcept { return ok(); }
  // Ok when a value is present.
  [[nodiscard]] const Status& status() const noexcept { return status_; }

  // Precondition: ok(). Checked: reading the value of an error is a bug.
  [[nodiscard]] T& value() & {
    FAULTLINE_ASSERT(ok(), "Result::value() on an error");
    return *value_;
  }
  [[nodiscard]] const T& value() const& {
    FAULTLINE_ASSERT(ok(), "Result::value() on an error");
    return *value_;
  }
  [[nodiscard]] T&& value() && {
    FAULTLINE_ASSERT(ok(), "Result::value() on an error");
    return std::move(*value_);
  }
  [[nodiscard]] T value_or(T fallback) const& { return ok() ? *value_ : std::move(fallback); }

  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  Status status_;
  std::optional<T> value_;
};

// Helpers so generic code (retry, pipeline) can treat Status and Result<T>
// alike: both are "outcomes" with a status.
template <class T>
struct is_result : std::false_type {};
template <class T>
struct is_result<Result<T>> : std::true_type {};

template <class T>
concept Outcome = std::is_same_v<std::remove_cvref_t<T>, Status> || is_result<std::remove_cvref_t<T>>::value;

inline const Status& status_of(const Status& status) noexcept { return status; }
template <class T>
const Status& status_of(const Result<T>& result) noexcept {
  return result.status();
}

}  // namespace faultline
