# Runs `faultline demo --duration 5` end to end and checks what a newcomer
# would: it exits 0 by itself, shows the live view (a line per second, the
# breaker opening during the outage) and the summary, and writes no escape
# codes when colour is off. Invoked by ctest with -DBINARY=...
include(${CMAKE_CURRENT_LIST_DIR}/DemoRun.cmake)
faultline_run_demo(out --duration 5 --color never)
faultline_expect_in_output("${out}"
    "Faultline demo: resilience policies against a flaky HTTP service"
    "  4-5s recovery "
    "protected breaker: closed -> open"
    "Summary: 5 s of load, seed 1"
    "latency p99"
    "requests that reached the server"
    "Under the same load, ")
string(ASCII 27 escape)
string(FIND "${out}" "${escape}" at)
if(NOT at EQUAL -1)
  message(FATAL_ERROR "escape codes in output with --color never:\n${out}")
endif()
