// `faultline check FILE [--model kv|register]`: is a recorded history
// linearizable?
//
// Reads a history (Faultline JSON lines, a Jepsen EDN history, or a Jepsen
// log; the format is detected, see docs/check.md), checks it with the
// faultline::check module and prints the verdict; for a violation, the
// minimal failing slice as a timeline. Exit codes: 0 linearizable, 1 not
// linearizable, 2 bad input or usage (a malformed line is reported with
// its line number), 3 unknown (the search hit its limits).
//
//   CLI::App app("faultline");
//   Command check = add_check_command(app);
//   app.parse(argc, argv);
//   if (check.chosen()) return check.run();
//
// Thread-safety: used from main's thread only.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>

#include "demo/demo_command.hpp"

namespace faultline::app {

inline constexpr int kCheckExitLinearizable = 0;
inline constexpr int kCheckExitNotLinearizable = 1;
inline constexpr int kCheckExitBadInput = 2;
inline constexpr int kCheckExitUnknown = 3;

struct CheckFlags {
  std::string file;
  std::string model = "kv";
  std::uint64_t search_steps_max = 20'000'000;
};

// The command's action, apart from CLI parsing so tests can call it.
[[nodiscard]] int run_check(const CheckFlags& flags, std::ostream& out, std::ostream& err);

Command add_check_command(CLI::App& app);

}  // namespace faultline::app
