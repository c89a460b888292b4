#include "clocks_scene/clocks_scene.hpp"

#include <fmt/format.h>

#include <array>
#include <chrono>
#include <string>
#include <string_view>

#include "clocks_scene/skewed_node.hpp"
#include "faultline/clocks/text_encoding.hpp"

namespace faultline::clocks_scene {
namespace {

using std::chrono::milliseconds;
using demo::Tone;

// 2024-11-25 16:00:00 UTC: any fixed instant would do; a round one reads well.
const WallTimePoint kSceneStart{milliseconds(1'732'550'400'000)};
constexpr std::size_t kNodeCount = 3;

// "16:00:00.080": time of day is enough to see who is ahead.
std::string time_of_day(std::chrono::milliseconds since_epoch) {
  const auto day_ms = since_epoch.count() % (24 * 3600 * 1000);
  return fmt::format("{:02}:{:02}:{:02}.{:03}", day_ms / 3'600'000, day_ms / 60'000 % 60,
                     day_ms / 1000 % 60, day_ms % 1000);
}

std::string wall_text(WallTimePoint wall) {
  return time_of_day(std::chrono::duration_cast<milliseconds>(wall.time_since_epoch()));
}

std::string hlc_text(clocks::HlcTimestamp stamp) {
  return fmt::format("{} +{}", time_of_day(milliseconds(stamp.wall_ms)), stamp.logical);
}

struct Event {
  milliseconds true_offset;
  std::string_view what;
  Stamp stamp;
};

void print_event(std::ostream& out, const Event& event) {
  out << fmt::format("  {:<7}  {:<4}  {:<30}  {}  {:<8} {}\n",
                     fmt::format("+{} ms", event.true_offset.count()),
                     event.stamp.node, event.what, wall_text(event.stamp.wall_time),
                     clocks::to_text(event.stamp.vector), hlc_text(event.stamp.hlc));
}

// "x=1 first", "x=2 first" or "concurrent", from an order of (first, second).
std::string verdict(clocks::CausalOrder order, std::string_view first, std::string_view second) {
  switch (order) {
    case clocks::CausalOrder::before:
      return fmt::format("{} first", first);
    case clocks::CausalOrder::after:
      return fmt::format("{} first", second);
    case clocks::CausalOrder::equal:
      return "same event";
    case clocks::CausalOrder::concurrent:
      return "concurrent";
  }
  return "?";
}

template <class T>
clocks::CausalOrder total_order(const T& a, const T& b) {
  if (a < b) return clocks::CausalOrder::before;
  if (b < a) return clocks::CausalOrder::after;
  return clocks::CausalOrder::equal;
}

// One row of "which write came first": the truth, then each clock's answer
// marked right or wrong. A total order asked about a concurrent pair is
// neither: it picks one, which is all it can do.
void print_question(std::ostream& out, const ClocksSceneOptions& options, const Stamp& first,
                    std::string_view first_label, const Stamp& second,
                    std::string_view second_label, clocks::CausalOrder truth) {
  const auto mark = [&](clocks::CausalOrder answer) {
    const std::string text = verdict(answer, first_label, second_label);
    if (answer == truth) return fmt::format("{:<11} {}", text, paint("right", Tone::good, options.style));
    if (truth == clocks::CausalOrder::concurrent) {
      return fmt::format("{:<11} {}", text, paint("picks one", Tone::warning, options.style));
    }
    return fmt::format("{:<11} {}", text, paint("WRONG", Tone::bad, options.style));
  };
  out << fmt::format("  {} vs {}   {:<12} {:<13} {}\n", first_label, second_label,
                     verdict(truth, first_label, second_label), "wall clock:",
                     mark(total_order(first.wall_time, second.wall_time)));
  out << fmt::format("  {:<25} {:<13} {}\n", "", "vector clock:",
                     mark(compare(first.vector, second.vector)));
  out << fmt::format("  {:<25} {:<13} {}\n", "", "HLC:", mark(total_order(first.hlc, second.hlc)));
}

}  // namespace

int run_clocks_scene(const ClocksSceneOptions& options, std::ostream& out) {
  SkewedNode a("A", 0, kNodeCount, milliseconds(0), kSceneStart);
  SkewedNode b("B", 1, kNodeCount, milliseconds(-150), kSceneStart);
  SkewedNode c("C", 2, kNodeCount, milliseconds(65), kSceneStart);
  const auto at = [&](milliseconds offset) {
    for (SkewedNode* node : {&a, &b, &c}) node->set_true_time(kSceneStart + offset);
  };

  out << '\n' << bold("Faultline demo: three nodes whose clocks disagree", options.style) << "\n\n";
  out << demo::wrap("A's clock is right, B's runs 150 ms slow, C's 65 ms fast. They replicate "
                    "one key, x. Each event is stamped three ways: the node's own wall clock, "
                    "a vector clock [A,B,C], and a hybrid logical clock (HLC: wall time +logical).",
                    78, "  ")
      << "\n\n";
  out << fmt::format("  {:<7}  {:<4}  {:<30}  {:<12}  {:<8} {}\n", "true", "node", "event",
                     "wall clock", "vector", "HLC");

  at(milliseconds(0));
  const Event a_writes{milliseconds(0), "writes x=1, sends it to B", a.local_event()};
  at(milliseconds(10));
  const Event b_receives{milliseconds(10), "receives x=1 from A", b.receive(a_writes.stamp)};
  at(milliseconds(15));
  const Event c_writes{milliseconds(15), "writes x=3, unaware of x=1", c.local_event()};
  at(milliseconds(20));
  const Event b_writes{milliseconds(20), "overwrites x=1 with x=2", b.local_event()};
  for (const Event* event : {&a_writes, &b_receives, &c_writes, &b_writes}) print_event(out, *event);

  out << '\n' << bold("Which write came first?", options.style) << "\n";
  print_question(out, options, a_writes.stamp, "x=1", b_writes.stamp, "x=2",
                 clocks::CausalOrder::before);
  print_question(out, options, b_writes.stamp, "x=2", c_writes.stamp, "x=3",
                 clocks::CausalOrder::concurrent);
  out << '\n'
      << demo::wrap("B wrote x=2 after reading x=1, yet B's slow clock stamps it earlier: "
                    "last-writer-wins by wall clock would keep x=1 and silently lose x=2. "
                    "The vector clocks order the two and flag x=2 and x=3 as concurrent, so a "
                    "store keeps both as siblings. The HLC also orders x=1 before x=2; it gives "
                    "every pair an order, so it cannot flag concurrency.",
                    78, "  ")
      << "\n\n";

  // C's clock jumps two seconds further ahead (a bad NTP step); A will not follow.
  at(milliseconds(25));
  const auto runaway_wall = kSceneStart + milliseconds(25) + c.skew() + std::chrono::seconds(2);
  const clocks::HlcTimestamp runaway{
      static_cast<std::uint64_t>(
          std::chrono::duration_cast<milliseconds>(runaway_wall.time_since_epoch()).count()),
      0};
  const auto refused = a.offer_hlc(runaway);
  out << "  Then C's clock jumps 2 s ahead and C messages A. A's HLC (max offset 500 ms) says:\n"
      << paint(demo::wrap(refused.ok() ? std::string("accepted") : refused.status().to_string(),
                          78, "    "),
               refused.ok() ? Tone::bad : Tone::warning, options.style)
      << "\n\n";
  return 0;
}

}  // namespace faultline::clocks_scene
