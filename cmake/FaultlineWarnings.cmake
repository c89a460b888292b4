# Project-wide compile flags, applied per target so a consumer's flags are
# never touched by our headers.
add_library(faultline_build_flags INTERFACE)
target_compile_options(faultline_build_flags INTERFACE -Wall -Wextra -Werror)

if(FAULTLINE_SANITIZE)
  string(REPLACE "," ";" _faultline_sanitizers "${FAULTLINE_SANITIZE}")
  foreach(_s IN LISTS _faultline_sanitizers)
    list(APPEND _faultline_sanitize_flags "-fsanitize=${_s}")
  endforeach()
  list(APPEND _faultline_sanitize_flags -fno-omit-frame-pointer -fno-sanitize-recover=all)
  # GCC warns that TSan does not model std::atomic_thread_fence, which Asio
  # uses; the warning is about Asio's internals, not ours, and -Werror would
  # make it fatal.
  if("thread" IN_LIST _faultline_sanitizers AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    list(APPEND _faultline_sanitize_flags -Wno-tsan)
  endif()
  add_compile_options(${_faultline_sanitize_flags})
  add_link_options(${_faultline_sanitize_flags})
endif()

# Debian's Boost 1.74 uses std::exchange in asio/awaitable.hpp without
# including <utility>; every Asio user goes through faultline/core/asio.hpp,
# which includes <utility> first.
