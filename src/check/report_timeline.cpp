#include "faultline/check/report/timeline.hpp"

#include <algorithm>
#include <iomanip>
#include <sstream>
#include <string>

namespace faultline::check {
namespace {

// Streams rather than `"literal" + string`: GCC 12 at -O3 reports a false
// -Wrestrict on the latter.

constexpr std::size_t kColumnWidth = 3;
// Wider axes are squeezed to this many columns: order survives, spacing
// does not.
constexpr std::size_t kAxisWidthMax = 72;
constexpr int kLabelWidth = 6;
constexpr int kDescriptionWidth = 22;

std::vector<std::int64_t> distinct_times(const std::vector<Operation>& operations) {
  std::vector<std::int64_t> times;
  for (const Operation& op : operations) {
    times.push_back(op.call_time);
    if (op.result_known) times.push_back(op.return_time);
  }
  std::sort(times.begin(), times.end());
  times.erase(std::unique(times.begin(), times.end()), times.end());
  return times;
}

std::size_t axis_width_of(const std::vector<std::int64_t>& times) {
  return std::min(times.size() * kColumnWidth, kAxisWidthMax);
}

std::size_t column_of(const std::vector<std::int64_t>& times, std::int64_t time) {
  const auto found = std::lower_bound(times.begin(), times.end(), time);
  const auto rank = static_cast<std::size_t>(found - times.begin());
  return rank * axis_width_of(times) / times.size();
}

void write_lines(std::ostream& out, const Operation& op) {
  if (op.invoke_line == 0) return;
  if (op.complete_line == 0) {
    out << "(line " << op.invoke_line << ")";
  } else {
    out << "(lines " << op.invoke_line << "-" << op.complete_line << ")";
  }
}

void write_row(std::ostream& out, const Operation& op, const Model& model,
               const std::vector<std::int64_t>& times, std::size_t axis_width) {
  std::string bar(axis_width + 1, ' ');
  const std::size_t start = column_of(times, op.call_time);
  bar[start] = '|';
  const std::size_t end =
      op.result_known ? std::max(column_of(times, op.return_time), start + 1) : axis_width;
  for (std::size_t i = start + 1; i < end; ++i) bar[i] = '-';
  bar[end] = op.result_known ? '|' : '>';  // '>': no answer, may take effect any time later
  std::ostringstream row;
  row << std::left << std::setw(kLabelWidth) << ('p' + std::to_string(op.process)) << bar << "  "
      << std::setw(kDescriptionWidth) << model.describe(op) << ' ';
  write_lines(row, op);
  std::string text = row.str();
  text.erase(text.find_last_not_of(' ') + 1);  // no trailing blanks
  out << text << '\n';
}

void write_partition_name(std::ostream& out, const std::string& key, const Model& model) {
  if (model.partitioned_by_key()) {
    out << "key \"" << key << "\"";
  } else {
    out << "the register";
  }
}

}  // namespace

std::string render_timeline(const std::vector<Operation>& operations, const Model& model) {
  const std::vector<std::int64_t> times = distinct_times(operations);
  const std::size_t axis_width = axis_width_of(times) + 1;  // + 1: a bar ends after its start
  std::ostringstream out;
  const std::size_t shown = std::min(operations.size(), kTimelineRowsMax);
  for (std::size_t i = 0; i < shown; ++i) write_row(out, operations[i], model, times, axis_width);
  if (shown < operations.size()) out << "... " << operations.size() - shown << " more operations\n";
  return out.str();
}

std::string render_check_report(const CheckResult& result, const Model& model) {
  std::ostringstream out;
  out << verdict_name(result.verdict) << " (" << result.operation_count << " operations, ";
  if (model.partitioned_by_key()) {
    out << result.partitions.size() << " keys";
  } else {
    out << "one register";
  }
  out << ", " << model.name() << " model)\n";
  for (const PartitionResult& part : result.partitions) {
    if (part.outcome.verdict == Verdict::linearizable) continue;
    out << "  ";
    write_partition_name(out, part.key, model);
    out << ": " << verdict_name(part.outcome.verdict) << " after " << part.outcome.search_steps
        << " search steps, " << part.outcome.memo_entries << " memo entries ("
        << part.operation_count << " operations)\n";
  }
  if (result.verdict == Verdict::not_linearizable) {
    out << "\nminimal failing slice on ";
    write_partition_name(out, result.failing_key, model);
    const std::size_t count = result.failing_slice.size();
    out << " (" << count << (count == 1 ? " operation that cannot" : " operations that cannot")
        << " be linearized):\n";
    out << render_timeline(result.failing_slice, model);
  }
  return out.str();
}

}  // namespace faultline::check
