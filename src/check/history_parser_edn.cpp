#include "faultline/check/history_parser_edn.hpp"

#include "edn_event.hpp"
#include "edn_reader.hpp"
#include "lines.hpp"

namespace faultline::check {
namespace {

// A history file may wrap its maps in one vector: "[" on the first line,
// "]" on the last, or glued to the first and last map.
std::string_view strip_wrapping(std::string_view line) {
  const std::size_t start = line.find_first_not_of(" \t");
  line.remove_prefix(start);
  if (!line.empty() && line.front() == '[') line.remove_prefix(1);
  const std::size_t end = line.find_last_not_of(" \t");
  line = line.substr(0, end == std::string_view::npos ? 0 : end + 1);
  if (line == "]") return {};
  if (!line.empty() && line.back() == ']' && line.find('{') != std::string_view::npos &&
      line.rfind('}') == line.size() - 2) {
    line.remove_suffix(1);
  }
  return line;
}

Status parse_line(std::string_view line, History& history, std::size_t line_number) {
  Result<edn::Form> form = edn::read_form(line);
  if (!form.ok()) return form.status();
  if (form->kind != edn::Kind::map) return Status::invalid_argument("expected an operation map {...}");
  edn::OperationForms forms{form->find("process"), form->find("type"), form->find("f"),
                            form->find("value"),   form->find("key"),  form->find("time")};
  Result<std::optional<Event>> event = edn::to_event(forms);
  if (!event.ok()) return event.status();
  if (!*event) return Status();  // nemesis
  (*event)->line = line_number;
  history.push_back(std::move(**event));
  return Status();
}

}  // namespace

Result<History> parse_edn_history(std::string_view text) {
  History history;
  Status status = for_each_line(text, [&](std::size_t number, std::string_view line) {
    if (is_blank(line) || line.find_first_not_of(" \t") == line.find(';')) return Status();
    const std::string_view body = strip_wrapping(line);
    if (is_blank(body)) return Status();  // a lone "[" or "]"
    Status parsed = parse_line(body, history, number);
    return parsed.ok() ? parsed : at_line(number, parsed);
  });
  if (!status.ok()) return status;
  return history;
}

}  // namespace faultline::check
