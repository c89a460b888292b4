#include "faultline/check/history_parser_jepsen_log.hpp"

#include <string>
#include <vector>

#include "edn_event.hpp"
#include "edn_reader.hpp"
#include "lines.hpp"

namespace faultline::check {
namespace {

constexpr std::string_view kMarker = "jepsen.util - ";

std::vector<std::string_view> split_tabs(std::string_view text) {
  std::vector<std::string_view> fields;
  for (;;) {
    const std::size_t tab = text.find('\t');
    fields.push_back(text.substr(0, tab));
    if (tab == std::string_view::npos) return fields;
    text.remove_prefix(tab + 1);
  }
}

Status parse_fields(std::string_view rest, History& history, std::size_t line_number) {
  const std::vector<std::string_view> fields = split_tabs(rest);
  if (fields.size() < 3) {
    return Status::invalid_argument("expected process, type, f and value separated by tabs");
  }
  std::vector<edn::Form> forms;
  for (std::size_t i = 0; i < fields.size() && i < 4; ++i) {
    Result<edn::Form> form = edn::read_form(fields[i]);
    if (!form.ok()) return Status::invalid_argument("field " + std::to_string(i + 1) + ": " +
                                                    std::string(form.status().message()));
    forms.push_back(std::move(*form));
  }
  edn::OperationForms operation{&forms[0], &forms[1], &forms[2],
                                forms.size() > 3 ? &forms[3] : nullptr};
  Result<std::optional<Event>> event = edn::to_event(operation);
  if (!event.ok()) return event.status();
  if (!*event) return Status();  // nemesis
  (*event)->line = line_number;
  history.push_back(std::move(**event));
  return Status();
}

}  // namespace

Result<History> parse_jepsen_log(std::string_view text) {
  History history;
  Status status = for_each_line(text, [&](std::size_t number, std::string_view line) {
    const std::size_t marker = line.find(kMarker);
    if (marker == std::string_view::npos) return Status();  // other log output
    Status parsed = parse_fields(line.substr(marker + kMarker.size()), history, number);
    return parsed.ok() ? parsed : at_line(number, parsed);
  });
  if (!status.ok()) return status;
  return history;
}

}  // namespace faultline::check
