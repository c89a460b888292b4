// Printing spans as one indented waterfall per trace: each span on a line
// with its start offset in the trace, its duration, a bar placing it in
// time, and its name indented under its parent.
//
//   trace 4bf92f3577b34da6a3ce929d0e0e4736: 3 spans, 12.500 ms
//        0.000 ms   12.500 ms  |##############################|  GET /v3/kv/range  [kv, server]
//        0.200 ms    3.100 ms  |  ########                    |    raft.propose  [kv]
//
// Traces appear in the order of their first span in the input; children
// in start order. A span whose parent is not in the input is shown as a
// root; spans caught in a parent cycle (only a broken file has those) are
// shown once each, never looped over.
//
// Thread-safety: pure functions.
#pragma once

#include <ostream>
#include <vector>

#include "trace_command/trace_file.hpp"

namespace faultline::app {

void print_waterfalls(const std::vector<ShownSpan>& spans, std::ostream& out);

}  // namespace faultline::app
