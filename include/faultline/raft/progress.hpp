// Progress: what the leader knows about one follower's log, and how fast it
// may send to it.
//
// The leader keeps one Progress per peer (paper figure 2's nextIndex and
// matchIndex) plus flow control, in three states as in etcd's tracker:
// - probe: the leader does not know where the follower's log matches; it
//   sends one append per heartbeat interval and waits for the reply.
// - replicate: the logs match up to `match`; the leader streams appends
//   optimistically (advancing `next` on send), bounded by the inflight window.
// - snapshot: the follower needs entries the leader compacted away; a
//   snapshot is on its way and appends pause until the follower acknowledges
//   it (or the driver reports it failed, Raft::report_snapshot).
//
//   Progress progress(/*next=*/8, /*max_inflight_messages=*/64, /*max_inflight_bytes=*/1 << 20);
//   progress.maybe_update(7);     // acked up to 7: match = 7
//   progress.become_replicate();
//
// Thread-safety: not synchronized; owned by the single-threaded core.
#pragma once

#include <cstddef>
#include <string_view>

#include "faultline/raft/inflights.hpp"
#include "faultline/raft/types.hpp"

namespace faultline::raft {

enum class ProgressState : std::uint8_t { probe, replicate, snapshot };

[[nodiscard]] std::string_view progress_state_name(ProgressState state) noexcept;

class Progress {
 public:
  Progress(Index next, std::size_t max_inflight_messages, std::size_t max_inflight_bytes);

  // Invariant: match < next. `match` is the highest index known to be in the
  // follower's log and durable there; `next` the next index to send.
  [[nodiscard]] Index match() const noexcept { return match_; }
  [[nodiscard]] Index next() const noexcept { return next_; }
  [[nodiscard]] ProgressState state() const noexcept { return state_; }
  [[nodiscard]] const Inflights& inflights() const noexcept { return inflights_; }
  [[nodiscard]] bool probe_sent() const noexcept { return probe_sent_; }
  // Snapshot state only: the index of the snapshot sent.
  [[nodiscard]] Index pending_snapshot() const noexcept { return pending_snapshot_; }

  // From snapshot state, probing resumes after the snapshot sent (if it
  // arrived) or after match (if it failed: see snapshot_failed).
  void become_probe();
  void become_replicate();
  // A snapshot at snapshot_index was sent: pause appends until it is acked.
  void become_snapshot(Index snapshot_index);
  // The snapshot did not arrive: forget it, so probing restarts at match + 1.
  void snapshot_failed() noexcept { pending_snapshot_ = 0; }

  // A success reply acknowledged `index`. Returns whether match advanced
  // (false for a stale or duplicate reply).
  bool maybe_update(Index index);
  // A rejection of the append whose prev index was `rejected`; `match_hint`
  // is the leader's guess (from the follower's fast-backtracking hint) of
  // the largest index that may match. Returns false for a stale rejection.
  bool maybe_decrease_to(Index rejected, Index match_hint);
  // Records an append carrying entries up to last_index (bytes in total).
  // In replicate state it advances next optimistically and uses the window;
  // in probe state it pauses until the reply.
  void sent_entries(Index last_index, std::size_t bytes);
  // Records that an empty probe (no entries) was sent.
  void sent_probe() { probe_sent_ = true; }
  // A heartbeat reply arrived: the follower is alive.
  void heard_heartbeat_response();

  // Whether the leader must wait before sending another append: a probe is
  // outstanding, or the inflight window is full.
  [[nodiscard]] bool paused() const noexcept;

  // CheckQuorum (thesis §6.2): set on any reply, cleared each election timeout.
  [[nodiscard]] bool recent_active() const noexcept { return recent_active_; }
  void set_recent_active(bool active) noexcept { recent_active_ = active; }

 private:
  Index match_ = 0;
  Index next_ = 1;
  ProgressState state_ = ProgressState::probe;
  bool probe_sent_ = false;  // probe state only: an append is outstanding
  Index pending_snapshot_ = 0;  // snapshot state only
  bool recent_active_ = false;
  Inflights inflights_;      // replicate state only: the pipelined appends
};

}  // namespace faultline::raft
