#include "demo/live_view.hpp"

#include <fmt/format.h>

#include <utility>

#include "demo/text_format.hpp"
#include "faultline/core/assert.hpp"

namespace faultline::demo {
namespace {

// Column widths, shared by the header and the rows so they always line up.
constexpr int kTimeWidth = 6;
constexpr int kPhaseWidth = 15;
constexpr int kOkCallsWidth = 9;
constexpr int kFailWidth = 5;
constexpr int kRetriesWidth = 8;
constexpr int kFastFailWidth = 10;
constexpr int kLatencyWidth = 9;
constexpr int kServerWidth = 7;

std::string group_header(const ViewColumn& column) {
  std::string cells = fmt::format("{:>{}}{:>{}}", "ok/calls", kOkCallsWidth, "fail", kFailWidth);
  if (column.has_policies) {
    cells += fmt::format("{:>{}}{:>{}}", "retries", kRetriesWidth, "fast-fail", kFastFailWidth);
  }
  cells += fmt::format("{:>{}}{:>{}}", "p99", kLatencyWidth, "server", kServerWidth);
  if (column.has_policies) cells += "  breaker";
  return cells;
}

std::size_t group_width(const ViewColumn& column) {
  std::size_t width = kOkCallsWidth + kFailWidth + kLatencyWidth + kServerWidth;
  if (column.has_policies) width += kRetriesWidth + kFastFailWidth;
  return width;
}

}  // namespace

LiveView::LiveView(std::ostream& out, TextStyle style, std::vector<ViewColumn> columns)
    : out_(out), style_(style), columns_(std::move(columns)), previous_(columns_.size()) {
  FAULTLINE_ASSERT(!columns_.empty(), "a live view shows at least one client");
}

Tone LiveView::breaker_tone(std::string_view state) noexcept {
  if (state == "closed") return Tone::good;
  if (state == "half_open") return Tone::warning;
  return Tone::bad;
}

void LiveView::print_header() {
  std::string names = fmt::format("{:{}} {:{}}", "", kTimeWidth, "", kPhaseWidth);
  std::string labels = fmt::format("{:>{}} {:<{}}", "second", kTimeWidth, "phase", kPhaseWidth);
  for (const auto& column : columns_) {
    names += fmt::format(" | {:<{}}", column.name, group_width(column));
    labels += " | " + group_header(column);
  }
  names.erase(names.find_last_not_of(' ') + 1);
  out_ << bold(names, style_) << '\n' << bold(labels, style_) << '\n';
  out_.flush();
  lines_since_header_ = 0;
}

std::string LiveView::client_cells(const ViewColumn& column, const ClientTick& now,
                                   const ClientTick& before) const {
  const ClientSnapshot& a = now.totals;
  const ClientSnapshot& b = before.totals;
  const std::uint64_t calls = a.calls - b.calls;
  const std::uint64_t fails = (a.failures + a.shed) - (b.failures + b.shed);
  std::string cells =
      fmt::format("{:>{}}{:>{}}", fmt::format("{}/{}", a.successes - b.successes, calls),
                  kOkCallsWidth, fails, kFailWidth);
  if (column.has_policies) {
    cells += fmt::format("{:>{}}{:>{}}", a.retries - b.retries, kRetriesWidth,
                         a.fast_fails - b.fast_fails, kFastFailWidth);
  }
  const std::string p99 =
      now.last_second.empty() ? "-" : format_duration(now.last_second.percentile(99));
  cells += fmt::format("{:>{}}{:>{}}", p99, kLatencyWidth,
                       now.server_requests_total - before.server_requests_total, kServerWidth);
  if (column.has_policies) {
    cells += "  " + paint(now.breaker_state, breaker_tone(now.breaker_state), style_);
  }
  return cells;
}

void LiveView::print_tick(Duration second_end, std::string_view phase,
                          const std::vector<ClientTick>& clients) {
  FAULTLINE_ASSERT(clients.size() == columns_.size(), "one tick per column");
  if (lines_since_header_ >= kLinesBetweenHeaders) print_header();
  const auto end = std::chrono::duration_cast<std::chrono::seconds>(second_end).count();
  std::string line = fmt::format("{:>{}} ", fmt::format("{}-{}s", end - 1, end), kTimeWidth);
  line += paint(fmt::format("{:<{}}", phase, kPhaseWidth), Tone::info, style_);
  for (std::size_t i = 0; i < clients.size(); ++i) {
    line += " | " + client_cells(columns_[i], clients[i], previous_[i]);
  }
  out_ << line << '\n';
  out_.flush();
  previous_ = clients;
  ++lines_since_header_;
}

void LiveView::print_detail(std::string_view line) {
  out_ << fmt::format("{:{}}", "", kTimeWidth + 1) << line << '\n';
  out_.flush();
  ++lines_since_header_;
}

void LiveView::post_note(Duration at, std::string text, Tone tone) {
  std::lock_guard lock(notes_mutex_);
  if (notes_.size() >= kPendingNotesMax) {
    ++notes_dropped_;
    return;
  }
  notes_.push_back(Note{at, std::move(text), tone});
}

void LiveView::flush_notes() {
  std::deque<Note> notes;
  std::uint64_t dropped = 0;
  {
    std::lock_guard lock(notes_mutex_);
    notes.swap(notes_);
    dropped = std::exchange(notes_dropped_, 0);
  }
  for (const Note& note : notes) {
    out_ << fmt::format("{:>{}}  ", format_elapsed(note.at), kTimeWidth + 4)
         << paint(note.text, note.tone, style_) << '\n';
    ++lines_since_header_;
  }
  if (dropped > 0) out_ << fmt::format("  ({} more notes dropped: too many at once)\n", dropped);
  if (!notes.empty() || dropped > 0) out_.flush();
}

}  // namespace faultline::demo
