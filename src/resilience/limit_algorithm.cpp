#include "faultline/resilience/limit_algorithm.hpp"

#include <string>

namespace faultline::resilience {

Status validate_limit_bounds(std::string_view prefix, std::uint32_t initial_limit,
                             std::uint32_t min_limit, std::uint32_t max_limit) {
  const std::string p(prefix);
  if (min_limit < 1) return Status::invalid_argument(p + ".min_limit must be >= 1, got 0");
  if (max_limit < min_limit || max_limit > 1'000'000) {
    return Status::invalid_argument(p + ".max_limit must be in [min_limit, 1000000], got " +
                                    std::to_string(max_limit) + " with min_limit " +
                                    std::to_string(min_limit));
  }
  if (initial_limit < min_limit || initial_limit > max_limit) {
    return Status::invalid_argument(p + ".initial_limit must be in [min_limit, max_limit] = [" +
                                    std::to_string(min_limit) + ", " + std::to_string(max_limit) +
                                    "], got " + std::to_string(initial_limit));
  }
  return Status();
}

}  // namespace faultline::resilience
