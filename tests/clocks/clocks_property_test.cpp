// The algebra of logical clocks, checked on random values: merge is a join
// (commutative, associative, idempotent, an upper bound), compare agrees
// with merge, happened-before is a strict partial order, and every
// encoding round-trips.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <vector>

#include "clocks/clock_generators.hpp"
#include "faultline/clocks/binary_encoding.hpp"
#include "faultline/clocks/text_encoding.hpp"

namespace faultline::clocks {
namespace {

using testing::random_version_vector;
using testing::random_vector_clock;
using testing::random_wide_version_vector;

RC_GTEST_PROP(VersionVectorAlgebra, MergeIsCommutativeAssociativeIdempotent, ()) {
  const VersionVector a = random_version_vector();
  const VersionVector b = random_version_vector();
  const VersionVector c = random_version_vector();
  RC_ASSERT(merged(a, b) == merged(b, a));
  RC_ASSERT(merged(merged(a, b), c) == merged(a, merged(b, c)));
  RC_ASSERT(merged(a, a) == a);
}

RC_GTEST_PROP(VersionVectorAlgebra, CompareIsConsistentWithMerge, ()) {
  const VersionVector a = random_version_vector();
  const VersionVector b = random_version_vector();
  const VersionVector join = merged(a, b);
  RC_ASSERT(descends(join, a));
  RC_ASSERT(descends(join, b));
  // a <= b exactly when merging a into b changes nothing.
  const CausalOrder order = compare(a, b);
  RC_ASSERT((order == CausalOrder::before || order == CausalOrder::equal) ==
            (compare(join, b) == CausalOrder::equal));
  RC_ASSERT(compare(b, a) == mirror(order));
}

RC_GTEST_PROP(VersionVectorAlgebra, HappenedBeforeIsAStrictPartialOrder, ()) {
  const VersionVector a = random_version_vector();
  const VersionVector b = random_version_vector();
  const VersionVector c = random_version_vector();
  RC_ASSERT(!happened_before(a, a));                                    // irreflexive
  RC_ASSERT(!(happened_before(a, b) && happened_before(b, a)));         // asymmetric
  if (happened_before(a, b) && happened_before(b, c)) RC_ASSERT(happened_before(a, c));
}

RC_GTEST_PROP(VersionVectorAlgebra, AnIncrementHappensAfter, (std::uint8_t node)) {
  const VersionVector a = random_version_vector();
  VersionVector b = a;
  b.increment(node % 8);
  RC_ASSERT(happened_before(a, b));
}

RC_GTEST_PROP(VectorClockAlgebra, MergeIsAJoinAndCompareAgrees, ()) {
  const std::size_t nodes = *rc::gen::inRange<std::size_t>(0, 6);
  const VectorClock a = random_vector_clock(nodes);
  const VectorClock b = random_vector_clock(nodes);
  const VectorClock c = random_vector_clock(nodes);
  RC_ASSERT(merged(a, b) == merged(b, a));
  RC_ASSERT(merged(merged(a, b), c) == merged(a, merged(b, c)));
  RC_ASSERT(merged(a, a) == a);
  const CausalOrder to_join = compare(a, merged(a, b));
  RC_ASSERT(to_join == CausalOrder::before || to_join == CausalOrder::equal);
  RC_ASSERT(!happened_before(a, a));
  if (happened_before(a, b) && happened_before(b, c)) RC_ASSERT(happened_before(a, c));
}

template <class T, class Decode>
void check_binary_round_trip(const T& value, Decode decode) {
  std::vector<std::uint8_t> bytes(binary_size(value));
  const auto size = encode_binary(value, bytes);
  RC_ASSERT(size.ok());
  RC_ASSERT(*size == bytes.size());
  const auto back = decode(bytes);
  RC_ASSERT(back.ok());
  RC_ASSERT(*back == value);
}

RC_GTEST_PROP(Encodings, BinaryAndTextRoundTrip, ()) {
  const VersionVector vector = random_wide_version_vector();
  check_binary_round_trip(vector, decode_version_vector);
  RC_ASSERT(*parse_version_vector(to_text(vector)) == vector);

  const DottedVersionVector dotted{
      {*rc::gen::arbitrary<NodeId>(), *rc::gen::inRange<std::uint64_t>(1, UINT64_MAX)}, vector};
  check_binary_round_trip(dotted, decode_dotted_version_vector);
  RC_ASSERT(*parse_dotted_version_vector(to_text(dotted)) == dotted);

  const VectorClock clock(*rc::gen::container<std::vector<std::uint64_t>>(
      *rc::gen::inRange<std::size_t>(0, 40), rc::gen::arbitrary<std::uint64_t>()));
  check_binary_round_trip(clock, decode_vector_clock);
  RC_ASSERT(*parse_vector_clock(to_text(clock)) == clock);

  const LamportTimestamp lamport{*rc::gen::arbitrary<std::uint64_t>(), *rc::gen::arbitrary<NodeId>()};
  check_binary_round_trip(lamport, decode_lamport_timestamp);
  RC_ASSERT(*parse_lamport_timestamp(to_text(lamport)) == lamport);

  const HlcTimestamp hlc = HlcTimestamp::unpack(*rc::gen::arbitrary<std::uint64_t>());
  check_binary_round_trip(hlc, decode_hlc_timestamp);
  RC_ASSERT(*parse_hlc_timestamp(to_text(hlc)) == hlc);
}

}  // namespace
}  // namespace faultline::clocks
