// SiblingSet: the concurrent versions of one key, tracked with dotted
// version vectors.
//
// What a replica of a key-value store keeps for a key: every write no
// other write has seen. put() stamps a new write with the next dot of the
// coordinating server and discards the siblings the client had read (its
// context covers their dots); sync() merges another replica's set. A read
// returns all values and context(), which the client sends back with its
// next write so that write replaces exactly what it saw and nothing it
// did not. No write is lost to a clock race, and no false conflict remains.
//
// Bounded: at most siblings_max values; a put() that would exceed it is
// refused (resource_exhausted, reason "TOO_MANY_SIBLINGS") so a client that
// writes blind in a loop cannot grow a key without end.
//
//   SiblingSet<std::string> key;
//   (void)key.put(server, {}, "a");       // two blind writes:
//   (void)key.put(server, {}, "b");       // both kept as siblings
//   (void)key.put(server, key.context(), "c");   // read both, wrote c: one left
//
// Thread-safety: a value type; one object is not synchronized.
#pragma once

#include <algorithm>
#include <cstddef>
#include <utility>
#include <vector>

#include "faultline/clocks/dotted_version_vector.hpp"
#include "faultline/core/assert.hpp"
#include "faultline/core/status.hpp"

namespace faultline::clocks {

template <class Value>
class SiblingSet {
 public:
  struct Sibling {
    DottedVersionVector version;
    Value value;
  };

  explicit SiblingSet(std::size_t siblings_max = 64) : siblings_max_(siblings_max) {
    FAULTLINE_ASSERT(siblings_max >= 1, "a key holds at least one value");
  }

  // A write coordinated by `server` from a client that had read `context`.
  [[nodiscard]] Status put(NodeId server, const VersionVector& context, Value value) {
    DottedVersionVector version{Dot{server, next_counter(server, context)}, context};
    const auto superseded = [&](const Sibling& s) { return obsoletes(version, s.version); };
    // Decide before changing anything: a refused write must not drop the
    // siblings it would have replaced.
    const auto kept = siblings_.size() - static_cast<std::size_t>(std::count_if(
                                             siblings_.begin(), siblings_.end(), superseded));
    if (kept >= siblings_max_) {
      return Status::resource_exhausted("key already holds the maximum number of siblings")
          .with_reason("TOO_MANY_SIBLINGS");
    }
    std::erase_if(siblings_, superseded);
    siblings_.push_back(Sibling{std::move(version), std::move(value)});
    return Status();
  }

  // Anti-entropy: keeps each sibling of either set that the other's
  // siblings have not seen. Symmetric: a.sync(b) and b.sync(a) agree.
  void sync(const SiblingSet& other) {
    std::vector<Sibling> kept;
    for (const Sibling& mine : siblings_) {
      if (!seen_by(mine, other.siblings_)) kept.push_back(mine);
    }
    for (const Sibling& theirs : other.siblings_) {
      const bool duplicate = std::any_of(kept.begin(), kept.end(), [&](const Sibling& s) {
        return s.version.dot == theirs.version.dot;
      });
      if (!duplicate && !seen_by(theirs, siblings_)) kept.push_back(theirs);
    }
    siblings_ = std::move(kept);
  }

  // Join of every sibling's history: the context a read hands the client.
  [[nodiscard]] VersionVector context() const {
    VersionVector joined;
    for (const Sibling& s : siblings_) joined.merge(s.version.history());
    return joined;
  }

  [[nodiscard]] const std::vector<Sibling>& siblings() const noexcept { return siblings_; }
  [[nodiscard]] std::size_t size() const noexcept { return siblings_.size(); }

 private:
  static bool seen_by(const Sibling& sibling, const std::vector<Sibling>& others) noexcept {
    return std::any_of(others.begin(), others.end(), [&](const Sibling& o) {
      return obsoletes(o.version, sibling.version);
    });
  }

  // One past the largest event of `server` this key or the client knows:
  // dots of one server are then unique per key.
  std::uint64_t next_counter(NodeId server, const VersionVector& context) const noexcept {
    std::uint64_t highest = context.counter(server);
    for (const Sibling& s : siblings_) {
      highest = std::max(highest, s.version.history().counter(server));
    }
    return highest + 1;
  }

  std::size_t siblings_max_;
  std::vector<Sibling> siblings_;
};

}  // namespace faultline::clocks
