#include "demo/summary.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>

#include "demo/capacity_plan.hpp"
#include "demo/text_format.hpp"
#include "faultline/core/assert.hpp"

namespace faultline::demo {
namespace {

constexpr int kLabelWidth = 38;
constexpr int kValueWidth = 15;

double rate(std::uint64_t part, std::uint64_t of) {
  return of == 0 ? 0.0 : 100.0 * static_cast<double>(part) / static_cast<double>(of);
}

std::string count_and_share(std::uint64_t part, std::uint64_t of) {
  return fmt::format("{} ({})", part, format_percent(part, of));
}

void row(std::ostream& out, std::string_view label, const std::string& bare,
         const std::string& protected_value) {
  out << fmt::format("  {:<{}}{:>{}}{:>{}}\n", label, kLabelWidth, bare, kValueWidth,
                     protected_value, kValueWidth);
}

std::string latency(const ClientSnapshot& s, double percent) {
  return s.latency.empty() ? "-" : format_duration(s.latency.percentile(percent));
}

void print_totals(std::ostream& out, const RunReport& r) {
  const ClientSnapshot& b = r.bare.totals;
  const ClientSnapshot& p = r.protected_client.totals;
  row(out, "", r.bare.name, r.protected_client.name);
  row(out, "calls", std::to_string(b.calls), std::to_string(p.calls));
  row(out, "succeeded", count_and_share(b.successes, b.calls),
      count_and_share(p.successes, p.calls));
  row(out, "failed (error answer, reset, timeout)", std::to_string(b.failures),
      std::to_string(p.failures));
  row(out, "failed fast (circuit open)", "-", std::to_string(p.fast_fails));
  if (b.shed + p.shed > 0) {
    row(out, "not sent (every worker busy)", std::to_string(b.shed), std::to_string(p.shed));
  }
  for (const double percent : {50.0, 90.0, 99.0}) {
    row(out, fmt::format("latency p{:g}", percent), latency(b, percent), latency(p, percent));
  }
  row(out, "latency max", latency(b, 100), latency(p, 100));
  row(out, "retries", "-", std::to_string(p.retries));
  row(out, "retries refused by the retry budget", "-", std::to_string(p.budget_refusals));
  row(out, "requests that reached the server", std::to_string(r.bare.server_requests),
      std::to_string(r.protected_client.server_requests));
  row(out, "time callers spent waiting (sum)", format_duration(b.latency.total()),
      format_duration(p.latency.total()));
}

void print_phases(std::ostream& out, const RunReport& r) {
  out << fmt::format("  {:<16}{:>20}{:>30}\n", "", "success rate", "requests at the server");
  out << fmt::format("  {:<16}{:>10}{:>10}{:>15}{:>15}\n", "phase", r.bare.name,
                     r.protected_client.name, r.bare.name, r.protected_client.name);
  for (std::size_t i = 0; i < r.phase_names.size(); ++i) {
    const PhaseCounts& b = r.bare.totals.phases.at(i);
    const PhaseCounts& p = r.protected_client.totals.phases.at(i);
    out << fmt::format("  {:<16}{:>10}{:>10}{:>15}{:>15}\n", r.phase_names[i],
                       format_percent(b.successes, b.calls), format_percent(p.successes, p.calls),
                       r.bare.server_requests_per_phase.at(i),
                       r.protected_client.server_requests_per_phase.at(i));
  }
}

// A difference in success rate worth a sentence, in percentage points.
constexpr double kNotableGainPoints = 3.0;

// Phases where one client's success rate beat the other's notably, as "errors (70.0% -> 98.0%)"
// (bare -> protected).
struct PhaseShift {
  std::vector<std::string> won;          // protected did better
  std::vector<std::string> lost;         // bare did better
  std::uint64_t fast_fails_in_lost = 0;  // the protected client's fast-fails in lost phases
};

PhaseShift phase_shifts(const RunReport& r) {
  PhaseShift shift;
  for (std::size_t i = 0; i < r.phase_names.size(); ++i) {
    const PhaseCounts& b = r.bare.totals.phases.at(i);
    const PhaseCounts& p = r.protected_client.totals.phases.at(i);
    if (b.calls == 0 || p.calls == 0) continue;
    const double gain = rate(p.successes, p.calls) - rate(b.successes, b.calls);
    const std::string text =
        fmt::format("{} ({} -> {})", r.phase_names[i], format_percent(b.successes, b.calls),
                    format_percent(p.successes, p.calls));
    if (gain >= kNotableGainPoints) shift.won.push_back(text);
    if (gain <= -kNotableGainPoints) {
      shift.lost.push_back(text);
      shift.fast_fails_in_lost += p.fast_fails;
    }
  }
  return shift;
}

std::string join(const std::vector<std::string>& parts) {
  std::string text;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) text += (i + 1 == parts.size()) ? " and " : ", ";
    text += parts[i];
  }
  return text;
}

// Phases in which neither client had a single success (an outage): no
// policy can win there, so the success rates are also given without them.
struct Hopeless {
  std::vector<std::string> phases;
  std::uint64_t bare_calls = 0;
  std::uint64_t protected_calls = 0;
};

Hopeless hopeless_phases(const RunReport& r) {
  Hopeless hopeless;
  for (std::size_t i = 0; i < r.phase_names.size(); ++i) {
    const PhaseCounts& b = r.bare.totals.phases.at(i);
    const PhaseCounts& p = r.protected_client.totals.phases.at(i);
    if (b.calls == 0 || p.calls == 0 || b.successes > 0 || p.successes > 0) continue;
    hopeless.phases.push_back(r.phase_names[i]);
    hopeless.bare_calls += b.calls;
    hopeless.protected_calls += p.calls;
  }
  // Everything hopeless: nothing left to compare without it.
  if (hopeless.bare_calls == r.bare.totals.calls ||
      hopeless.protected_calls == r.protected_client.totals.calls) {
    return {};
  }
  return hopeless;
}

// Latencies differ enough to mention: by 20% and by 5 ms at least.
bool notably_different(Duration a, Duration b) {
  const Duration difference = a > b ? a - b : b - a;
  return difference >= std::chrono::milliseconds(5) && difference * 5 >= std::max(a, b);
}

std::string success_sentence(const RunReport& r) {
  const ClientSnapshot& b = r.bare.totals;
  const ClientSnapshot& p = r.protected_client.totals;
  std::string text = fmt::format(
      "Under the same load, {} of the protected client's calls succeeded against {} of the "
      "bare client's",
      format_percent(p.successes, p.calls), format_percent(b.successes, b.calls));
  if (const auto hopeless = hopeless_phases(r); !hopeless.phases.empty()) {
    text += fmt::format(" ({} against {} leaving out the {}, when no call could succeed)",
                        format_percent(p.successes, p.calls - hopeless.protected_calls),
                        format_percent(b.successes, b.calls - hopeless.bare_calls),
                        join(hopeless.phases));
  }
  const Duration bare_p99 = b.latency.percentile(99);
  const Duration protected_p99 = p.latency.percentile(99);
  if (!notably_different(protected_p99, bare_p99)) {
    text += fmt::format(", with the same tail latency (p99 {} against {})",
                        format_duration(protected_p99), format_duration(bare_p99));
  } else if (protected_p99 < bare_p99) {
    text += fmt::format(", and the slowest 1% took at most {} instead of {}",
                        format_duration(protected_p99), format_duration(bare_p99));
  } else {
    text += fmt::format(
        ", though its slowest 1% took up to {} against {}: a retried call waits out its "
        "backoff, or the server's Retry-After, before it succeeds",
        format_duration(protected_p99), format_duration(bare_p99));
  }
  return text + ".";
}

// The phase where the protected client spared the service most, if it
// sent at most half of the bare client's requests there.
std::optional<std::size_t> most_spared_phase(const RunReport& r) {
  std::optional<std::size_t> best;
  double best_ratio = 0.5;
  for (std::size_t i = 0; i < r.phase_names.size(); ++i) {
    const std::uint64_t bare_load = r.bare.server_requests_per_phase.at(i);
    if (bare_load < 10) continue;
    const double ratio =
        static_cast<double>(r.protected_client.server_requests_per_phase.at(i)) / bare_load;
    if (ratio <= best_ratio) {
      best = i;
      best_ratio = ratio;
    }
  }
  return best;
}

std::string load_sentence(const RunReport& r) {
  const ClientSnapshot& p = r.protected_client.totals;
  const std::uint64_t bare_load = r.bare.server_requests;
  const std::uint64_t protected_load = r.protected_client.server_requests;
  std::string text;
  if (const auto spared = most_spared_phase(r)) {
    text = fmt::format(
        "In the {} phase the protected client sent the service {} requests against {}",
        r.phase_names[*spared], r.protected_client.server_requests_per_phase.at(*spared),
        r.bare.server_requests_per_phase.at(*spared));
    if (p.fast_fails > 0) {
      text +=
          ": its open breaker failed calls at once instead of sending them to a service "
          "that could not answer";
    }
    text += ". ";
  }
  const bool about_the_same = 100 * (protected_load > bare_load ? protected_load - bare_load
                                                                : bare_load - protected_load) <=
                              bare_load;
  if (about_the_same) {
    text += fmt::format(
        "Over the whole run both clients sent the service about as many requests "
        "({} against {}){}.",
        protected_load, bare_load,
        p.retries > 0 ? fmt::format(", the protected client's {} retries included", p.retries)
                      : std::string());
  } else if (protected_load < bare_load) {
    text += fmt::format(
        "Over the whole run it sent {:.0f}% fewer requests ({} against {}){}.",
        100.0 - rate(protected_load, bare_load), protected_load, bare_load,
        p.retries > 0 ? fmt::format(", {} retries included", p.retries) : std::string());
  } else {
    text += fmt::format(
        "Over the whole run its {} retries cost the service {:.0f}% more requests ({} against {}); "
        "the retry budget{} and the breaker keep that cost bounded when failures persist.",
        p.retries, rate(protected_load, bare_load) - 100.0, protected_load, bare_load,
        p.budget_refusals > 0 ? fmt::format(" (it refused {} retries)", p.budget_refusals)
                              : std::string());
  }
  return text;
}

std::string lost_sentence(const PhaseShift& shift, Duration breaker_wait) {
  if (shift.fast_fails_in_lost == 0) return fmt::format("It did worse in {}.", join(shift.lost));
  return fmt::format(
      "It did worse in {}, where its breaker failed {} calls fast: an open breaker cannot tell "
      "which calls would have succeeded, and after an outage it keeps failing fast until its "
      "next probes find the service healthy, up to {} later. That is the price of sparing a "
      "dead service.",
      join(shift.lost), shift.fast_fails_in_lost, format_duration(breaker_wait));
}

std::string seconds(Duration d) {
  return fmt::format("{:.1f} s", std::chrono::duration<double>(d).count());
}

void print_capacity(std::ostream& out, const CapacityReport& c, TextStyle style) {
  out << bold(fmt::format("Capacity drop: {} -> {} workers per client from {} to {} (the load "
                          "keeps {:.1f} busy, {} a request)",
                          c.normal, c.reduced, seconds(c.drop_at), seconds(c.restore_at),
                          c.demand, format_duration(c.service_time)),
              style)
      << "\n\n";
  const std::string static_head = fmt::format("{} (limit {})", c.static_lane.name, c.static_limit);
  const std::string adaptive_head = fmt::format("{} ({})", c.adaptive_lane.name, c.algorithm);
  out << fmt::format("  {:<20}{:>18}{:>36}\n", "", static_head, adaptive_head);
  out << fmt::format("  {:<20}{:>9}{:>9}{:>9}{:>9}{:>9}{:>9}\n", "", "ok", "p99", "ok", "refused",
                     "p99", "limit");
  const std::array<std::uint32_t, 3> limits = {c.limit_before_drop, c.limit_lowest_while_dropped,
                                                c.limit_at_end};
  const std::array<std::string_view, 3> limit_notes = {"at the drop", "lowest", "at the end"};
  for (std::size_t i = 0; i < 3; ++i) {
    const CapacityLaneSegment& s = c.static_lane.segments[i];
    const CapacityLaneSegment& a = c.adaptive_lane.segments[i];
    auto p99 = [](const CapacityLaneSegment& x) {
      return x.calls > x.refused ? format_duration(x.p99) : std::string("-");
    };
    out << fmt::format("  {:<20}{:>9}{:>9}{:>9}{:>9}{:>9}{:>9}  {}\n",
                       CapacityPlan::kSegmentNames[i], format_percent(s.successes, s.calls), p99(s),
                       format_percent(a.successes, a.calls), a.refused, p99(a), limits[i],
                       limit_notes[i]);
  }
}

}  // namespace

std::string explain_capacity(const CapacityReport& c) {
  const CapacityLaneSegment& s = c.static_lane.segments[1];
  const CapacityLaneSegment& a = c.adaptive_lane.segments[1];
  std::string text;
  if (c.limit_lowest_while_dropped < c.limit_before_drop) {
    text = fmt::format(
        "The adaptive limit was {} before the capacity drop and fell to {} during it, following "
        "the service from {} workers down to {}",
        c.limit_before_drop, c.limit_lowest_while_dropped, c.normal, c.reduced);
  } else {
    text = fmt::format(
        "The adaptive limit was {} before the capacity drop and did not fall during it (lowest "
        "{}), though the service went from {} workers down to {}",
        c.limit_before_drop, c.limit_lowest_while_dropped, c.normal, c.reduced);
  }
  if (s.calls == 0 || a.calls == 0) return text + ".";
  text += fmt::format(
      ". While the capacity was down, the adaptive lane's p99 was {} with {} of its calls "
      "succeeding ({} refused at once), against a p99 of {} and {} for the static limit of {}, "
      "whose calls queued behind each other at the service",
      a.calls > a.refused ? format_duration(a.p99) : std::string("-"),
      format_percent(a.successes, a.calls), a.refused,
      s.calls > s.refused ? format_duration(s.p99) : std::string("-"),
      format_percent(s.successes, s.calls), c.static_limit);
  if (c.limit_at_end > c.limit_lowest_while_dropped) {
    text +=
        fmt::format("; once the capacity came back the limit grew again, to {}", c.limit_at_end);
  }
  return text + ".";
}

std::vector<std::string> explain(const RunReport& r) {
  const ClientSnapshot& b = r.bare.totals;
  const ClientSnapshot& p = r.protected_client.totals;
  if (b.calls == 0 || p.calls == 0) return {"No call finished, so there is nothing to compare."};
  std::vector<std::string> sentences{success_sentence(r)};
  const PhaseShift shift = phase_shifts(r);
  if (!shift.won.empty()) {
    sentences.push_back(fmt::format(
        "The protected client did better in {}: its retries, after a jittered backoff or after an "
        "attempt timeout gave up on a slow answer, turned failures into successes.",
        join(shift.won)));
  }
  if (!shift.lost.empty()) {
    sentences.push_back(lost_sentence(shift, r.breaker_wait_in_open));
  }
  sentences.push_back(load_sentence(r));
  sentences.push_back(fmt::format("Callers waited {} in all with the policies and {} without.",
                                  format_duration(p.latency.total()),
                                  format_duration(b.latency.total())));
  return sentences;
}

void print_summary(std::ostream& out, const RunReport& r, TextStyle style) {
  FAULTLINE_ASSERT(r.bare.totals.phases.size() == r.phase_names.size(), "one count per phase");
  FAULTLINE_ASSERT(r.protected_client.totals.phases.size() == r.phase_names.size(),
                   "one count per phase");
  out << '\n'
      << bold(fmt::format("Summary: {:.0f} s of load, seed {}{}",
                          std::chrono::duration<double>(r.run_length).count(), r.seed,
                          r.interrupted ? " (interrupted early)" : ""),
              style)
      << "\n\n";
  print_totals(out, r);
  out << '\n';
  print_phases(out, r);
  out << '\n';
  for (const std::string& sentence : explain(r)) out << wrap(sentence, 96, "  ") << '\n';
  if (r.capacity) {
    out << '\n';
    print_capacity(out, *r.capacity, style);
    out << '\n' << wrap(explain_capacity(*r.capacity), 96, "  ") << '\n';
  }
  out.flush();
}

}  // namespace faultline::demo
