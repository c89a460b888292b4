# Runs the binary with bad flags and checks each exits with code 2 and
# prints exactly one line on stderr. Invoked by ctest with -DBINARY=...
foreach(args "demo;--duration;-3" "demo;--duration;abc" "demo;--bogus" "demo;--rate;0"
             "demo;--scene;raft" "bogus")
  execute_process(COMMAND ${BINARY} ${args} RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT code EQUAL 2)
    message(FATAL_ERROR "faultline ${args}: expected exit code 2, got '${code}'\n${err}")
  endif()
  string(REGEX MATCHALL "\n" newlines "${err}")
  list(LENGTH newlines lines)
  if(NOT lines EQUAL 1)
    message(FATAL_ERROR "faultline ${args}: expected one line on stderr, got ${lines}:\n${err}")
  endif()
endforeach()
