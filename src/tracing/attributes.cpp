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

void AttributeList::set_value(std::string_view key, AttributeValue value) {
  if (key.empty()) {
    ++dropped_;
    return;
  }
  apply_length_limit(value, limits_.value_length_max);
  const auto it = std::find_if(entries_.begin(), entries_.end(), [&](const Attribute& a) { return a.key == key; });
  if (it != entries_.end()) {
    it->value = std::move(value);
    return;
  }
  if (entries_.size() >= limits_.count_max) {
    ++dropped_;
    return;
  }
  // Spans usually carry a few attributes: one allocation for the first
  // four instead of three as the vector doubles (each also a free on the
  // batch processor's worker, its throughput).
  if (entries_.empty()) entries_.reserve(std::min<std::size_t>(4, limits_.count_max));
  entries_.push_back(Attribute{std::string(key), std::move(value)});
}

const AttributeValue* AttributeList::find(std::string_view key) const noexcept {
  for (const auto& entry : entries_) {
    if (entry.key == key) return &entry.value;
  }
  return nullptr;
}

}  // namespace faultline::tracing
