#include "edn_event.hpp"

#include <charconv>
#include <string>

namespace faultline::check::edn {
namespace {

Result<Value> scalar(const Form& form, const char* what) {
  switch (form.kind) {
    case Kind::nil: return Value{};
    case Kind::integer:
    case Kind::string:
    case Kind::keyword:
    case Kind::symbol:
    case Kind::boolean: return Value{form.kind == Kind::boolean ? (form.boolean ? "true" : "false")
                                                                : form.text};
    default: break;
  }
  return Status::invalid_argument(std::string(what) + " must be nil, a number, a string or a keyword");
}

Result<std::int64_t> integer(const Form& form, const char* what) {
  std::int64_t number = 0;
  const char* end = form.text.data() + form.text.size();
  if (form.kind == Kind::integer) {
    const auto [stop, error] = std::from_chars(form.text.data(), end, number);
    if (error == std::errc() && stop == end) return number;
  }
  return Status::invalid_argument(std::string(what) + " must be an integer");
}

Result<EventType> event_type(const Form* form) {
  if (form == nullptr || form->kind != Kind::keyword) {
    return Status::invalid_argument(":type must be :invoke, :ok, :fail or :info");
  }
  if (form->text == "invoke") return EventType::invoke;
  if (form->text == "ok") return EventType::ok;
  if (form->text == "fail") return EventType::fail;
  if (form->text == "info") return EventType::info;
  return Status::invalid_argument(":type must be :invoke, :ok, :fail or :info, got :" + form->text);
}

// cas values are [expected new]; everything else is one scalar.
Status set_value(Event& event, const Form* value) {
  if (value == nullptr) return Status();
  if (event.function == "cas" && value->kind != Kind::nil) {
    if (value->kind != Kind::vector || value->items.size() != 2) {
      return Status::invalid_argument("a cas :value must be [expected new]");
    }
    Result<Value> expected = scalar(value->items[0], "cas expected value");
    Result<Value> next = scalar(value->items[1], "cas new value");
    if (!expected.ok()) return expected.status();
    if (!next.ok()) return next.status();
    event.expected = std::move(*expected);
    event.value = std::move(*next);
    return Status();
  }
  Result<Value> scalar_value = scalar(*value, ":value");
  if (!scalar_value.ok()) return scalar_value.status();
  event.value = std::move(*scalar_value);
  return Status();
}

}  // namespace

Result<std::optional<Event>> to_event(const OperationForms& forms) {
  if (forms.process == nullptr) return Status::invalid_argument("missing :process");
  if (forms.process->kind == Kind::keyword) return std::optional<Event>{};  // :nemesis
  Result<std::int64_t> process = integer(*forms.process, ":process");
  if (!process.ok()) return process.status();
  Result<EventType> type = event_type(forms.type);
  if (!type.ok()) return type.status();
  if (forms.function == nullptr ||
      (forms.function->kind != Kind::keyword && forms.function->kind != Kind::symbol)) {
    return Status::invalid_argument(":f must be a keyword such as :read");
  }
  Event event;
  event.type = *type;
  event.process = *process;
  event.function = forms.function->text;
  if (forms.key != nullptr) {
    Result<Value> key = scalar(*forms.key, ":key");
    if (!key.ok()) return key.status();
    event.key = key->value_or("nil");
  }
  if (forms.time != nullptr) {
    Result<std::int64_t> time = integer(*forms.time, ":time");
    if (!time.ok()) return time.status();
    event.time_ns = *time;
  }
  Status valued = set_value(event, forms.value);
  if (!valued.ok()) return valued;
  return std::optional<Event>(std::move(event));
}

}  // namespace faultline::check::edn
