#include "faultline/sim/fault_schedule.hpp"

#include <algorithm>
#include <array>

namespace faultline::sim {

using namespace std::chrono_literals;

std::vector<FaultEpisode> make_fault_schedule(FaultKinds kinds, Duration fault_start,
                                              Duration fault_end, Random& random) {
  constexpr std::array<FaultKind, 8> kAll = {
      FaultKind::loss,       FaultKind::duplicate, FaultKind::reorder,
      FaultKind::partition,  FaultKind::crash,     FaultKind::membership,
      FaultKind::transfer,   FaultKind::churn};
  std::vector<FaultEpisode> episodes;
  for (FaultKind kind : kAll) {
    if (!kinds.has(kind)) continue;
    // Gaps and lengths around an election timeout or ten, so faults both
    // interrupt elections and outlast them.
    Duration at = fault_start + random.uniform_duration(0ms, 400ms);
    while (at < fault_end) {
      const Duration length = random.uniform_duration(150ms, 1500ms);
      const Duration end = std::min(at + length, fault_end);
      episodes.push_back(FaultEpisode{kind, at, end});
      at = end + random.uniform_duration(100ms, 1000ms);
    }
  }
  std::stable_sort(episodes.begin(), episodes.end(),
                   [](const FaultEpisode& a, const FaultEpisode& b) { return a.start < b.start; });
  return episodes;
}

std::string_view fault_kind_name(FaultKind kind) noexcept {
  switch (kind) {
    case FaultKind::loss: return "loss";
    case FaultKind::duplicate: return "dup";
    case FaultKind::reorder: return "reorder";
    case FaultKind::partition: return "partition";
    case FaultKind::crash: return "crash";
    case FaultKind::membership: return "membership";
    case FaultKind::transfer: return "transfer";
    case FaultKind::churn: return "churn";
  }
  return "unknown";
}

}  // namespace faultline::sim
