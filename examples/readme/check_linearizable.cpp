// Check: is a history of concurrent operations linearizable?
#include <cassert>

#include <faultline/check/checker.hpp>
#include <faultline/check/history_parser.hpp>
#include <faultline/check/kv_model.hpp>

int main() {
  // README-BEGIN
  using namespace faultline::check;
  // Two clients: client 1 reads x while client 0's write of 1 is in flight,
  // then reads the old value after the write finished. Not linearizable.
  const History history = parse_history(R"(
{"process": 0, "type": "invoke", "f": "put", "key": "x", "value": "1"}
{"process": 1, "type": "invoke", "f": "get", "key": "x"}
{"process": 1, "type": "ok", "f": "get", "key": "x", "value": "1"}
{"process": 0, "type": "ok", "f": "put", "key": "x", "value": "1"}
{"process": 1, "type": "invoke", "f": "get", "key": "x"}
{"process": 1, "type": "ok", "f": "get", "key": "x", "value": null}
)").value();
  const CheckResult result = check_history(history, kv_model()).value();
  assert(result.verdict == Verdict::not_linearizable);
  assert(result.failing_key == "x");
  // README-END
  return 0;
}
