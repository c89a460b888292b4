#include "faultline/resilience/timeout.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "faultline/core/asio.hpp"
#include "faultline/core/asio_scheduler.hpp"
#include "faultline/core/manual_clock.hpp"
#include "faultline/core/manual_scheduler.hpp"
#include "faultline/resilience/config_error.hpp"

namespace faultline::resilience {
namespace {

using namespace std::chrono_literals;

TEST(Timeout, AFastCallPassesThroughWithTheNarrowedDeadline) {
  ManualClock clock;
  Timeout timeout(TimeoutConfig{.timeout = 200ms, .name = "attempt"}, clock);
  CallContext context(clock);
  TimePoint seen{};
  const Status status = timeout.execute(context, [&](CallContext& c) {
    seen = c.deadline();
    clock.advance(50ms);
    return Status();
  });
  EXPECT_TRUE(status.ok());
  EXPECT_EQ(seen - (clock.now() - 50ms), 200ms);
  EXPECT_FALSE(context.has_deadline());  // the caller's deadline is back
}

TEST(Timeout, NeverWidensTheCallersDeadline) {
  ManualClock clock;
  Timeout timeout(TimeoutConfig{.timeout = 10s}, clock);
  CallContext context(clock, clock.now() + 1s);
  TimePoint seen{};
  (void)timeout.execute(context, [&](CallContext& c) { seen = c.deadline(); return Status(); });
  EXPECT_EQ(seen, context.deadline());
}

TEST(Timeout, ALateAnswerBecomesDeadlineExceeded) {
  ManualClock clock;
  Timeout timeout(TimeoutConfig{.timeout = 100ms, .name = "attempt"}, clock);
  Result<int> result = timeout.execute([&]() -> Result<int> {
    clock.advance(150ms);
    return 7;
  });
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::deadline_exceeded);
  EXPECT_EQ(result.status().reason(), kReasonTimeout);
  EXPECT_EQ(timeout.metrics().timeouts_total, 1u);
}

TEST(Timeout, AnExpiredCallerDeadlineSkipsTheCall) {
  ManualClock clock;
  Timeout timeout(TimeoutConfig{.timeout = 100ms}, clock);
  CallContext context(clock, clock.now());
  bool called = false;
  const Status status = timeout.execute(context, [&] { called = true; return Status(); });
  EXPECT_FALSE(called);
  EXPECT_EQ(status.code(), StatusCode::deadline_exceeded);
}

TEST(Timeout, WithASchedulerItCancelsTheWorkAtTheDeadline) {
  boost::asio::io_context io;
  auto guard = boost::asio::make_work_guard(io);
  AsioScheduler scheduler(io);
  std::thread runner([&] { io.run(); });
  Timeout timeout(TimeoutConfig{.timeout = 50ms}, SteadyClock::instance(), &scheduler);
  const TimePoint start = SteadyClock::instance().now();
  bool saw_stop = false;
  const Status status = timeout.execute([&](CallContext& c) {
    // Work that would run for a minute unless told to stop.
    saw_stop = !c.clock().sleep_for(60s, c.stop_token());
    return saw_stop ? Status::cancelled("stopped") : Status();
  });
  const Duration took = SteadyClock::instance().now() - start;
  guard.reset();
  runner.join();
  EXPECT_TRUE(saw_stop);
  EXPECT_EQ(status.code(), StatusCode::deadline_exceeded);
  EXPECT_LT(took, 10s);
}

TEST(Timeout, CallersStopRequestReachesTheWorkThroughTheTimeout) {
  boost::asio::io_context io;
  AsioScheduler scheduler(io);
  Timeout timeout(TimeoutConfig{.timeout = 60s}, SteadyClock::instance(), &scheduler);
  std::stop_source caller;
  caller.request_stop();
  CallContext context(SteadyClock::instance(), TimePoint::max(), caller.get_token());
  const Status status = timeout.execute(context, [&] { return Status(); });
  EXPECT_EQ(status.code(), StatusCode::cancelled);
}

TEST(TimeoutAsync, AnswersAtTheDeadlineAndStopsTheOperation) {
  ManualScheduler scheduler;
  Timeout timeout(TimeoutConfig{.timeout = 100ms}, scheduler.clock());
  std::stop_token seen_stop;
  Completion<Status> late;
  int completions = 0;
  Status final_status;
  timeout.async_execute<Status>(
      AsyncCallContext(&scheduler),
      [&](const AsyncCallContext& c, Completion<Status> done) {
        seen_stop = c.stop;
        late = std::move(done);  // never answers in time
      },
      [&](Status s) { ++completions; final_status = s; });
  scheduler.advance(99ms);
  EXPECT_EQ(completions, 0);
  scheduler.advance(1ms);
  EXPECT_EQ(completions, 1);
  EXPECT_EQ(final_status.code(), StatusCode::deadline_exceeded);
  EXPECT_TRUE(seen_stop.stop_requested());
  late(Status());  // the late answer is dropped
  EXPECT_EQ(completions, 1);
}

TEST(TimeoutAsync, AnInTimeAnswerCancelsTheTimer) {
  ManualScheduler scheduler;
  Timeout timeout(TimeoutConfig{.timeout = 100ms}, scheduler.clock());
  Status final_status = Status::unknown("none");
  timeout.async_execute<Status>(
      AsyncCallContext(&scheduler),
      [&](const AsyncCallContext&, Completion<Status> done) {
        scheduler.schedule_after(10ms, [done] { done(Status()); });
      },
      [&](Status s) { final_status = s; });
  scheduler.advance(10ms);
  EXPECT_TRUE(final_status.ok());
  EXPECT_EQ(scheduler.pending(), 0u);
}

TEST(Timeout, RejectsNonPositiveTimeouts) {
  EXPECT_THROW(Timeout(TimeoutConfig{.timeout = 0ms}), ConfigError);
  EXPECT_THROW(Timeout(TimeoutConfig{.timeout = -5ms}), ConfigError);
}

}  // namespace
}  // namespace faultline::resilience
