# Runs the flaky-service scene with a trace file and checks the tracing a
# newcomer sees: the summary ends with a retried request's waterfall
# (the request, its attempts, the service's answers under them), the file
# is where it says, and `faultline trace show` reads it.
# Invoked by ctest with -DBINARY=... -DTRACE_FILE=...
file(REMOVE ${TRACE_FILE})
include(${CMAKE_CURRENT_LIST_DIR}/DemoRun.cmake)
faultline_run_demo(out --scene flaky --duration 5 --color never --trace-file ${TRACE_FILE})
faultline_expect_in_output("${out}"
    "Summary: 5 s of load, seed 1"
    "written to ${TRACE_FILE}"
    "The slowest request that needed retries ("
    "request "
    "  attempt 1: GET /  [protected-client, client]"
    "  attempt 2: GET /  [protected-client, client]"
    "GET / -> "
    "[flaky-service, server]"
    "faultline trace show ${TRACE_FILE}")
execute_process(COMMAND ${BINARY} trace show ${TRACE_FILE}
  RESULT_VARIABLE code OUTPUT_VARIABLE shown ERROR_VARIABLE err TIMEOUT 30)
if(NOT code EQUAL 0)
  message(FATAL_ERROR "faultline trace show ${TRACE_FILE} exited with '${code}'\n${err}")
endif()
string(FIND "${shown}" "attempt 1: GET /" at)
if(at EQUAL -1)
  message(FATAL_ERROR "faultline trace show printed no attempt spans")
endif()
file(REMOVE ${TRACE_FILE})
