#include "faultline/check/history_parser_json.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

#include "lines.hpp"

namespace faultline::check {
namespace {

using nlohmann::json;

Result<Value> scalar(const json& field, const char* what) {
  if (field.is_null()) return Value{};
  if (field.is_string()) return Value{field.get<std::string>()};
  if (field.is_number_integer()) return Value{field.dump()};
  if (field.is_boolean()) return Value{field.get<bool>() ? "true" : "false"};
  return Status::invalid_argument(std::string(what) +
                                  " must be a string, an integer, a boolean or null");
}

Result<EventType> event_type(const json& object) {
  const auto found = object.find("type");
  if (found == object.end() || !found->is_string()) {
    return Status::invalid_argument("\"type\" must be \"invoke\", \"ok\", \"fail\" or \"info\"");
  }
  const std::string type = found->get<std::string>();
  if (type == "invoke") return EventType::invoke;
  if (type == "ok") return EventType::ok;
  if (type == "fail") return EventType::fail;
  if (type == "info") return EventType::info;
  return Status::invalid_argument("\"type\" must be \"invoke\", \"ok\", \"fail\" or \"info\", got \"" +
                                  type + "\"");
}

Status set_value(Event& event, const json& object) {
  const auto found = object.find("value");
  if (found == object.end()) return Status();
  if (event.function == "cas" && !found->is_null()) {
    if (!found->is_array() || found->size() != 2) {
      return Status::invalid_argument("a cas \"value\" must be [expected, new]");
    }
    Result<Value> expected = scalar((*found)[0], "cas expected value");
    Result<Value> next = scalar((*found)[1], "cas new value");
    if (!expected.ok()) return expected.status();
    if (!next.ok()) return next.status();
    event.expected = std::move(*expected);
    event.value = std::move(*next);
    return Status();
  }
  Result<Value> value = scalar(*found, "\"value\"");
  if (!value.ok()) return value.status();
  event.value = std::move(*value);
  return Status();
}

Status set_key_and_time(Event& event, const json& object) {
  if (const auto key = object.find("key"); key != object.end()) {
    if (!key->is_string() && !key->is_number_integer()) {
      return Status::invalid_argument("\"key\" must be a string or an integer");
    }
    event.key = key->is_string() ? key->get<std::string>() : key->dump();
  }
  if (const auto time = object.find("time"); time != object.end()) {
    if (!time->is_number_integer()) {
      return Status::invalid_argument("\"time\" must be an integer (nanoseconds)");
    }
    event.time_ns = time->get<std::int64_t>();
  }
  return Status();
}

// nullopt for a line of a non-client process ("process": "nemesis").
Result<std::optional<Event>> to_event(const json& object) {
  if (!object.is_object()) return Status::invalid_argument("expected a JSON object {...}");
  const auto process = object.find("process");
  if (process == object.end()) return Status::invalid_argument("missing \"process\"");
  if (process->is_string()) return std::optional<Event>{};
  if (!process->is_number_integer()) {
    return Status::invalid_argument("\"process\" must be an integer");
  }
  Result<EventType> type = event_type(object);
  if (!type.ok()) return type.status();
  const auto function = object.find("f");
  if (function == object.end() || !function->is_string()) {
    return Status::invalid_argument("\"f\" must be a string such as \"get\"");
  }
  Event event;
  event.type = *type;
  event.process = process->get<std::int64_t>();
  event.function = function->get<std::string>();
  Status status = set_key_and_time(event, object);
  if (status.ok()) status = set_value(event, object);
  if (!status.ok()) return status;
  return std::optional<Event>(std::move(event));
}

}  // namespace

Result<History> parse_json_lines(std::string_view text) {
  History history;
  Status status = for_each_line(text, [&](std::size_t number, std::string_view line) {
    if (is_blank(line)) return Status();
    // allow_exceptions=false: malformed input is expected, not exceptional.
    const json object = json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (object.is_discarded()) return at_line(number, Status::invalid_argument("not valid JSON"));
    Result<std::optional<Event>> event = to_event(object);
    if (!event.ok()) return at_line(number, event.status());
    if (!*event) return Status();
    (*event)->line = number;
    history.push_back(std::move(**event));
    return Status();
  });
  if (!status.ok()) return status;
  return history;
}

}  // namespace faultline::check
