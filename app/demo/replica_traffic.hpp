// The replica lane's bookkeeping: when the scene takes a replica down and
// brings it back (ReplicaOutagePlan), and where the lane's calls went
// (ReplicaTraffic): per replica, per stretch of the run (before the outage,
// while down, after), per second for the live view, and how many calls
// were sent to a replica while the outlier detector had it ejected.
//
// Pure bookkeeping, no I/O: the scene feeds it and prints what it formats.
//
// Thread-safety: ReplicaOutagePlan is a value type. ReplicaTraffic is safe
// from any thread (one mutex).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <ostream>
#include <string>
#include <vector>

#include "demo/text_format.hpp"
#include "faultline/core/clock.hpp"

namespace faultline::demo {

struct ReplicaOutagePlan {
  enum class Window : std::uint8_t { before, down, after };
  static constexpr std::size_t kWindows = 3;

  std::size_t replica = 1;  // index of the replica that dies
  Duration down_at{};
  Duration up_at{};

  // The middle replica dies at 30% of the run and comes back at 60%.
  [[nodiscard]] static ReplicaOutagePlan standard(Duration run);
  [[nodiscard]] Window window_at(Duration since_start) const noexcept;
};

[[nodiscard]] std::string_view window_name(ReplicaOutagePlan::Window window) noexcept;

class ReplicaTraffic {
 public:
  struct Counts {
    std::uint64_t calls = 0;
    std::uint64_t successes = 0;
    std::uint64_t while_ejected = 0;  // sent while the replica was ejected
  };

  explicit ReplicaTraffic(std::vector<std::string> names);

  // Precondition: replica < size().
  void record(std::size_t replica, ReplicaOutagePlan::Window window, bool ok, bool while_ejected);

  [[nodiscard]] std::size_t size() const noexcept { return names_.size(); }
  [[nodiscard]] const std::vector<std::string>& names() const noexcept { return names_; }
  [[nodiscard]] Counts totals(std::size_t replica, ReplicaOutagePlan::Window window) const;
  [[nodiscard]] std::uint64_t sent_while_ejected() const;
  // Calls per replica since the previous call (the view's second).
  [[nodiscard]] std::vector<std::uint64_t> take_interval();

  // "replicas  replica-1 17  34% | replica-2  0   0% down | ..."; `states`
  // (same size as the replicas; empty strings for none) follow the counts.
  [[nodiscard]] static std::string format_interval(const std::vector<std::string>& names,
                                                   const std::vector<std::uint64_t>& calls,
                                                   const std::vector<std::string>& states);

  // The end-of-run table: each replica's share of the lane's calls before,
  // during and after the outage, and the count sent while ejected.
  void print_summary(std::ostream& out, const ReplicaOutagePlan& plan, TextStyle style) const;

 private:
  std::vector<std::string> names_;
  mutable std::mutex mutex_;
  std::vector<std::array<Counts, ReplicaOutagePlan::kWindows>> totals_;
  std::vector<std::uint64_t> interval_;
};

}  // namespace faultline::demo
