// Clocks: a version vector tells concurrent writes apart; an HLC refuses a
// peer whose clock is too far ahead.
#include <cassert>
#include <chrono>

#include <faultline/clocks/hlc.hpp>
#include <faultline/clocks/node_id.hpp>
#include <faultline/clocks/version_vector.hpp>
#include <faultline/core/wall_clock.hpp>

int main() {
  // README-BEGIN
  using namespace faultline::clocks;
  using namespace std::chrono_literals;
  VersionVector mine, theirs;
  mine.increment(node_id_from_name("kv-1"));       // a write on kv-1
  theirs.increment(node_id_from_name("kv-2"));     // another on kv-2, unaware of it
  assert(compare(mine, theirs) == CausalOrder::concurrent);   // keep both
  mine.merge(theirs);
  assert(compare(mine, theirs) == CausalOrder::after);

  faultline::ManualWallClock wall(faultline::WallTimePoint(1'700'000'000'000ms));
  HybridLogicalClock clock(wall);                  // max_offset 500 ms by default
  const HlcTimestamp sent = clock.now();
  assert(clock.update(sent).value() > sent);       // a receive orders after the send
  const HlcTimestamp from_the_future{sent.wall_ms + 60'000, 0};
  assert(!clock.update(from_the_future).ok());     // refused, counted, clock unchanged
  assert(clock.rejected_updates_total() == 1);
  // README-END
  return 0;
}
