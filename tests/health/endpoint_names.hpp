// Test helper: "e0", "e1", ... built by appending (GCC 12 at -O3 warns,
// wrongly, about `"e" + std::to_string(i)`; -Werror makes that fatal).
#pragma once

#include <string>

namespace faultline::health {

inline std::string endpoint_name(int i) {
  std::string name = "e";
  name += std::to_string(i);
  return name;
}

}  // namespace faultline::health
