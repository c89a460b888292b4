# Shared by the RunDemo*.cmake scripts (ctest runs them with cmake -P):
# run `faultline demo` and check its output for what a newcomer should see.

# Runs `${BINARY} demo ARGN` and sets out_var to its output; fails the test
# unless it exits 0 by itself within 50 s.
function(faultline_run_demo out_var)
  execute_process(COMMAND ${BINARY} demo ${ARGN}
    RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 50)
  if(NOT code EQUAL 0)
    string(REPLACE ";" " " command "${ARGN}")
    message(FATAL_ERROR "faultline demo ${command} exited with '${code}'\n${err}\n${out}")
  endif()
  set(${out_var} "${out}" PARENT_SCOPE)
endfunction()

# Fails the test unless `out` holds every string in ARGN.
function(faultline_expect_in_output out)
  foreach(expected IN LISTS ARGN)
    string(FIND "${out}" "${expected}" at)
    if(at EQUAL -1)
      message(FATAL_ERROR "faultline demo output lacks '${expected}':\n${out}")
    endif()
  endforeach()
endfunction()
