#include "faultline/clocks/text_encoding.hpp"

#include <charconv>
#include <cstdint>
#include <utility>
#include <vector>

namespace faultline::clocks {
namespace {

// A cursor over the text with the few tokens the grammar needs.
class TextReader {
 public:
  TextReader(std::string_view text, std::string_view what) : text_(text), what_(what) {}

  [[nodiscard]] Status error(std::string_view expected) const {
    return Status::invalid_argument(std::string(what_) + ": expected " + std::string(expected) +
                                    " at offset " + std::to_string(position_));
  }
  [[nodiscard]] bool peek(char c) const noexcept {
    return position_ < text_.size() && text_[position_] == c;
  }
  [[nodiscard]] Status expect(char c) {
    if (!peek(c)) return error(std::string("'") + c + "'");
    ++position_;
    return Status();
  }
  // Canonical unsigned decimal: digits, no leading zero unless "0", fits 64 bits.
  [[nodiscard]] Status number(std::uint64_t& value) {
    const char* begin = text_.data() + position_;
    const char* end = text_.data() + text_.size();
    const auto [stop, fault] = std::from_chars(begin, end, value);
    if (stop == begin || fault == std::errc::invalid_argument) return error("a number");
    if (fault == std::errc::result_out_of_range) return error("a number below 2^64");
    if (*begin == '0' && stop - begin > 1) return error("a number without leading zeros");
    position_ += static_cast<std::size_t>(stop - begin);
    return Status();
  }
  [[nodiscard]] Status finish() const {
    if (position_ != text_.size()) return error("end of text");
    return Status();
  }

 private:
  std::string_view text_;
  std::string_view what_;
  std::size_t position_ = 0;
};

Status check_length(std::string_view text, std::string_view what) {
  if (text.size() > kTextBytesMax) {
    return Status::invalid_argument(std::string(what) + ": text longer than " +
                                    std::to_string(kTextBytesMax) + " bytes");
  }
  return Status();
}

void append_entries(std::string& out, const VersionVector& vector) {
  out += '{';
  for (const VersionEntry& entry : vector.entries()) {
    if (out.back() != '{') out += ',';
    out += std::to_string(entry.node) + ':' + std::to_string(entry.counter);
    if (entry.touched != WallMillis{}) {
      out += '@' + std::to_string(entry.touched.time_since_epoch().count());
    }
  }
  out += '}';
}

Status read_entry(TextReader& reader, VersionEntry& entry) {
  std::uint64_t touched = 0;
  if (Status s = reader.number(entry.node); !s.ok()) return s;
  if (Status s = reader.expect(':'); !s.ok()) return s;
  if (Status s = reader.number(entry.counter); !s.ok()) return s;
  if (entry.counter == 0) return reader.error("a counter of at least 1");
  if (reader.peek('@')) {
    if (Status s = reader.expect('@'); !s.ok()) return s;
    if (Status s = reader.number(touched); !s.ok()) return s;
    // "@0" would print back as nothing: not canonical.
    if (touched == 0 || touched > static_cast<std::uint64_t>(INT64_MAX)) {
      return reader.error("a touched time in (0, 2^63)");
    }
  }
  entry.touched = WallMillis(std::chrono::milliseconds(static_cast<std::int64_t>(touched)));
  return Status();
}

Result<VersionVector> read_entries(TextReader& reader) {
  if (Status s = reader.expect('{'); !s.ok()) return s;
  std::vector<VersionEntry> entries;
  while (!reader.peek('}')) {
    if (!entries.empty()) {
      if (Status s = reader.expect(','); !s.ok()) return s;
    }
    if (entries.size() == VersionVector::kEntriesMax) return reader.error("at most 4096 entries");
    VersionEntry entry;
    if (Status s = read_entry(reader, entry); !s.ok()) return s;
    if (!entries.empty() && entry.node <= entries.back().node) {
      return reader.error("node ids in ascending order, each once");
    }
    entries.push_back(entry);
  }
  if (Status s = reader.expect('}'); !s.ok()) return s;
  return VersionVector(std::move(entries));
}

}  // namespace

std::string to_text(const LamportTimestamp& stamp) {
  return std::to_string(stamp.counter) + '@' + std::to_string(stamp.node);
}

std::string to_text(const HlcTimestamp& stamp) {
  return std::to_string(stamp.wall_ms) + ':' + std::to_string(stamp.logical);
}

std::string to_text(const VectorClock& clock) {
  std::string out = "[";
  for (const std::uint64_t counter : clock.counters()) {
    if (out.size() > 1) out += ',';
    out += std::to_string(counter);
  }
  return out + ']';
}

std::string to_text(const VersionVector& vector) {
  std::string out;
  append_entries(out, vector);
  return out;
}

std::string to_text(const DottedVersionVector& vector) {
  std::string out = '(' + std::to_string(vector.dot.node) + ',' +
                    std::to_string(vector.dot.counter) + ')';
  append_entries(out, vector.context);
  return out;
}

Result<LamportTimestamp> parse_lamport_timestamp(std::string_view text) {
  if (Status s = check_length(text, "Lamport timestamp"); !s.ok()) return s;
  TextReader reader(text, "Lamport timestamp");
  LamportTimestamp stamp;
  if (Status s = reader.number(stamp.counter); !s.ok()) return s;
  if (Status s = reader.expect('@'); !s.ok()) return s;
  if (Status s = reader.number(stamp.node); !s.ok()) return s;
  if (Status s = reader.finish(); !s.ok()) return s;
  return stamp;
}

Result<HlcTimestamp> parse_hlc_timestamp(std::string_view text) {
  if (Status s = check_length(text, "HLC timestamp"); !s.ok()) return s;
  TextReader reader(text, "HLC timestamp");
  std::uint64_t wall_ms = 0;
  std::uint64_t logical = 0;
  if (Status s = reader.number(wall_ms); !s.ok()) return s;
  if (wall_ms > HlcTimestamp::kWallMsMax) return reader.error("wall milliseconds below 2^48");
  if (Status s = reader.expect(':'); !s.ok()) return s;
  if (Status s = reader.number(logical); !s.ok()) return s;
  if (logical > HlcTimestamp::kLogicalMax) return reader.error("a logical counter below 2^16");
  if (Status s = reader.finish(); !s.ok()) return s;
  return HlcTimestamp{wall_ms, static_cast<std::uint16_t>(logical)};
}

Result<VectorClock> parse_vector_clock(std::string_view text) {
  if (Status s = check_length(text, "vector clock"); !s.ok()) return s;
  TextReader reader(text, "vector clock");
  if (Status s = reader.expect('['); !s.ok()) return s;
  std::vector<std::uint64_t> counters;
  while (!reader.peek(']')) {
    if (!counters.empty()) {
      if (Status s = reader.expect(','); !s.ok()) return s;
    }
    if (counters.size() == VectorClock::kNodeCountMax) return reader.error("at most 4096 nodes");
    std::uint64_t counter = 0;
    if (Status s = reader.number(counter); !s.ok()) return s;
    counters.push_back(counter);
  }
  if (Status s = reader.expect(']'); !s.ok()) return s;
  if (Status s = reader.finish(); !s.ok()) return s;
  return VectorClock(std::move(counters));
}

Result<VersionVector> parse_version_vector(std::string_view text) {
  if (Status s = check_length(text, "version vector"); !s.ok()) return s;
  TextReader reader(text, "version vector");
  Result<VersionVector> vector = read_entries(reader);
  if (!vector.ok()) return vector;
  if (Status s = reader.finish(); !s.ok()) return s;
  return vector;
}

Result<DottedVersionVector> parse_dotted_version_vector(std::string_view text) {
  if (Status s = check_length(text, "dotted version vector"); !s.ok()) return s;
  TextReader reader(text, "dotted version vector");
  DottedVersionVector vector;
  if (Status s = reader.expect('('); !s.ok()) return s;
  if (Status s = reader.number(vector.dot.node); !s.ok()) return s;
  if (Status s = reader.expect(','); !s.ok()) return s;
  if (Status s = reader.number(vector.dot.counter); !s.ok()) return s;
  if (vector.dot.counter == 0) return reader.error("a dot counter of at least 1");
  if (Status s = reader.expect(')'); !s.ok()) return s;
  Result<VersionVector> context = read_entries(reader);
  if (!context.ok()) return context.status();
  if (Status s = reader.finish(); !s.ok()) return s;
  vector.context = std::move(*context);
  return vector;
}

}  // namespace faultline::clocks
