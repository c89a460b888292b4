#include "faultline/tracing/ids.hpp"

#include <string>

namespace faultline::tracing {

namespace detail {

bool decode_lower_hex(std::string_view hex, std::uint8_t* out, std::size_t size) noexcept {
  if (hex.size() != 2 * size) return false;
  for (std::size_t i = 0; i < size; ++i) {
    const int high = lower_hex_value(hex[2 * i]);
    const int low = lower_hex_value(hex[2 * i + 1]);
    if (high < 0 || low < 0) return false;
    out[i] = static_cast<std::uint8_t>((high << 4) | low);
  }
  return true;
}

void encode_lower_hex(const std::uint8_t* bytes, std::size_t size, char* out) noexcept {
  static constexpr char kDigits[] = "0123456789abcdef";
  for (std::size_t i = 0; i < size; ++i) {
    out[2 * i] = kDigits[bytes[i] >> 4];
    out[2 * i + 1] = kDigits[bytes[i] & 0x0f];
  }
}

}  // namespace detail

namespace {

template <class IdType>
std::string hex_of(const IdType& id) {
  std::string out(IdType::kHexChars, '0');
  detail::encode_lower_hex(id.bytes.data(), IdType::kBytes, out.data());
  return out;
}

template <class IdType>
Result<IdType> parse_id(std::string_view hex, std::string_view what) {
  IdType id;
  if (hex.size() != IdType::kHexChars) {
    return Status::invalid_argument(std::string(what) + " must be " + std::to_string(IdType::kHexChars) +
                                    " hex characters, got " + std::to_string(hex.size()));
  }
  if (!detail::decode_lower_hex(hex, id.bytes.data(), IdType::kBytes)) {
    return Status::invalid_argument(std::string(what) + " must be lower-case hex");
  }
  if (!id.valid()) return Status::invalid_argument(std::string(what) + " must not be all zeros");
  return id;
}

}  // namespace

std::string to_hex(const TraceId& id) { return hex_of(id); }
std::string to_hex(const SpanId& id) { return hex_of(id); }

void write_hex(const TraceId& id, char* out) noexcept {
  detail::encode_lower_hex(id.bytes.data(), TraceId::kBytes, out);
}
void write_hex(const SpanId& id, char* out) noexcept {
  detail::encode_lower_hex(id.bytes.data(), SpanId::kBytes, out);
}

Result<TraceId> parse_trace_id(std::string_view hex) { return parse_id<TraceId>(hex, "trace-id"); }
Result<SpanId> parse_span_id(std::string_view hex) { return parse_id<SpanId>(hex, "span-id"); }

}  // namespace faultline::tracing
