#include "json_buffer.hpp"

#include <array>
#include <charconv>
#include <cmath>

#include "json_text.hpp"

namespace faultline::tracing::json {

namespace {

// Bytes a JSON string cannot hold as they are: controls, '"', '\\', and
// every non-ASCII byte (checked as UTF-8 on the slow path).
constexpr std::array<bool, 256> kNeedsCare = [] {
  std::array<bool, 256> table{};
  for (int byte = 0; byte < 256; ++byte) table[byte] = byte < 0x20 || byte == '"' || byte == '\\' || byte >= 0x80;
  return table;
}();

// Two lower-case hex digits per byte value.
constexpr std::array<char, 512> kHexPairs = [] {
  constexpr char kDigits[] = "0123456789abcdef";
  std::array<char, 512> table{};
  for (int byte = 0; byte < 256; ++byte) {
    table[2 * byte] = kDigits[byte >> 4];
    table[2 * byte + 1] = kDigits[byte & 0x0f];
  }
  return table;
}();

// One byte that needs care, at text[0]; returns how many bytes it consumed.
std::size_t put_special(JsonBuffer& out, std::string_view text) {
  const auto byte = static_cast<unsigned char>(text.front());
  if (byte >= 0x80) {
    const std::size_t length = utf8_sequence_length(text);
    if (length == 0) {
      out.put_literal("\xef\xbf\xbd");  // U+FFFD REPLACEMENT CHARACTER
      return 1;
    }
    out.put(text.data(), length);
    return length;
  }
  switch (byte) {
    case '"': out.put_literal("\\\""); break;
    case '\\': out.put_literal("\\\\"); break;
    case '\n': out.put_literal("\\n"); break;
    case '\r': out.put_literal("\\r"); break;
    case '\t': out.put_literal("\\t"); break;
    default: {
      char* at = out.reserve(6);
      std::memcpy(at, "\\u00", 4);
      std::memcpy(at + 4, &kHexPairs[2 * byte], 2);
      out.commit(6);
    }
  }
  return 1;
}

}  // namespace

void JsonBuffer::grow(std::size_t count) {
  std::size_t capacity = capacity_ == 0 ? 4096 : capacity_;
  while (capacity - size_ < count) capacity *= 2;
  auto bigger = std::make_unique_for_overwrite<char[]>(capacity);
  if (size_ != 0) std::memcpy(bigger.get(), data_.get(), size_);
  data_ = std::move(bigger);
  capacity_ = capacity;
}

void put_string(JsonBuffer& out, std::string_view text) {
  out.put('"');
  while (!text.empty()) {
    std::size_t run = 0;
    while (run < text.size() && !kNeedsCare[static_cast<unsigned char>(text[run])]) ++run;
    out.put(text.data(), run);
    text.remove_prefix(run);
    if (text.empty()) break;
    text.remove_prefix(put_special(out, text));
  }
  out.put('"');
}

void put_uint(JsonBuffer& out, std::uint64_t value) {
  char* at = out.reserve(20);
  out.commit(static_cast<std::size_t>(std::to_chars(at, at + 20, value).ptr - at));
}

void put_int(JsonBuffer& out, std::int64_t value) {
  char* at = out.reserve(20);
  out.commit(static_cast<std::size_t>(std::to_chars(at, at + 20, value).ptr - at));
}

void put_double(JsonBuffer& out, double value) {
  if (std::isnan(value)) {
    out.put_literal("\"NaN\"");
  } else if (std::isinf(value)) {
    if (value > 0) {
      out.put_literal("\"Infinity\"");
    } else {
      out.put_literal("\"-Infinity\"");
    }
  } else {
    char* at = out.reserve(32);
    out.commit(static_cast<std::size_t>(std::to_chars(at, at + 32, value).ptr - at));
  }
}

void put_quoted_uint(JsonBuffer& out, std::uint64_t value) {
  out.put('"');
  put_uint(out, value);
  out.put('"');
}

void put_quoted_int(JsonBuffer& out, std::int64_t value) {
  out.put('"');
  put_int(out, value);
  out.put('"');
}

void put_quoted_hex(JsonBuffer& out, const std::uint8_t* bytes, std::size_t size) {
  char* at = out.reserve(2 * size + 2);
  *at++ = '"';
  for (std::size_t i = 0; i < size; ++i, at += 2) std::memcpy(at, &kHexPairs[2 * bytes[i]], 2);
  *at = '"';
  out.commit(2 * size + 2);
}

}  // namespace faultline::tracing::json
