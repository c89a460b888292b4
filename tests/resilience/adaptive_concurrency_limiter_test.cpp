#include "faultline/resilience/adaptive_concurrency_limiter.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "faultline/core/manual_scheduler.hpp"
#include "faultline/resilience/aimd_limit.hpp"
#include "faultline/resilience/config_error.hpp"
#include "faultline/resilience/pipeline.hpp"
#include "faultline/resilience/vegas_limit.hpp"

namespace faultline::resilience {
namespace {

using namespace std::chrono_literals;

// An algorithm whose limit the test sets, recording what it was taught.
class ScriptedLimit final : public LimitAlgorithm {
 public:
  explicit ScriptedLimit(std::uint32_t limit, std::vector<LimitSample>* samples)
      : limit_(limit), samples_(samples) {}
  std::uint32_t limit() const noexcept override { return limit_; }
  std::uint32_t update(const LimitSample& sample) noexcept override {
    samples_->push_back(sample);
    if (sample.dropped && limit_ > 1) --limit_;
    return limit_;
  }
  std::string_view name() const noexcept override { return "scripted"; }

 private:
  std::uint32_t limit_;
  std::vector<LimitSample>* samples_;
};

AdaptiveConcurrencyLimiter scripted_limiter(std::uint32_t limit, std::vector<LimitSample>* samples,
                                            const Clock& clock,
                                            AdaptiveConcurrencyLimiterConfig config = {}) {
  return AdaptiveConcurrencyLimiter(std::move(config), std::make_unique<ScriptedLimit>(limit, samples),
                                    clock);
}

TEST(AdaptiveConcurrencyLimiter, AdmitsUpToTheLimitThenRejectsWithItsReason) {
  ManualClock clock;
  std::vector<LimitSample> samples;
  AdaptiveConcurrencyLimiter limiter(AdaptiveConcurrencyLimiterConfig{.name = "db"},
                                     std::make_unique<ScriptedLimit>(2, &samples), clock);
  EXPECT_TRUE(limiter.try_acquire());
  EXPECT_TRUE(limiter.try_acquire());
  const Status rejected = limiter.acquire();
  EXPECT_EQ(rejected.code(), StatusCode::resource_exhausted);
  EXPECT_EQ(rejected.reason(), kReasonConcurrencyLimited);
  EXPECT_NE(std::string(rejected.message()).find("'db' is at its limit of 2"), std::string::npos);
  limiter.release(0, 5ms, CallResult::success);
  EXPECT_TRUE(limiter.try_acquire());
  const AdaptiveLimiterMetrics metrics = limiter.metrics();
  EXPECT_EQ(metrics.limit, 2u);
  EXPECT_EQ(metrics.in_flight, 2u);
  EXPECT_EQ(metrics.admitted_total, 3u);
  EXPECT_EQ(metrics.rejected_total, 1u);
}

TEST(AdaptiveConcurrencyLimiter, ReleaseTeachesTheAlgorithmTheCallersRtt) {
  ManualClock clock;
  std::vector<LimitSample> samples;
  AdaptiveConcurrencyLimiter limiter({}, std::make_unique<ScriptedLimit>(3, &samples), clock);
  ASSERT_TRUE(limiter.try_acquire());
  ASSERT_TRUE(limiter.try_acquire());
  limiter.release(0, 42ms, CallResult::success);
  limiter.release(0, 7ms, CallResult::dropped);
  ASSERT_EQ(samples.size(), 2u);
  EXPECT_EQ(samples[0].rtt, 42ms);
  EXPECT_EQ(samples[0].in_flight, 2u);  // both were in flight when the first finished
  EXPECT_FALSE(samples[0].dropped);
  EXPECT_TRUE(samples[1].dropped);
  EXPECT_EQ(limiter.limit(), 2u);  // the scripted algorithm shrinks on a drop
}

TEST(AdaptiveConcurrencyLimiter, ACancelledCallFreesItsSlotButTeachesNothing) {
  ManualClock clock;
  std::vector<LimitSample> samples;
  AdaptiveConcurrencyLimiter limiter({}, std::make_unique<ScriptedLimit>(1, &samples), clock);
  CallContext context(clock);
  const Status status = limiter.execute(context, [] { return Status::cancelled("caller gave up"); });
  EXPECT_EQ(status.code(), StatusCode::cancelled);
  EXPECT_TRUE(samples.empty());
  EXPECT_EQ(limiter.metrics().in_flight, 0u);
}

TEST(AdaptiveConcurrencyLimiter, ExecuteTimesTheCallOnTheContextsClock) {
  ManualClock clock;
  std::vector<LimitSample> samples;
  AdaptiveConcurrencyLimiter limiter({}, std::make_unique<ScriptedLimit>(4, &samples), clock);
  CallContext context(clock);
  EXPECT_TRUE(limiter.execute(context, [&] {
                       clock.advance(30ms);
                       return Status();
                     }).ok());
  const Status timed_out = limiter.execute(context, [&] {
    clock.advance(100ms);
    return Status::deadline_exceeded("too slow");
  });
  EXPECT_EQ(timed_out.code(), StatusCode::deadline_exceeded);
  ASSERT_EQ(samples.size(), 2u);
  EXPECT_EQ(samples[0].rtt, 30ms);
  EXPECT_EQ(samples[1].rtt, 100ms);
  EXPECT_TRUE(samples[1].dropped);
}

TEST(AdaptiveConcurrencyLimiter, ACallThatThrowsReleasesItsSlot) {
  ManualClock clock;
  std::vector<LimitSample> samples;
  AdaptiveConcurrencyLimiter limiter({}, std::make_unique<ScriptedLimit>(1, &samples), clock);
  EXPECT_THROW((void)limiter.execute([]() -> Status { throw std::runtime_error("bug"); }),
               std::runtime_error);
  EXPECT_EQ(limiter.metrics().in_flight, 0u);
  EXPECT_TRUE(samples.empty());
}

TEST(AdaptiveConcurrencyLimiter, TheLimitLearnedFromSuccessesAdmitsMoreCalls) {
  ManualClock clock;
  AdaptiveConcurrencyLimiter limiter({}, std::make_unique<AimdLimit>(AimdLimitConfig{.initial_limit = 2}),
                                     clock);
  // Two calls at a time, each a success: every two successes add one slot.
  for (int round = 0; round < 10; ++round) {
    const std::uint32_t limit = limiter.limit();
    for (std::uint32_t i = 0; i < limit; ++i) ASSERT_TRUE(limiter.try_acquire());
    EXPECT_FALSE(limiter.try_acquire());
    for (std::uint32_t i = 0; i < limit; ++i) limiter.release(0, 5ms, CallResult::success);
  }
  EXPECT_GE(limiter.limit(), 10u);
}

TEST(AdaptiveConcurrencyLimiter, PublishesLimitChangesAndRejections) {
  ManualClock clock;
  std::vector<LimitSample> samples;
  AdaptiveConcurrencyLimiter limiter({.name = "api"}, std::make_unique<ScriptedLimit>(2, &samples),
                                     clock);
  std::vector<AdaptiveLimiterEvent> events;
  limiter.events().subscribe([&](const AdaptiveLimiterEvent& e) { events.push_back(e); });
  ASSERT_TRUE(limiter.try_acquire());
  limiter.release(0, 1ms, CallResult::dropped);  // the scripted limit goes 2 -> 1
  ASSERT_TRUE(limiter.try_acquire());
  (void)limiter.acquire();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].kind, AdaptiveLimiterEvent::Kind::limit_changed);
  EXPECT_EQ(events[0].previous_limit, 2u);
  EXPECT_EQ(events[0].limit, 1u);
  EXPECT_EQ(events[1].kind, AdaptiveLimiterEvent::Kind::rejected);
  EXPECT_EQ(events[1].limiter_name, "api");
}

AdaptiveConcurrencyLimiterConfig live_and_batch(bool batch_may_borrow) {
  return AdaptiveConcurrencyLimiterConfig{
      .name = "search",
      .classes = {LimiterClassConfig{.name = "live", .share = 0.8},
                  LimiterClassConfig{.name = "batch", .share = 0.2, .may_borrow = batch_may_borrow}}};
}

TEST(AdaptiveConcurrencyLimiterClasses, BatchBorrowsIdleCapacityAndLiveStillGetsItsShare) {
  ManualClock clock;
  std::vector<LimitSample> samples;
  auto limiter = scripted_limiter(10, &samples, clock, live_and_batch(true));
  const std::size_t live = limiter.class_index("live");
  const std::size_t batch = limiter.class_index("batch");
  // Live traffic is idle: the batch job fills the whole limit.
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(limiter.try_acquire(batch));
  EXPECT_FALSE(limiter.try_acquire(batch));
  // Live requests arrive: their 8 guaranteed slots are theirs at once,
  // although the limit is reached; the 9th would have to borrow.
  for (int i = 0; i < 8; ++i) ASSERT_TRUE(limiter.try_acquire(live));
  EXPECT_FALSE(limiter.try_acquire(live));
  EXPECT_EQ(limiter.class_metrics(live).in_flight, 8u);
  EXPECT_EQ(limiter.class_metrics(batch).in_flight, 10u);
  // Eight borrowed batch calls finish: batch holds its own two, live its
  // eight, and the total is back at the limit, so batch may not borrow.
  for (int i = 0; i < 8; ++i) limiter.release(batch, 1ms, CallResult::success);
  EXPECT_EQ(limiter.metrics().in_flight, 10u);
  EXPECT_EQ(limiter.class_metrics(batch).guaranteed, 2u);
  EXPECT_FALSE(limiter.try_acquire(batch));
  // A live call finishes: the freed slot is idle capacity batch may borrow.
  limiter.release(live, 1ms, CallResult::success);
  EXPECT_TRUE(limiter.try_acquire(batch));
}

TEST(AdaptiveConcurrencyLimiterClasses, AClassThatMayNotBorrowKeepsToItsShare) {
  ManualClock clock;
  std::vector<LimitSample> samples;
  auto limiter = scripted_limiter(10, &samples, clock, live_and_batch(false));
  const std::size_t batch = limiter.class_index("batch");
  ASSERT_TRUE(limiter.try_acquire(batch));
  ASSERT_TRUE(limiter.try_acquire(batch));
  const Status third = limiter.acquire(batch);
  EXPECT_EQ(third.reason(), kReasonConcurrencyLimited);
  EXPECT_NE(std::string(third.message()).find("(class 'batch')"), std::string::npos);
  EXPECT_EQ(limiter.class_metrics(batch).rejected_total, 1u);
  // Live may borrow: it takes the remaining eight and none beyond.
  const std::size_t live = limiter.class_index("live");
  for (int i = 0; i < 8; ++i) ASSERT_TRUE(limiter.try_acquire(live));
  EXPECT_FALSE(limiter.try_acquire(live));
}

TEST(AdaptiveConcurrencyLimiterClasses, AnUnknownClassIsAClearErrorNotACrash) {
  ManualClock clock;
  std::vector<LimitSample> samples;
  auto limiter = scripted_limiter(10, &samples, clock, live_and_batch(true));
  EXPECT_FALSE(limiter.try_acquire(2));
  const Status status = limiter.acquire(7);
  EXPECT_EQ(status.code(), StatusCode::invalid_argument);
  EXPECT_NE(std::string(status.message()).find("has no request class 7 (it has 2)"), std::string::npos);
  EXPECT_EQ(limiter.metrics().in_flight, 0u);
  EXPECT_EQ(limiter.metrics().rejected_total, 0u);
}

TEST(AdaptiveConcurrencyLimiterClasses, PlugIntoAPipelineOneClassPerPipeline) {
  ManualClock clock;
  std::vector<LimitSample> samples;
  auto limiter = std::make_shared<AdaptiveConcurrencyLimiter>(
      live_and_batch(false), std::make_unique<ScriptedLimit>(5, &samples), clock);
  auto batch = make_pipeline(clock, limiter_class(limiter, "batch"));
  // 5 x 0.2: one batch call at a time. A batch call that calls again from
  // inside its slot is refused by its own class.
  const Status nested = batch.execute([&] { return batch.execute([] { return Status(); }); });
  EXPECT_EQ(nested.reason(), kReasonConcurrencyLimited);
  EXPECT_THROW((void)limiter_class(limiter, "nightly"), ConfigError);
}

TEST(AdaptiveConcurrencyLimiterAsync, HoldsTheSlotUntilTheOperationCompletes) {
  ManualScheduler scheduler;
  std::vector<LimitSample> samples;
  auto limiter = std::make_shared<AdaptiveConcurrencyLimiter>(
      AdaptiveConcurrencyLimiterConfig{}, std::make_unique<ScriptedLimit>(1, &samples),
      scheduler.clock());
  auto pipeline = make_pipeline(scheduler.clock(), limiter);
  const AsyncCallContext context(&scheduler);
  auto slow_call = [&](const AsyncCallContext& c, Completion<Status> done) {
    c.scheduler->schedule_after(20ms, [done] { done(Status()); });
  };
  std::vector<Status> results;
  pipeline.async_execute<Status>(context, slow_call, [&](Status s) { results.push_back(s); });
  pipeline.async_execute<Status>(context, slow_call, [&](Status s) { results.push_back(s); });
  ASSERT_EQ(results.size(), 1u);  // the second was refused at once
  EXPECT_EQ(results[0].reason(), kReasonConcurrencyLimited);
  scheduler.advance(20ms);
  ASSERT_EQ(results.size(), 2u);
  EXPECT_TRUE(results[1].ok());
  ASSERT_EQ(samples.size(), 1u);
  EXPECT_EQ(samples[0].rtt, 20ms);
  EXPECT_EQ(limiter->metrics().in_flight, 0u);
}

TEST(AdaptiveConcurrencyLimiter, RejectsInvalidConfigurationsAtConstruction) {
  ManualClock clock;
  auto message = [&](AdaptiveConcurrencyLimiterConfig config, bool with_algorithm = true) {
    try {
      AdaptiveConcurrencyLimiter limiter(
          std::move(config), with_algorithm ? std::make_unique<VegasLimit>() : nullptr, clock);
    } catch (const ConfigError& error) {
      return std::string(error.what());
    }
    return std::string("(accepted)");
  };
  EXPECT_NE(message({.classes = {{.name = "a", .share = 0.8}, {.name = "b", .share = 0.3}}})
                .find("shares must sum to at most 1"),
            std::string::npos);
  EXPECT_NE(message({.classes = {{.name = "a", .share = 0.5}, {.name = "a", .share = 0.5}}})
                .find("'a' is used twice"),
            std::string::npos);
  EXPECT_NE(message({.classes = {{.name = "a", .share = 0}}}).find("classes[0].share must be in (0, 1]"),
            std::string::npos);
  EXPECT_NE(message({.classes = {{.name = "", .share = 1}}}).find("classes[0].name must not be empty"),
            std::string::npos);
  EXPECT_NE(message({}, false).find("needs a limit algorithm"), std::string::npos);
}

}  // namespace
}  // namespace faultline::resilience
