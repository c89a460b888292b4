#include "faultline/tracing/attributes.hpp"

#include <algorithm>

namespace faultline::tracing {

namespace {

void truncate(std::string& text, std::size_t length_max) {
  if (text.size() > length_max) text.resize(length_max);
}

void apply_length_limit(AttributeValue& value, std::size_t length_max) {
  if (auto* text = std::get_if<std::string>(&value)) {
    truncate(*text, length_max);
  } else if (auto* texts = std::get_if<std::vector<std::string>>(&value)) {
    for (auto& each : *texts) truncate(each, length_max);
  }
}

}  // namespace

AttributeValue* AttributeList::slot_for(std::string_view key) {
  if (key.empty()) {
    ++dropped_;
    return nullptr;
  }
  for (std::size_t i = 0; i < size_; ++i) {
    if (entries_[i].key == key) return &entries_[i].value;
  }
  if (size_ >= limits_.count_max) {
    ++dropped_;
    return nullptr;
  }
  if (size_ < entries_.size()) {
    // A slot a clear() kept: its key's memory is reused, and usually its
    // key too (code sets the same attributes in the same order).
    std::string& kept_key = entries_[size_].key;
    if (std::string_view(kept_key) != key) kept_key.assign(key);
  } else {
    // Spans usually carry a few attributes: one allocation for the first
    // four instead of three as the vector doubles.
    if (entries_.empty()) entries_.reserve(std::min<std::size_t>(4, limits_.count_max));
    entries_.push_back(Attribute{std::string(key), AttributeValue(false)});
  }
  return &entries_[size_++].value;
}

void AttributeList::set_value(std::string_view key, AttributeValue value) {
  apply_length_limit(value, limits_.value_length_max);
  if (AttributeValue* slot = slot_for(key)) *slot = std::move(value);
}

namespace {

template <class Scalar>
void put_scalar(AttributeValue& slot, Scalar value) noexcept {
  if (auto* held = std::get_if<Scalar>(&slot)) {
    *held = value;
  } else {
    slot.emplace<Scalar>(value);
  }
}

}  // namespace

void AttributeList::set_bool(std::string_view key, bool value) {
  if (AttributeValue* slot = slot_for(key)) put_scalar(*slot, value);
}

void AttributeList::set_int(std::string_view key, std::int64_t value) {
  if (AttributeValue* slot = slot_for(key)) put_scalar(*slot, value);
}

void AttributeList::set_double(std::string_view key, double value) {
  if (AttributeValue* slot = slot_for(key)) put_scalar(*slot, value);
}

void AttributeList::set_string(std::string_view key, std::string_view value) {
  AttributeValue* slot = slot_for(key);
  if (slot == nullptr) return;
  value = value.substr(0, limits_.value_length_max);
  if (auto* held = std::get_if<std::string>(slot)) {
    held->assign(value);  // reuses the string's memory when it fits
  } else {
    slot->emplace<std::string>(value);
  }
}

const AttributeValue* AttributeList::find(std::string_view key) const noexcept {
  for (const auto& entry : entries()) {
    if (entry.key == key) return &entry.value;
  }
  return nullptr;
}

std::size_t AttributeList::clear(AttributeLimits limits) noexcept {
  // One pass over every slot: clear the live ones, count what all keep.
  std::size_t bytes = entries_.capacity() * sizeof(Attribute);
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    Attribute& slot = entries_[i];
    bytes += slot.key.capacity();
    if (auto* text = std::get_if<std::string>(&slot.value)) {
      if (i < size_) text->clear();  // kept with its memory for the next string
      bytes += text->capacity();
    } else if (i < size_) {
      slot.value.emplace<bool>(false);  // a bool holds no memory: an array is released
    }
  }
  size_ = 0;
  dropped_ = 0;
  limits_ = limits;
  return bytes;
}

}  // namespace faultline::tracing
