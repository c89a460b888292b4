# Runs `faultline demo --duration 5` end to end and checks what a newcomer
# would: it exits 0 by itself, shows the live view (a line per second, the
# breaker opening during the outage) and the summary, and writes no escape
# codes when colour is off. Invoked by ctest with -DBINARY=...
execute_process(COMMAND ${BINARY} demo --duration 5 --color never
  RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 50)
if(NOT code EQUAL 0)
  message(FATAL_ERROR "faultline demo --duration 5 exited with '${code}'\n${err}\n${out}")
endif()
foreach(expected
    "Faultline demo: resilience policies against a flaky HTTP service"
    "  4-5s recovery "
    "protected breaker: closed -> open"
    "Summary: 5 s of load, seed 1"
    "latency p99"
    "requests that reached the server"
    "Under the same load, ")
  string(FIND "${out}" "${expected}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "faultline demo output lacks '${expected}':\n${out}")
  endif()
endforeach()
string(ASCII 27 escape)
string(FIND "${out}" "${escape}" at)
if(NOT at EQUAL -1)
  message(FATAL_ERROR "escape codes in output with --color never:\n${out}")
endif()
