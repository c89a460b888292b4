// Status: Faultline's one error model.
//
// Every fallible operation in Faultline returns a Status (or a Result<T>,
// see result.hpp) carrying a canonical code from gRPC's set, a message for
// people, and an optional server hint of when to retry. One function,
// is_transient(), decides whether an error is worth retrying; every retry
// policy, breaker and client in the project asks it, so "what is retryable"
// is decided in exactly one place.
//
//   Status s = Status::unavailable("peer 3 refused connection");
//   if (!s.ok() && is_transient(s.code())) { /* retry */ }
//
// Thread-safety: a Status is a value; distinct objects may be used from
// distinct threads freely, one object is not synchronized.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

namespace faultline {

// The canonical codes, numbered as gRPC numbers them so they can cross the
// wire unchanged.
enum class StatusCode : std::uint8_t {
  ok = 0,
  cancelled = 1,
  unknown = 2,
  invalid_argument = 3,
  deadline_exceeded = 4,
  not_found = 5,
  already_exists = 6,
  permission_denied = 7,
  resource_exhausted = 8,
  failed_precondition = 9,
  aborted = 10,
  out_of_range = 11,
  unimplemented = 12,
  internal = 13,
  unavailable = 14,
  data_loss = 15,
  unauthenticated = 16,
};

inline constexpr int kStatusCodeCount = 17;

// The lower-case name of the code ("deadline_exceeded"); "invalid_code" for
// a value outside the enum.
[[nodiscard]] std::string_view status_code_name(StatusCode code) noexcept;

// Whether retrying the same call, unchanged, may succeed. Transient:
// unavailable, deadline_exceeded, resource_exhausted, internal. Everything
// else is permanent, including aborted (gRPC: retry at a higher level, e.g.
// restart the read-modify-write, never the same request) and unknown (we do
// not amplify what we do not understand).
[[nodiscard]] constexpr bool is_transient(StatusCode code) noexcept {
  switch (code) {
    case StatusCode::unavailable:
    case StatusCode::deadline_exceeded:
    case StatusCode::resource_exhausted:
    case StatusCode::internal:
      return true;
    default:
      return false;
  }
}

class [[nodiscard]] Status {
 public:
  // An ok status. Cheap: no allocation, a code and a null pointer.
  Status() noexcept = default;
  Status(StatusCode code, std::string_view message);

  Status(const Status& other);
  Status& operator=(const Status& other);
  Status(Status&&) noexcept = default;
  Status& operator=(Status&&) noexcept = default;
  ~Status() = default;

  static Status ok_status() noexcept { return Status(); }
  static Status cancelled(std::string_view m) { return {StatusCode::cancelled, m}; }
  static Status unknown(std::string_view m) { return {StatusCode::unknown, m}; }
  static Status invalid_argument(std::string_view m) { return {StatusCode::invalid_argument, m}; }
  static Status deadline_exceeded(std::string_view m) { return {StatusCode::deadline_exceeded, m}; }
  static Status not_found(std::string_view m) { return {StatusCode::not_found, m}; }
  static Status already_exists(std::string_view m) { return {StatusCode::already_exists, m}; }
  static Status permission_denied(std::string_view m) { return {StatusCode::permission_denied, m}; }
  static Status resource_exhausted(std::string_view m) { return {StatusCode::resource_exhausted, m}; }
  static Status failed_precondition(std::string_view m) { return {StatusCode::failed_precondition, m}; }
  static Status aborted(std::string_view m) { return {StatusCode::aborted, m}; }
  static Status out_of_range(std::string_view m) { return {StatusCode::out_of_range, m}; }
  static Status unimplemented(std::string_view m) { return {StatusCode::unimplemented, m}; }
  static Status internal(std::string_view m) { return {StatusCode::internal, m}; }
  static Status unavailable(std::string_view m) { return {StatusCode::unavailable, m}; }
  static Status data_loss(std::string_view m) { return {StatusCode::data_loss, m}; }
  static Status unauthenticated(std::string_view m) { return {StatusCode::unauthenticated, m}; }

  [[nodiscard]] bool ok() const noexcept { return code_ == StatusCode::ok; }
  [[nodiscard]] StatusCode code() const noexcept { return code_; }
  [[nodiscard]] bool transient() const noexcept { return is_transient(code_); }
  // Empty for an ok status.
  [[nodiscard]] std::string_view message() const noexcept;

  // A server's hint of how long to wait before retrying (HTTP Retry-After,
  // gRPC pushback). Retry policies honour it.
  [[nodiscard]] std::optional<std::chrono::nanoseconds> retry_after() const noexcept;
  Status&& with_retry_after(std::chrono::nanoseconds delay) &&;
  Status& with_retry_after(std::chrono::nanoseconds delay) &;

  // A machine-readable cause in UPPER_SNAKE_CASE, like google.rpc.ErrorInfo's
  // reason ("CIRCUIT_OPEN", "BULKHEAD_FULL"); empty when none was given. Lets
  // a caller tell a policy's rejection from the same code coming from a peer.
  [[nodiscard]] std::string_view reason() const noexcept;
  Status&& with_reason(std::string_view reason) &&;
  Status& with_reason(std::string_view reason) &;

  // "unavailable: peer 3 refused connection", or "ok".
  [[nodiscard]] std::string to_string() const;

  friend bool operator==(const Status& a, const Status& b) noexcept {
    return a.code_ == b.code_ && a.message() == b.message();
  }

 private:
  struct Detail {
    std::string message;
    std::optional<std::chrono::nanoseconds> retry_after;
    std::string reason;
  };
  StatusCode code_ = StatusCode::ok;
  // Null for ok and for errors without detail, so the success path never
  // allocates.
  std::unique_ptr<Detail> detail_;
};

std::ostream& operator<<(std::ostream& out, const Status& status);
std::ostream& operator<<(std::ostream& out, StatusCode code);

}  // namespace faultline
