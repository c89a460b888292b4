// Attributes: the key/value pairs on spans, events, links and resources,
// with the value types of the OpenTelemetry data model (string, bool,
// 64-bit integer, double, and homogeneous arrays of each) and the limits
// that keep one careless caller from growing a span without bound.
//
//   AttributeList attributes(limits);
//   attributes.set("http.request.method", "GET");
//   attributes.set("http.response.status_code", std::int64_t{200});
//
// Limits follow the OpenTelemetry SDK's defaults (128 attributes, no value
// length limit unless configured). A set() over the count limit is dropped
// and counted; a string longer than the length limit is truncated. Setting
// an existing key replaces its value and counts nothing.
//
// Thread-safety: value types; one object is not synchronized.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace faultline::tracing {

using AttributeValue = std::variant<std::string, bool, std::int64_t, double, std::vector<std::string>,
                                    std::vector<bool>, std::vector<std::int64_t>, std::vector<double>>;

struct Attribute {
  std::string key;
  AttributeValue value;
  friend bool operator==(const Attribute&, const Attribute&) = default;
};

// The attribute value a C++ value stands for: bool stays bool, every other
// integer becomes int64 (an unsigned above INT64_MAX wraps, as OTLP's
// int64 would), floating point becomes double, anything convertible to a
// string_view (const char*, std::string) becomes a string.
template <class Value>
[[nodiscard]] AttributeValue to_attribute_value(Value&& value) {
  using Plain = std::remove_cvref_t<Value>;
  if constexpr (std::is_same_v<Plain, AttributeValue> || std::is_same_v<Plain, std::string>) {
    return AttributeValue(std::forward<Value>(value));
  } else if constexpr (std::is_same_v<Plain, bool>) {
    return AttributeValue(value);
  } else if constexpr (std::is_integral_v<Plain>) {
    return AttributeValue(static_cast<std::int64_t>(value));
  } else if constexpr (std::is_floating_point_v<Plain>) {
    return AttributeValue(static_cast<double>(value));
  } else if constexpr (std::is_convertible_v<Value, std::string_view>) {
    return AttributeValue(std::string(std::string_view(value)));
  } else {
    return AttributeValue(std::forward<Value>(value));
  }
}

struct AttributeLimits {
  std::size_t count_max = 128;
  // Applies to strings and to each string of a string array.
  std::size_t value_length_max = std::numeric_limits<std::size_t>::max();
};

class AttributeList {
 public:
  AttributeList() = default;
  explicit AttributeList(AttributeLimits limits) noexcept : limits_(limits) {}

  // Any value to_attribute_value() accepts. An empty key is invalid and
  // dropped (counted). Scalars and strings are written into the slot's
  // value in place (no temporary AttributeValue): this is the traced
  // program's path, once per attribute of every sampled span.
  template <class Value>
  void set(std::string_view key, Value&& value) {
    using Plain = std::remove_cvref_t<Value>;
    if constexpr (std::is_same_v<Plain, bool>) {
      set_bool(key, value);
    } else if constexpr (std::is_integral_v<Plain>) {
      set_int(key, static_cast<std::int64_t>(value));
    } else if constexpr (std::is_floating_point_v<Plain>) {
      set_double(key, static_cast<double>(value));
    } else if constexpr (!std::is_same_v<Plain, AttributeValue> && !std::is_same_v<Plain, std::string> &&
                         std::is_convertible_v<Value, std::string_view>) {
      set_string(key, std::string_view(value));
    } else {
      set_value(key, to_attribute_value(std::forward<Value>(value)));
    }
  }
  void set_value(std::string_view key, AttributeValue value);
  void set_bool(std::string_view key, bool value);
  void set_int(std::string_view key, std::int64_t value);
  void set_double(std::string_view key, double value);
  void set_string(std::string_view key, std::string_view value);

  [[nodiscard]] std::span<const Attribute> entries() const noexcept { return {entries_.data(), size_}; }
  [[nodiscard]] const AttributeValue* find(std::string_view key) const noexcept;
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
  // How many set() calls were dropped by the count limit or an empty key.
  [[nodiscard]] std::uint32_t dropped() const noexcept { return dropped_; }

  // Empties the list and sets new limits, keeping the memory its keys and
  // string values hold, so a reused list (a pooled span's) sets the same
  // keys and short strings again without allocating. Array values are
  // released here. Returns the bytes kept: the slots, their keys and
  // string values.
  std::size_t clear(AttributeLimits limits) noexcept;
  // New limits for an empty list (one just cleared): the cheap half of
  // clear(), touching no slot.
  void set_limits(AttributeLimits limits) noexcept { limits_ = limits; }

 private:
  // The value of `key`: its existing slot, else a new one (holding a
  // placeholder the caller overwrites); null, counted, when dropped.
  [[nodiscard]] AttributeValue* slot_for(std::string_view key);

  AttributeLimits limits_;
  // The first size_ are the attributes; any after them are cleared slots
  // kept for their keys' memory.
  std::vector<Attribute> entries_;
  std::size_t size_ = 0;
  std::uint32_t dropped_ = 0;
};

}  // namespace faultline::tracing
