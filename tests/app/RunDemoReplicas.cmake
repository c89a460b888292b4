# Runs the flaky scene for 6 s and checks the replica lane: the replica that
# goes down is ejected and marked unhealthy, traffic returns once it is
# back, and no call was sent to it while it was ejected. Invoked by ctest
# with -DBINARY=...
include(${CMAKE_CURRENT_LIST_DIR}/DemoRun.cmake)
faultline_run_demo(out --scene flaky --duration 6 --color never)
faultline_expect_in_output("${out}"
    "replica-2 goes down: its listener closes"
    "replica-2 ejected by the outlier detector"
    "replica-2 fails its health checks"
    "replica-2 is back up on the same port"
    "replica-2 passes its health checks again"
    "Replicas: replica-2 taken down from 1.8 s to 3.6 s"
    "Calls sent to a replica while it was ejected: 0")
# The summary row: replica-2's calls before, while down and after. Traffic
# must come back after the outage.
string(REGEX MATCH "\n  replica-2 +([0-9]+) +[0-9.]+% +([0-9]+) +[0-9.]+% +([0-9]+) +[0-9.]+%"
  row "${out}")
if(NOT row)
  message(FATAL_ERROR "no replica-2 row in the replica summary:\n${out}")
endif()
if(NOT CMAKE_MATCH_3 GREATER 0)
  message(FATAL_ERROR "replica-2 got no calls after it came back:\n${out}")
endif()
message(STATUS "replica-2 calls: ${CMAKE_MATCH_1} before, ${CMAKE_MATCH_2} while down, ${CMAKE_MATCH_3} after")
