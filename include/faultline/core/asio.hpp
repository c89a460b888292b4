// The one way Faultline includes Boost.Asio.
//
// Debian's Boost 1.74 with GCC 12 in C++20 mode uses std::exchange in
// boost/asio/awaitable.hpp without including <utility>; including it here
// first fixes every translation unit that goes through this header. Asio is
// slow to compile, so only the few files that need it include this.
//
// Thread-safety: not applicable (an include).
#pragma once

#include <utility>

#include <boost/asio.hpp>
