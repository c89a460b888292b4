// FaultSchedule: when each fault begins and ends in a run, drawn from the
// seed before the run starts.
//
// Each enabled fault kind gets its own timeline of episodes (so kinds
// overlap: a crash during a partition during message loss), all inside
// [fault_start, fault_end); after fault_end everything is healed and the run
// checks liveness. What an episode does exactly (which nodes a partition
// splits, which node crashes) is chosen when it begins, from the live
// cluster (e.g. "isolate the current leader"), with the same seeded Random,
// so it stays reproducible.
//
//   std::vector<FaultEpisode> episodes = make_fault_schedule(kinds, 500ms, 6s, random);
//
// Thread-safety: plain values.
#pragma once

#include <string_view>
#include <vector>

#include "faultline/core/clock.hpp"
#include "faultline/core/random.hpp"
#include "faultline/sim/options.hpp"

namespace faultline::sim {

struct FaultEpisode {
  FaultKind kind = FaultKind::loss;
  Duration start{0};
  Duration end{0};
};

// Episodes sorted by start time; none when kinds is empty.
[[nodiscard]] std::vector<FaultEpisode> make_fault_schedule(FaultKinds kinds, Duration fault_start,
                                                            Duration fault_end, Random& random);

[[nodiscard]] std::string_view fault_kind_name(FaultKind kind) noexcept;

}  // namespace faultline::sim
