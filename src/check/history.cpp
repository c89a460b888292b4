#include "faultline/check/history.hpp"

#include <algorithm>
#include <map>
#include <utility>

#include "faultline/core/assert.hpp"

namespace faultline::check {

std::string value_to_string(const Value& value) { return value ? *value : std::string("nil"); }

std::string_view event_type_name(EventType type) noexcept {
  switch (type) {
    case EventType::invoke: return "invoke";
    case EventType::ok: return "ok";
    case EventType::fail: return "fail";
    case EventType::info: return "info";
  }
  return "invalid";
}

Event Event::invoke(std::int64_t process, std::string function, std::string key, Value value,
                    Value expected) {
  return Event{EventType::invoke, process, std::move(function), std::move(key), std::move(value),
               std::move(expected), std::nullopt, 0};
}

Event Event::ok(std::int64_t process, std::string function, std::string key, Value value,
                Value expected) {
  return Event{EventType::ok, process, std::move(function), std::move(key), std::move(value),
               std::move(expected), std::nullopt, 0};
}

Event Event::fail(std::int64_t process, std::string function, std::string key) {
  return Event{EventType::fail, process, std::move(function), std::move(key), std::nullopt,
               std::nullopt, std::nullopt, 0};
}

Event Event::info(std::int64_t process, std::string function, std::string key) {
  return Event{EventType::info, process, std::move(function), std::move(key), std::nullopt,
               std::nullopt, std::nullopt, 0};
}

namespace {

std::string where(const Event& event, std::size_t index) {
  if (event.line != 0) return "line " + std::to_string(event.line);
  return "event " + std::to_string(index + 1);
}

Operation from_invoke(const Event& invoke, std::int64_t call_time) {
  Operation op;
  op.process = invoke.process;
  op.function = invoke.function;
  op.key = invoke.key;
  // A read's invoke carries no argument; its value is set from the ok.
  if (!op.is_read()) op.value = invoke.value;
  op.expected = invoke.expected;
  op.result_known = false;
  op.call_time = call_time;
  op.invoke_line = invoke.line;
  return op;
}

// Completes `op` with `event`. Returns false when the operation is dropped
// (a `fail`: it certainly did not happen).
bool complete(Operation& op, const Event& event, std::int64_t return_time) {
  op.complete_line = event.line;
  if (event.type == EventType::fail) return false;
  if (event.type == EventType::ok) {
    op.result_known = true;
    op.return_time = return_time;
    if (op.is_read()) op.value = event.value;
  }
  // info: result stays unknown and the op may take effect any time later.
  return true;
}

}  // namespace

Result<std::vector<Operation>> pair_operations(const History& history) {
  const bool timed = !history.empty() && std::all_of(history.begin(), history.end(),
                                                     [](const Event& e) { return e.time_ns; });
  std::map<std::int64_t, Operation> open;  // by process; ordered so output is deterministic
  std::vector<Operation> done;
  for (std::size_t i = 0; i < history.size(); ++i) {
    const Event& event = history[i];
    const std::int64_t time = timed ? *event.time_ns : static_cast<std::int64_t>(i);
    auto found = open.find(event.process);
    if (event.type == EventType::invoke) {
      if (found != open.end()) {
        return Status::invalid_argument(where(event, i) + ": process " +
                                        std::to_string(event.process) +
                                        " invokes again before its previous operation completed");
      }
      open.emplace(event.process, from_invoke(event, time));
      continue;
    }
    if (found == open.end()) {
      return Status::invalid_argument(where(event, i) + ": process " +
                                      std::to_string(event.process) + " completes (" +
                                      std::string(event_type_name(event.type)) +
                                      ") with no operation invoked");
    }
    if (found->second.function != event.function) {
      return Status::invalid_argument(where(event, i) + ": process " +
                                      std::to_string(event.process) + " invoked '" +
                                      found->second.function + "' but completes '" +
                                      event.function + "'");
    }
    Operation op = std::move(found->second);
    open.erase(found);
    if (complete(op, event, time)) done.push_back(std::move(op));
  }
  for (auto& [process, op] : open) done.push_back(std::move(op));  // never completed: info
  std::stable_sort(done.begin(), done.end(),
                   [](const Operation& a, const Operation& b) { return a.call_time < b.call_time; });
  for (std::size_t i = 0; i < done.size(); ++i) done[i].id = i;
  return done;
}

}  // namespace faultline::check
