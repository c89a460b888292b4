// The config-change entry encoding (see conf_change.hpp for the layout).
#include "faultline/raft/conf_change.hpp"

#include <optional>

namespace faultline::raft {
namespace {

constexpr std::uint8_t kVersion = 1;
constexpr std::uint8_t kMaxType = static_cast<std::uint8_t>(ConfChangeType::promote_learner);
constexpr std::uint8_t kMaxTransition = static_cast<std::uint8_t>(ConfChangeTransition::joint);
constexpr std::size_t kMaxVarintBytes = 10;  // ceil(64 / 7)

void put_varint(Bytes& out, std::uint64_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<std::byte>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<std::byte>(value));
}

// Reads bytes from a buffer it never runs past; every read says whether it
// found what it wanted.
class Reader {
 public:
  explicit Reader(const Bytes& data) : data_(data) {}

  [[nodiscard]] std::optional<std::uint8_t> byte() {
    if (position_ >= data_.size()) return std::nullopt;
    return static_cast<std::uint8_t>(data_[position_++]);
  }
  // LEB128; rejects encodings longer than 10 bytes, above 2^64 - 1, or padded.
  [[nodiscard]] std::optional<std::uint64_t> varint() {
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < kMaxVarintBytes; ++i) {
      const std::optional<std::uint8_t> next = byte();
      if (!next) return std::nullopt;
      const std::uint64_t bits = *next & 0x7fu;
      if (i == kMaxVarintBytes - 1 && bits > 1) return std::nullopt;  // over 64 bits
      value |= bits << (7 * i);
      if ((*next & 0x80u) == 0) {
        // A zero last byte only pads: refuse it, so each value has one encoding.
        if (i > 0 && *next == 0) return std::nullopt;
        return value;
      }
    }
    return std::nullopt;
  }
  [[nodiscard]] bool at_end() const noexcept { return position_ == data_.size(); }

 private:
  const Bytes& data_;
  std::size_t position_ = 0;
};

Status malformed(std::string_view what) {
  std::string message = "raft: malformed config change: ";
  message += what;
  return Status::invalid_argument(message);
}

}  // namespace

std::string_view conf_change_type_name(ConfChangeType type) noexcept {
  switch (type) {
    case ConfChangeType::add_voter: return "add_voter";
    case ConfChangeType::remove_voter: return "remove_voter";
    case ConfChangeType::add_learner: return "add_learner";
    case ConfChangeType::remove_learner: return "remove_learner";
    case ConfChangeType::promote_learner: return "promote_learner";
  }
  return "invalid_conf_change_type";
}

Bytes encode_conf_change(const ConfChange& change) {
  Bytes out;
  out.reserve(3 + change.changes.size() * (1 + kMaxVarintBytes));
  out.push_back(static_cast<std::byte>(kVersion));
  out.push_back(static_cast<std::byte>(change.transition));
  put_varint(out, change.changes.size());
  for (const ConfChangeSingle& single : change.changes) {
    out.push_back(static_cast<std::byte>(single.type));
    put_varint(out, single.node);
  }
  return out;
}

Result<ConfChange> decode_conf_change(const Bytes& data) {
  Reader reader(data);
  const std::optional<std::uint8_t> version = reader.byte();
  if (!version) return malformed("empty");
  if (*version != kVersion) return malformed("unknown version");
  const std::optional<std::uint8_t> transition = reader.byte();
  if (!transition || *transition > kMaxTransition) return malformed("unknown transition");
  const std::optional<std::uint64_t> count = reader.varint();
  if (!count) return malformed("bad change count");
  if (*count > kMaxConfChanges) return malformed("too many changes");
  ConfChange change;
  change.transition = static_cast<ConfChangeTransition>(*transition);
  change.changes.reserve(static_cast<std::size_t>(*count));
  for (std::uint64_t i = 0; i < *count; ++i) {
    const std::optional<std::uint8_t> type = reader.byte();
    if (!type || *type > kMaxType) return malformed("unknown change type");
    const std::optional<std::uint64_t> node = reader.varint();
    if (!node) return malformed("bad node id");
    if (*node == kNoNode) return malformed("node id 0 is reserved");
    change.changes.push_back({static_cast<ConfChangeType>(*type), *node});
  }
  if (!reader.at_end()) return malformed("trailing bytes");
  return change;
}

}  // namespace faultline::raft
