#include "faultline/core/assert.hpp"

#include <cstdio>
#include <cstdlib>

namespace faultline::detail {

void assertion_failed(const char* condition, const char* message, const char* file,
                      int line) noexcept {
  std::fprintf(stderr, "faultline: invariant violated at %s:%d: %s (%s)\n", file, line, message,
               condition);
  std::fflush(stderr);
  std::abort();
}

}  // namespace faultline::detail
