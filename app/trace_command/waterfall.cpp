#include "trace_command/waterfall.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <string>
#include <utility>

namespace faultline::app {

namespace {

constexpr int kBarWidth = 30;

std::string milliseconds(std::uint64_t nanos) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f ms", static_cast<double>(nanos) / 1e6);
  return text;
}

std::string_view kind_name(int kind) {
  switch (kind) {
    case 2: return "server";
    case 3: return "client";
    case 4: return "producer";
    case 5: return "consumer";
    default: return "";
  }
}

std::string bar(std::uint64_t offset, std::uint64_t duration, std::uint64_t total) {
  std::string cells(kBarWidth, ' ');
  if (total == 0) {
    cells.assign(kBarWidth, '#');
  } else {
    const auto from = static_cast<int>(offset * kBarWidth / total);
    auto to = static_cast<int>((offset + duration) * kBarWidth / total);
    to = std::clamp(std::max(to, from + 1), 1, kBarWidth);
    for (int i = std::min(from, kBarWidth - 1); i < to; ++i) cells[static_cast<std::size_t>(i)] = '#';
  }
  return "|" + cells + "|";
}

struct TraceView {
  std::vector<const ShownSpan*> spans;  // in input order
};

void print_trace(const std::string& trace_id, std::vector<const ShownSpan*> spans, std::ostream& out) {
  std::stable_sort(spans.begin(), spans.end(),
                   [](const ShownSpan* a, const ShownSpan* b) { return a->start_unix_nano < b->start_unix_nano; });
  std::uint64_t start = spans.front()->start_unix_nano;
  std::uint64_t end = 0;
  for (const auto* span : spans) end = std::max(end, span->end_unix_nano);
  const std::uint64_t total = end - start;
  out << "trace " << trace_id << ": " << spans.size() << (spans.size() == 1 ? " span, " : " spans, ")
      << milliseconds(total) << '\n';

  std::map<std::string, std::vector<std::size_t>> children;  // by parent span id, in start order
  std::map<std::string, bool> present;
  for (const auto* span : spans) present[span->span_id] = true;
  for (std::size_t i = 0; i < spans.size(); ++i) {
    if (!spans[i]->parent_span_id.empty()) children[spans[i]->parent_span_id].push_back(i);
  }
  std::vector<bool> shown(spans.size(), false);
  // Roots first (no parent, or a parent not in the file), then anything a
  // parent cycle kept unreachable.
  std::vector<std::size_t> starts;
  for (std::size_t i = 0; i < spans.size(); ++i) {
    if (spans[i]->parent_span_id.empty() || !present.count(spans[i]->parent_span_id)) starts.push_back(i);
  }
  for (std::size_t i = 0; i < spans.size(); ++i) starts.push_back(i);
  for (const std::size_t root : starts) {
    if (shown[root]) continue;
    std::vector<std::pair<std::size_t, int>> stack{{root, 0}};  // explicit stack: no recursion
    while (!stack.empty()) {
      const auto [index, depth] = stack.back();
      stack.pop_back();
      if (shown[index]) continue;
      shown[index] = true;
      const ShownSpan& span = *spans[index];
      const std::uint64_t offset = span.start_unix_nano - start;
      const std::uint64_t duration = span.end_unix_nano - span.start_unix_nano;
      char times[64];
      std::snprintf(times, sizeof times, "%12s %12s", milliseconds(offset).c_str(), milliseconds(duration).c_str());
      out << times << "  " << bar(offset, duration, total) << "  " << std::string(2 * static_cast<std::size_t>(depth), ' ')
          << span.name;
      std::string detail = span.service_name;
      if (const auto kind = kind_name(span.kind); !kind.empty()) detail += (detail.empty() ? "" : ", ") + std::string(kind);
      if (!detail.empty()) out << "  [" << detail << ']';
      if (span.status_code == 2) out << "  ERROR";
      out << '\n';
      const auto found = children.find(span.span_id);
      if (found == children.end()) continue;
      // Pushed in reverse so the earliest child is printed first.
      for (auto it = found->second.rbegin(); it != found->second.rend(); ++it) {
        if (!shown[*it]) stack.emplace_back(*it, depth + 1);
      }
    }
  }
}

}  // namespace

void print_waterfalls(const std::vector<ShownSpan>& spans, std::ostream& out) {
  std::vector<std::string> order;
  std::map<std::string, std::vector<const ShownSpan*>> traces;
  for (const auto& span : spans) {
    auto& members = traces[span.trace_id];
    if (members.empty()) order.push_back(span.trace_id);
    members.push_back(&span);
  }
  bool first = true;
  for (const auto& trace_id : order) {
    if (!first) out << '\n';
    first = false;
    print_trace(trace_id, traces[trace_id], out);
  }
}

}  // namespace faultline::app
