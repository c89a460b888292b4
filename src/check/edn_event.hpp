// Jepsen operation fields (EDN forms) to an Event (internal; shared by the
// EDN history parser and the jepsen.util log parser).
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <optional>

#include "edn_reader.hpp"
#include "faultline/check/history.hpp"
#include "faultline/core/result.hpp"

namespace faultline::check::edn {

struct OperationForms {
  const Form* process = nullptr;
  const Form* type = nullptr;
  const Form* function = nullptr;
  const Form* value = nullptr;  // may be null: nil
  const Form* key = nullptr;    // optional extension: independent keys
  const Form* time = nullptr;   // optional, nanoseconds
};

// nullopt for operations of a non-client process (:nemesis). Errors are
// invalid_argument without a line number (the caller prefixes it).
[[nodiscard]] Result<std::optional<Event>> to_event(const OperationForms& forms);

}  // namespace faultline::check::edn
