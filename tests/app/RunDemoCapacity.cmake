# Runs the flaky scene for 6 s and checks the capacity lanes: the live view
# shows the capacity dropping, and the summary says the adaptive limit was
# higher before the drop than at its lowest during it. Invoked by ctest with
# -DBINARY=...
include(${CMAKE_CURRENT_LIST_DIR}/DemoRun.cmake)
faultline_run_demo(out --scene flaky --duration 6 --color never)
faultline_expect_in_output("${out}"
    "capacity: the service drops from 8 to 4 workers per client"
    "capacity  4 | static "
    "Capacity drop: 8 -> 4 workers per client")
string(REGEX MATCH "The adaptive limit was ([0-9]+) before the capacity drop and fell to ([0-9]+)"
  sentence "${out}")
if(NOT sentence)
  message(FATAL_ERROR "the summary does not say the adaptive limit fell:\n${out}")
endif()
if(NOT CMAKE_MATCH_1 GREATER CMAKE_MATCH_2)
  message(FATAL_ERROR "adaptive limit ${CMAKE_MATCH_1} before the drop, ${CMAKE_MATCH_2} after:\n${out}")
endif()
message(STATUS "adaptive limit: ${CMAKE_MATCH_1} before the capacity drop, ${CMAKE_MATCH_2} during it")
