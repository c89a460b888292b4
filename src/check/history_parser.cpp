#include "faultline/check/history_parser.hpp"

#include "faultline/check/history_parser_edn.hpp"
#include "faultline/check/history_parser_jepsen_log.hpp"
#include "faultline/check/history_parser_json.hpp"
#include "lines.hpp"

namespace faultline::check {

std::string_view history_format_name(HistoryFormat format) noexcept {
  switch (format) {
    case HistoryFormat::json_lines: return "JSON lines";
    case HistoryFormat::edn: return "Jepsen EDN";
    case HistoryFormat::jepsen_log: return "Jepsen log";
  }
  return "invalid";
}

Result<HistoryFormat> detect_history_format(std::string_view text) {
  std::optional<HistoryFormat> format;
  // The search stops at the first telling line; the rest is the parser's.
  (void)for_each_line(text, [&](std::size_t, std::string_view line) {
    if (line.find("jepsen.util - ") != std::string_view::npos) {
      format = HistoryFormat::jepsen_log;
      return Status::cancelled("found");
    }
    const std::size_t start = line.find_first_not_of(" \t");
    if (start == std::string_view::npos || line[start] == ';' || line[start] == '#') return Status();
    const std::string_view body = line.substr(start);
    if (body.starts_with("{\"") || body.starts_with("{ \"")) {
      format = HistoryFormat::json_lines;
    } else if (body.starts_with("{:") || body.starts_with("[")) {
      format = HistoryFormat::edn;
    }
    // Other lines may be a log's chatter before its first operation.
    return format ? Status::cancelled("found") : Status();
  });
  if (!format) {
    return Status::invalid_argument(
        "not a history: expected JSON lines ({\"process\": ...}), EDN maps ({:process ...}) "
        "or jepsen.util log lines");
  }
  return *format;
}

Result<History> parse_history(std::string_view text, HistoryFormat format) {
  switch (format) {
    case HistoryFormat::json_lines: return parse_json_lines(text);
    case HistoryFormat::edn: return parse_edn_history(text);
    case HistoryFormat::jepsen_log: return parse_jepsen_log(text);
  }
  return Status::invalid_argument("unknown history format");
}

Result<History> parse_history(std::string_view text) {
  Result<HistoryFormat> format = detect_history_format(text);
  if (!format.ok()) return format.status();
  return parse_history(text, *format);
}

}  // namespace faultline::check
