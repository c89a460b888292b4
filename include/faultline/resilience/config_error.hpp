// ConfigError: how a policy refuses an invalid configuration.
//
// Every policy's Config has validate(), which returns a Status naming the
// offending field and why ("retry.max_attempts must be >= 1, got 0"); a
// policy's constructor calls it and throws ConfigError with that message, so
// a bad configuration is caught where it is written, never at the first
// failure in production. Code that must not throw calls validate() first.
//
// Thread-safety: a value type.
#pragma once

#include <stdexcept>

#include "faultline/core/status.hpp"

namespace faultline::resilience {

class ConfigError : public std::invalid_argument {
 public:
  explicit ConfigError(const Status& status) : std::invalid_argument(status.to_string()) {}
};

// Throws ConfigError unless `status` is ok.
inline void throw_if_invalid(const Status& status) {
  if (!status.ok()) throw ConfigError(status);
}

}  // namespace faultline::resilience
