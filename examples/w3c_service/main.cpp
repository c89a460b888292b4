// Example: the W3C Trace Context conformance service as a program of its
// own (the same service `faultline trace w3c-service` starts).
//
//   example_w3c_service [PORT] [TRACE_FILE]
//
// Then, from a checkout of github.com/w3c/trace-context:
//   python3 test/test.py http://127.0.0.1:PORT/test
#include <charconv>
#include <iostream>
#include <string_view>

#include "w3c_service_run.hpp"

int main(int argc, char** argv) {
  faultline::examples::W3cServiceRunOptions options;
  if (argc > 1) {
    const std::string_view text(argv[1]);
    unsigned port = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), port);
    if (error != std::errc() || end != text.data() + text.size() || port > 65535) {
      std::cerr << "usage: " << argv[0] << " [PORT] [TRACE_FILE]  (PORT 0..65535, 0 for any)\n";
      return 2;
    }
    options.port = static_cast<std::uint16_t>(port);
  }
  if (argc > 2) options.trace_file = argv[2];
  return faultline::examples::run_w3c_service(options, std::cout, std::cerr);
}
