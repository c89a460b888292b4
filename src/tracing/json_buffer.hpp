// JsonBuffer: a growable byte buffer the exporters write JSON text into
// by hand, at the speed the batch processor's worker needs (internal).
//
// Why not std::string: every std::string::append is an out-of-line call
// with its own capacity check, and the encoder makes a few dozen tiny
// appends per span. Here a write of a known size is an inlined capacity
// check and a memcpy the compiler turns into a few moves, and strings are
// escaped by copying the runs that need no escape whole. Growth does not
// zero-fill, and clear() keeps the capacity, so a reused buffer stops
// allocating once it has held the largest batch.
//
// The text is the same as json_text.hpp writes (RFC 8259 escapes, bytes
// that are not valid UTF-8 become U+FFFD, 64-bit integers quoted).
//
// Thread-safety: a value type; one object is not synchronized.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>

namespace faultline::tracing::json {

class JsonBuffer {
 public:
  JsonBuffer() = default;
  JsonBuffer(const JsonBuffer&) = delete;
  JsonBuffer& operator=(const JsonBuffer&) = delete;
  JsonBuffer(JsonBuffer&&) noexcept = default;
  JsonBuffer& operator=(JsonBuffer&&) noexcept = default;

  [[nodiscard]] const char* data() const noexcept { return data_.get(); }
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] std::string_view view() const noexcept { return {data_.get(), size_}; }
  void clear() noexcept { size_ = 0; }

  // Room for `count` more bytes; returns where they go. commit() says how
  // many were written.
  char* reserve(std::size_t count) {
    if (capacity_ - size_ < count) [[unlikely]] grow(count);
    return data_.get() + size_;
  }
  void commit(std::size_t count) noexcept { size_ += count; }

  void put(char c) {
    *reserve(1) = c;
    ++size_;
  }
  void put(const char* text, std::size_t count) {
    std::memcpy(reserve(count), text, count);
    size_ += count;
  }
  void put(std::string_view text) { put(text.data(), text.size()); }
  // A literal: its size is known when compiled, so the copy is inlined.
  template <std::size_t N>
  void put_literal(const char (&text)[N]) {
    put(text, N - 1);
  }

 private:
  void grow(std::size_t count);

  std::unique_ptr<char[]> data_;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

// A quoted, escaped JSON string.
void put_string(JsonBuffer& out, std::string_view text);
void put_uint(JsonBuffer& out, std::uint64_t value);
void put_int(JsonBuffer& out, std::int64_t value);
// As json::append_double (NaN and infinities as quoted names).
void put_double(JsonBuffer& out, double value);
void put_quoted_uint(JsonBuffer& out, std::uint64_t value);
void put_quoted_int(JsonBuffer& out, std::int64_t value);
// `"<hex>"`: 2*size lower-case hex digits of `bytes`, quoted.
void put_quoted_hex(JsonBuffer& out, const std::uint8_t* bytes, std::size_t size);

}  // namespace faultline::tracing::json
