#include "demo/replica_traffic.hpp"

#include <fmt/format.h>

#include "faultline/core/assert.hpp"

namespace faultline::demo {

ReplicaOutagePlan ReplicaOutagePlan::standard(Duration run) {
  return ReplicaOutagePlan{.replica = 1, .down_at = run * 3 / 10, .up_at = run * 6 / 10};
}

ReplicaOutagePlan::Window ReplicaOutagePlan::window_at(Duration since_start) const noexcept {
  if (since_start < down_at) return Window::before;
  if (since_start < up_at) return Window::down;
  return Window::after;
}

std::string_view window_name(ReplicaOutagePlan::Window window) noexcept {
  switch (window) {
    case ReplicaOutagePlan::Window::before: return "before";
    case ReplicaOutagePlan::Window::down: return "while down";
    case ReplicaOutagePlan::Window::after: return "after";
  }
  return "?";
}

ReplicaTraffic::ReplicaTraffic(std::vector<std::string> names)
    : names_(std::move(names)), totals_(names_.size()), interval_(names_.size(), 0) {}

void ReplicaTraffic::record(std::size_t replica, ReplicaOutagePlan::Window window, bool ok,
                            bool while_ejected) {
  FAULTLINE_ASSERT(replica < names_.size(), "replica index out of range");
  std::lock_guard lock(mutex_);
  Counts& counts = totals_[replica][static_cast<std::size_t>(window)];
  ++counts.calls;
  if (ok) ++counts.successes;
  if (while_ejected) ++counts.while_ejected;
  ++interval_[replica];
}

ReplicaTraffic::Counts ReplicaTraffic::totals(std::size_t replica,
                                              ReplicaOutagePlan::Window window) const {
  FAULTLINE_ASSERT(replica < names_.size(), "replica index out of range");
  std::lock_guard lock(mutex_);
  return totals_[replica][static_cast<std::size_t>(window)];
}

std::uint64_t ReplicaTraffic::sent_while_ejected() const {
  std::lock_guard lock(mutex_);
  std::uint64_t sum = 0;
  for (const auto& replica : totals_)
    for (const Counts& counts : replica) sum += counts.while_ejected;
  return sum;
}

std::vector<std::uint64_t> ReplicaTraffic::take_interval() {
  std::lock_guard lock(mutex_);
  std::vector<std::uint64_t> taken(names_.size(), 0);
  taken.swap(interval_);
  return taken;
}

std::string ReplicaTraffic::format_interval(const std::vector<std::string>& names,
                                            const std::vector<std::uint64_t>& calls,
                                            const std::vector<std::string>& states) {
  std::uint64_t all = 0;
  for (std::uint64_t c : calls) all += c;
  std::string line = "replicas";
  for (std::size_t i = 0; i < names.size() && i < calls.size(); ++i) {
    line += fmt::format("{} {} {:>3} {:>4}", i == 0 ? " " : " |", names[i], calls[i],
                        format_percent(calls[i], all));
    if (i < states.size() && !states[i].empty()) line += " " + states[i];
  }
  return line;
}

void ReplicaTraffic::print_summary(std::ostream& out, const ReplicaOutagePlan& plan,
                                   TextStyle style) const {
  using Window = ReplicaOutagePlan::Window;
  constexpr std::array<Window, 3> kWindows = {Window::before, Window::down, Window::after};
  std::array<std::uint64_t, 3> window_calls{};
  std::array<std::uint64_t, 3> window_failures{};
  for (std::size_t w = 0; w < kWindows.size(); ++w) {
    for (std::size_t r = 0; r < size(); ++r) {
      const Counts counts = totals(r, kWindows[w]);
      window_calls[w] += counts.calls;
      window_failures[w] += counts.calls - counts.successes;
    }
  }
  out << "\n"
      << bold(fmt::format("Replicas: {} taken down from {:.1f} s to {:.1f} s", names_.at(plan.replica),
                          std::chrono::duration<double>(plan.down_at).count(),
                          std::chrono::duration<double>(plan.up_at).count()),
              style)
      << "\n";
  out << fmt::format("  {:<12}", "share of");
  for (Window w : kWindows) out << fmt::format(" {:>16}", window_name(w));
  out << "\n";
  for (std::size_t r = 0; r < size(); ++r) {
    out << fmt::format("  {:<12}", names_[r]);
    for (std::size_t w = 0; w < kWindows.size(); ++w) {
      const Counts counts = totals(r, kWindows[w]);
      out << fmt::format(" {:>16}", fmt::format("{} {:>4}", counts.calls,
                                                format_percent(counts.calls, window_calls[w])));
    }
    out << "\n";
  }
  out << fmt::format("  {:<12}", "failed");
  for (std::size_t w = 0; w < kWindows.size(); ++w)
    out << fmt::format(" {:>16}", fmt::format("{} of {}", window_failures[w], window_calls[w]));
  out << "\n";
  const std::uint64_t ejected = sent_while_ejected();
  out << paint(fmt::format("  Calls sent to a replica while it was ejected: {}", ejected),
               ejected == 0 ? Tone::good : Tone::bad, style)
      << "\n\n";
}

}  // namespace faultline::demo
