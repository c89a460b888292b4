// LiveView: what the demo prints while it runs.
//
// One line per second: which second, the service's phase, and per client
// the calls that finished in that second (ok/calls), failures, retries,
// fast-fails, that second's p99 latency, the requests that reached the
// server, and the breaker's state. Between lines, notes (phase changes,
// breaker transitions) appear as they happen, stamped "+12.345 s".
//
// Plain lines only: no cursor movement or screen clearing ever, so the
// output reads the same in a terminal, a pipe, a CI log or a file. On a
// terminal (and unless NO_COLOR is set) phases and breaker states are
// coloured; elsewhere there are no escape codes at all.
//
//   LiveView view(std::cout, {.color = true}, {{"bare", false}, {"protected", true}});
//   view.print_header();
//   view.post_note(elapsed, "protected breaker: closed -> open", Tone::bad);  // any thread
//   view.flush_notes();                      // view thread
//   view.print_tick(7s, "outage", ticks);    // view thread: the line for second 6-7
//
// Thread-safety: post_note() is safe from any thread (it only queues);
// everything else belongs to one thread, the view's.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "demo/client_stats.hpp"
#include "demo/latency_recorder.hpp"
#include "demo/text_format.hpp"

namespace faultline::demo {

// A client's column group: bare clients have no retry, fast-fail or breaker.
struct ViewColumn {
  std::string name;
  bool has_policies = false;
};

// What the view needs about one client at a tick; totals are cumulative,
// the view turns them into per-second figures.
struct ClientTick {
  ClientSnapshot totals;
  LatencyRecorder last_second;
  std::uint64_t server_requests_total = 0;
  std::string breaker_state;  // empty for a client without a breaker
};

class LiveView {
 public:
  static constexpr std::size_t kPendingNotesMax = 256;
  static constexpr std::size_t kLinesBetweenHeaders = 24;  // about a screen

  LiveView(std::ostream& out, TextStyle style, std::vector<ViewColumn> columns);

  void print_header();
  // Prints the second that ends at `second_end` ("6-7s"). Precondition:
  // clients.size() equals the number of columns.
  void print_tick(Duration second_end, std::string_view phase,
                  const std::vector<ClientTick>& clients);

  // Prints a line of its own under the latest tick (the capacity lanes'
  // second); counted for the header's repetition like a tick.
  void print_detail(std::string_view line);

  // Queues a note stamped `at` (since start). Beyond kPendingNotesMax
  // queued notes, further ones are counted and dropped.
  void post_note(Duration at, std::string text, Tone tone);
  // Prints the queued notes in the order they were posted.
  void flush_notes();

  // The tone a breaker state is shown in ("closed" good, "open" bad, ...).
  [[nodiscard]] static Tone breaker_tone(std::string_view state) noexcept;

 private:
  struct Note {
    Duration at;
    std::string text;
    Tone tone;
  };
  std::string client_cells(const ViewColumn& column, const ClientTick& now,
                           const ClientTick& before) const;

  std::ostream& out_;
  const TextStyle style_;
  const std::vector<ViewColumn> columns_;
  std::vector<ClientTick> previous_;
  std::size_t lines_since_header_ = 0;

  std::mutex notes_mutex_;
  std::deque<Note> notes_;  // size() <= kPendingNotesMax
  std::uint64_t notes_dropped_ = 0;
};

}  // namespace faultline::demo
