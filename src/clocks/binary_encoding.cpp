#include "faultline/clocks/binary_encoding.hpp"

#include <string>
#include <utility>
#include <vector>

#include "byte_codec.hpp"
#include "faultline/core/assert.hpp"

namespace faultline::clocks {
namespace {

using detail::ByteReader;
using detail::ByteWriter;
using detail::varint_size;

constexpr std::uint8_t tag_byte(BinaryTag tag) noexcept { return static_cast<std::uint8_t>(tag); }

std::uint64_t touched_ms(const VersionEntry& entry) noexcept {
  return static_cast<std::uint64_t>(entry.touched.time_since_epoch().count());
}

Result<std::size_t> finish(const ByteWriter& writer, std::string_view what) {
  if (auto size = writer.finish()) return *size;
  return Status::resource_exhausted(std::string(what) + " needs " +
                                    std::to_string(writer.needed()) + " bytes");
}

// The body shared by version vectors and dotted version vectors.
std::size_t entries_size(const VersionVector& vector) noexcept {
  std::size_t size = varint_size(vector.size());
  NodeId previous = 0;
  bool first = true;
  for (const VersionEntry& entry : vector.entries()) {
    size += varint_size(first ? entry.node : entry.node - previous - 1);
    size += varint_size(entry.counter) + varint_size(touched_ms(entry));
    previous = entry.node;
    first = false;
  }
  return size;
}

// Node ids ascend, so each is written as the gap above its predecessor
// minus one: small, and never ambiguous.
void write_entries(ByteWriter& writer, const VersionVector& vector) noexcept {
  writer.varint(vector.size());
  NodeId previous = 0;
  bool first = true;
  for (const VersionEntry& entry : vector.entries()) {
    writer.varint(first ? entry.node : entry.node - previous - 1);
    writer.varint(entry.counter);
    writer.varint(touched_ms(entry));
    previous = entry.node;
    first = false;
  }
}

Status check_touched(const VersionVector& vector) {
  for (const VersionEntry& entry : vector.entries()) {
    if (entry.touched.time_since_epoch().count() < 0) {
      return Status::invalid_argument("version vector entry touched before 1970");
    }
  }
  return Status();
}

Status read_entry(ByteReader& reader, bool first, NodeId previous, VersionEntry& entry) {
  std::uint64_t node_gap = 0;
  std::uint64_t touched = 0;
  if (Status s = reader.varint(node_gap); !s.ok()) return s;
  if (Status s = reader.varint(entry.counter); !s.ok()) return s;
  if (Status s = reader.varint(touched); !s.ok()) return s;
  if (!first && node_gap >= UINT64_MAX - previous) return reader.error("node id overflows");
  entry.node = first ? node_gap : previous + node_gap + 1;
  if (entry.counter == 0) return reader.error("entry with counter 0");
  if (touched > static_cast<std::uint64_t>(INT64_MAX)) return reader.error("touched time too large");
  entry.touched = WallMillis(std::chrono::milliseconds(static_cast<std::int64_t>(touched)));
  return Status();
}

// Smallest entry: three one-byte varints.
constexpr std::size_t kEntryBytesMin = 3;

Result<VersionVector> read_entries(ByteReader& reader) {
  std::uint64_t count = 0;
  if (Status s = reader.count(count, VersionVector::kEntriesMax, kEntryBytesMin); !s.ok()) return s;
  std::vector<VersionEntry> entries(count);
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const NodeId previous = i == 0 ? 0 : entries[i - 1].node;
    if (Status s = read_entry(reader, i == 0, previous, entries[i]); !s.ok()) return s;
  }
  return VersionVector(std::move(entries));
}

}  // namespace

std::size_t binary_size(const LamportTimestamp& stamp) noexcept {
  return 1 + varint_size(stamp.counter) + varint_size(stamp.node);
}
std::size_t binary_size(const HlcTimestamp&) noexcept { return 1 + 8; }
std::size_t binary_size(const VectorClock& clock) noexcept {
  std::size_t size = 1 + varint_size(clock.node_count());
  for (const std::uint64_t counter : clock.counters()) size += varint_size(counter);
  return size;
}
std::size_t binary_size(const VersionVector& vector) noexcept { return 1 + entries_size(vector); }
std::size_t binary_size(const DottedVersionVector& vector) noexcept {
  return 1 + varint_size(vector.dot.node) + varint_size(vector.dot.counter) +
         entries_size(vector.context);
}

Result<std::size_t> encode_binary(const LamportTimestamp& stamp, std::span<std::uint8_t> out) {
  ByteWriter writer(out);
  writer.byte(tag_byte(BinaryTag::lamport));
  writer.varint(stamp.counter);
  writer.varint(stamp.node);
  return finish(writer, "Lamport timestamp");
}

Result<std::size_t> encode_binary(const HlcTimestamp& stamp, std::span<std::uint8_t> out) {
  if (stamp.wall_ms > HlcTimestamp::kWallMsMax) {
    return Status::invalid_argument("HLC wall time does not fit 48 bits");
  }
  ByteWriter writer(out);
  writer.byte(tag_byte(BinaryTag::hlc));
  writer.big_endian_u64(stamp.pack());
  return finish(writer, "HLC timestamp");
}

Result<std::size_t> encode_binary(const VectorClock& clock, std::span<std::uint8_t> out) {
  ByteWriter writer(out);
  writer.byte(tag_byte(BinaryTag::vector_clock));
  writer.varint(clock.node_count());
  for (const std::uint64_t counter : clock.counters()) writer.varint(counter);
  return finish(writer, "vector clock");
}

Result<std::size_t> encode_binary(const VersionVector& vector, std::span<std::uint8_t> out) {
  if (Status s = check_touched(vector); !s.ok()) return s;
  ByteWriter writer(out);
  writer.byte(tag_byte(BinaryTag::version_vector));
  write_entries(writer, vector);
  return finish(writer, "version vector");
}

Result<std::size_t> encode_binary(const DottedVersionVector& vector, std::span<std::uint8_t> out) {
  if (vector.dot.counter == 0) return Status::invalid_argument("a dot's counter starts at 1");
  if (Status s = check_touched(vector.context); !s.ok()) return s;
  ByteWriter writer(out);
  writer.byte(tag_byte(BinaryTag::dotted_version_vector));
  writer.varint(vector.dot.node);
  writer.varint(vector.dot.counter);
  write_entries(writer, vector.context);
  return finish(writer, "dotted version vector");
}

Result<LamportTimestamp> decode_lamport_timestamp(std::span<const std::uint8_t> bytes) {
  ByteReader reader(bytes, "Lamport timestamp");
  LamportTimestamp stamp;
  if (Status s = reader.tag(tag_byte(BinaryTag::lamport)); !s.ok()) return s;
  if (Status s = reader.varint(stamp.counter); !s.ok()) return s;
  if (Status s = reader.varint(stamp.node); !s.ok()) return s;
  if (Status s = reader.finish(); !s.ok()) return s;
  return stamp;
}

Result<HlcTimestamp> decode_hlc_timestamp(std::span<const std::uint8_t> bytes) {
  ByteReader reader(bytes, "HLC timestamp");
  std::uint64_t packed = 0;
  if (Status s = reader.tag(tag_byte(BinaryTag::hlc)); !s.ok()) return s;
  if (Status s = reader.big_endian_u64(packed); !s.ok()) return s;
  if (Status s = reader.finish(); !s.ok()) return s;
  return HlcTimestamp::unpack(packed);
}

Result<VectorClock> decode_vector_clock(std::span<const std::uint8_t> bytes) {
  ByteReader reader(bytes, "vector clock");
  std::uint64_t count = 0;
  if (Status s = reader.tag(tag_byte(BinaryTag::vector_clock)); !s.ok()) return s;
  if (Status s = reader.count(count, VectorClock::kNodeCountMax, 1); !s.ok()) return s;
  std::vector<std::uint64_t> counters(count);
  for (std::uint64_t& counter : counters) {
    if (Status s = reader.varint(counter); !s.ok()) return s;
  }
  if (Status s = reader.finish(); !s.ok()) return s;
  return VectorClock(std::move(counters));
}

Result<VersionVector> decode_version_vector(std::span<const std::uint8_t> bytes) {
  ByteReader reader(bytes, "version vector");
  if (Status s = reader.tag(tag_byte(BinaryTag::version_vector)); !s.ok()) return s;
  Result<VersionVector> vector = read_entries(reader);
  if (!vector.ok()) return vector;
  if (Status s = reader.finish(); !s.ok()) return s;
  return vector;
}

Result<DottedVersionVector> decode_dotted_version_vector(std::span<const std::uint8_t> bytes) {
  ByteReader reader(bytes, "dotted version vector");
  DottedVersionVector vector;
  if (Status s = reader.tag(tag_byte(BinaryTag::dotted_version_vector)); !s.ok()) return s;
  if (Status s = reader.varint(vector.dot.node); !s.ok()) return s;
  if (Status s = reader.varint(vector.dot.counter); !s.ok()) return s;
  if (vector.dot.counter == 0) return reader.error("dot with counter 0");
  Result<VersionVector> context = read_entries(reader);
  if (!context.ok()) return context.status();
  if (Status s = reader.finish(); !s.ok()) return s;
  vector.context = std::move(*context);
  return vector;
}

}  // namespace faultline::clocks
