// The fuzz targets' one assertion: abort() rather than an assertion macro,
// so libFuzzer reports a broken property as a crash with the input that
// caused it, in every build type (NDEBUG included).
//
// Thread-safety: stateless.
#pragma once

#include <cstdlib>

namespace faultline::fuzz {

inline void require(bool condition) {
  if (!condition) std::abort();
}

}  // namespace faultline::fuzz
