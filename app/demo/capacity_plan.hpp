// CapacityPlan: how many requests the flaky service can work on at once,
// and when that number drops.
//
// The fault schedule's phases make the service fail; this plan makes it
// slow down instead, the way a service does when half its hosts go away:
// each client is served by `normal` workers that take `service_time` a
// request, the rest queue, and between `drop_at` and `restore_at` only
// `reduced` workers are left. A client that keeps sending as much as before
// then builds a queue, and its latency grows with it. The demo's static and
// adaptive concurrency-limit lanes meet this plan (on GET /capacity); the
// bare and protected lanes meet the fault schedule (on GET /).
//
//   CapacityPlan plan = CapacityPlan::standard(30s, /*rate_per_second=*/50);
//   std::size_t workers = plan.capacity_at(elapsed);   // 8, then 4, then 8
//
// Thread-safety: a plain value; immutable in use.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

#include "faultline/core/clock.hpp"

namespace faultline::demo {

struct CapacityPlan {
  // The three stretches of a run, in order.
  enum class Segment : std::size_t { before_drop = 0, dropped = 1, restored = 2 };
  static constexpr std::size_t kSegments = 3;
  static constexpr std::array<std::string_view, kSegments> kSegmentNames = {
      "before the drop", "capacity dropped", "capacity restored"};

  std::size_t normal = 8;   // workers per client, >= 1
  std::size_t reduced = 4;  // in [1, normal]
  Duration service_time = std::chrono::milliseconds(100);
  Duration drop_at{};     // since the service started
  Duration restore_at{};  // >= drop_at

  // The demo's plan for a run of `total` at `rate_per_second` per client:
  // normal capacity is 1.6x what the load needs, reduced is half of it
  // (0.8x: a queue builds); the drop comes at 30% of the run and lasts
  // until 80%.
  [[nodiscard]] static CapacityPlan standard(Duration total, double rate_per_second);

  [[nodiscard]] Segment segment_at(Duration elapsed) const noexcept;
  [[nodiscard]] std::size_t capacity_at(Duration elapsed) const noexcept {
    return segment_at(elapsed) == Segment::dropped ? reduced : normal;
  }
  // How many requests the load keeps busy at once when none has to queue.
  [[nodiscard]] double demand(double rate_per_second) const noexcept;
};

}  // namespace faultline::demo
