#include "faultline/core/status.hpp"

#include <array>

namespace faultline {

namespace {
constexpr std::array<std::string_view, kStatusCodeCount> kNames = {
    "ok",          "cancelled",          "unknown",           "invalid_argument",
    "deadline_exceeded", "not_found",    "already_exists",    "permission_denied",
    "resource_exhausted", "failed_precondition", "aborted",  "out_of_range",
    "unimplemented", "internal",         "unavailable",       "data_loss",
    "unauthenticated",
};
}  // namespace

std::string_view status_code_name(StatusCode code) noexcept {
  const auto index = static_cast<std::size_t>(code);
  return index < kNames.size() ? kNames[index] : std::string_view("invalid_code");
}

Status::Status(StatusCode code, std::string_view message) : code_(code) {
  if (code_ != StatusCode::ok) {
    detail_ = std::make_unique<Detail>(Detail{std::string(message), std::nullopt, {}});
  }
}

Status::Status(const Status& other) : code_(other.code_) {
  if (other.detail_) detail_ = std::make_unique<Detail>(*other.detail_);
}

Status& Status::operator=(const Status& other) {
  if (this != &other) {
    code_ = other.code_;
    detail_ = other.detail_ ? std::make_unique<Detail>(*other.detail_) : nullptr;
  }
  return *this;
}

std::string_view Status::message() const noexcept {
  return detail_ ? std::string_view(detail_->message) : std::string_view();
}

std::optional<std::chrono::nanoseconds> Status::retry_after() const noexcept {
  return detail_ ? detail_->retry_after : std::nullopt;
}

Status& Status::with_retry_after(std::chrono::nanoseconds delay) & {
  if (code_ == StatusCode::ok) return *this;  // a hint on success means nothing
  if (!detail_) detail_ = std::make_unique<Detail>();
  detail_->retry_after = delay < std::chrono::nanoseconds::zero() ? std::chrono::nanoseconds::zero()
                                                                  : delay;
  return *this;
}

Status&& Status::with_retry_after(std::chrono::nanoseconds delay) && {
  with_retry_after(delay);
  return std::move(*this);
}

std::string_view Status::reason() const noexcept {
  return detail_ ? std::string_view(detail_->reason) : std::string_view();
}

Status& Status::with_reason(std::string_view reason) & {
  if (code_ == StatusCode::ok) return *this;
  if (!detail_) detail_ = std::make_unique<Detail>();
  detail_->reason = std::string(reason);
  return *this;
}

Status&& Status::with_reason(std::string_view reason) && {
  with_reason(reason);
  return std::move(*this);
}

std::string Status::to_string() const {
  std::string text(status_code_name(code_));
  if (!message().empty()) {
    text += ": ";
    text += message();
  }
  return text;
}

std::ostream& operator<<(std::ostream& out, const Status& status) {
  return out << status.to_string();
}

std::ostream& operator<<(std::ostream& out, StatusCode code) {
  return out << status_code_name(code);
}

}  // namespace faultline
