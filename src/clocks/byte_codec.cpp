#include "byte_codec.hpp"

namespace faultline::clocks::detail {

Status ByteReader::error(std::string_view fault) const {
  return Status::invalid_argument(std::string(what_) + ": " + std::string(fault) +
                                  " at byte " + std::to_string(position_));
}

Status ByteReader::tag(std::uint8_t expected) {
  if (remaining() == 0) return error("empty input, expected a type tag");
  if (bytes_[position_] != expected) return error("wrong type tag");
  ++position_;
  return Status();
}

Status ByteReader::varint(std::uint64_t& value) {
  value = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (remaining() == 0) return error("truncated varint");
    const std::uint8_t byte = bytes_[position_];
    // The tenth byte may only carry the top bit of a 64-bit value.
    if (shift == 63 && byte > 1) return error("varint overflows 64 bits");
    value |= std::uint64_t{byte & 0x7fu} << shift;
    ++position_;
    if ((byte & 0x80) == 0) {
      // Canonical form: no trailing zero groups ("overlong" encodings).
      if (byte == 0 && shift > 0) return error("overlong varint");
      return Status();
    }
  }
  return error("varint longer than 10 bytes");
}

Status ByteReader::big_endian_u64(std::uint64_t& value) {
  if (remaining() < 8) return error("truncated 8-byte integer");
  value = 0;
  for (int i = 0; i < 8; ++i) value = (value << 8) | bytes_[position_++];
  return Status();
}

Status ByteReader::count(std::uint64_t& value, std::uint64_t count_max,
                         std::size_t item_bytes_min) {
  if (Status status = varint(value); !status.ok()) return status;
  if (value > count_max) return error("count " + std::to_string(value) + " above the limit");
  if (value > remaining() / item_bytes_min) return error("count larger than the bytes present");
  return Status();
}

Status ByteReader::finish() const {
  if (remaining() != 0) return error("trailing bytes");
  return Status();
}

}  // namespace faultline::clocks::detail
