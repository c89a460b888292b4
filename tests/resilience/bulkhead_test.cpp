#include "faultline/resilience/bulkhead.hpp"

#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "faultline/core/manual_scheduler.hpp"
#include "faultline/resilience/config_error.hpp"

namespace faultline::resilience {
namespace {

using namespace std::chrono_literals;

TEST(Bulkhead, AdmitsUpToTheLimitAndRejectsTheRest) {
  Bulkhead bulkhead(BulkheadConfig{.name = "db", .max_concurrent_calls = 2});
  EXPECT_TRUE(bulkhead.try_acquire());
  EXPECT_TRUE(bulkhead.try_acquire());
  const Status rejected = bulkhead.execute([] { return Status(); });
  EXPECT_EQ(rejected.code(), StatusCode::resource_exhausted);
  EXPECT_EQ(rejected.reason(), kReasonBulkheadFull);
  bulkhead.release();
  EXPECT_TRUE(bulkhead.execute([] { return Status(); }).ok());
  bulkhead.release();
  const BulkheadMetrics metrics = bulkhead.metrics();
  EXPECT_EQ(metrics.in_flight, 0u);
  EXPECT_EQ(metrics.admitted_total, 3u);
  EXPECT_EQ(metrics.rejected_total, 1u);
}

TEST(Bulkhead, ReleasesTheSlotEvenWhenTheCallThrows) {
  Bulkhead bulkhead(BulkheadConfig{.max_concurrent_calls = 1});
  EXPECT_THROW((void)bulkhead.execute([]() -> Status { throw std::runtime_error("x"); }),
               std::runtime_error);
  EXPECT_EQ(bulkhead.metrics().in_flight, 0u);
}

TEST(Bulkhead, AQueuedCallGetsTheNextFreeSlot) {
  Bulkhead bulkhead(BulkheadConfig{.max_concurrent_calls = 1, .max_queued_calls = 1, .max_queue_wait = 10s});
  ASSERT_TRUE(bulkhead.try_acquire());
  auto queued = std::async(std::launch::async, [&] { return bulkhead.execute([] { return Status(); }); });
  while (bulkhead.metrics().queued == 0) std::this_thread::yield();
  EXPECT_EQ(bulkhead.execute([] { return Status(); }).reason(), kReasonBulkheadFull);  // queue full
  bulkhead.release();
  EXPECT_TRUE(queued.get().ok());
  EXPECT_EQ(bulkhead.metrics().in_flight, 0u);
}

TEST(Bulkhead, AQueuedCallGivesUpAfterMaxQueueWait) {
  Bulkhead bulkhead(BulkheadConfig{.max_concurrent_calls = 1, .max_queued_calls = 4, .max_queue_wait = 20ms});
  ASSERT_TRUE(bulkhead.try_acquire());
  const Status status = bulkhead.execute([] { return Status(); });
  EXPECT_EQ(status.reason(), kReasonBulkheadFull);
  EXPECT_EQ(bulkhead.metrics().queued, 0u);
  bulkhead.release();
}

TEST(BulkheadAsync, QueuedCallsRunInOrderAsSlotsFree) {
  ManualScheduler scheduler;
  Bulkhead bulkhead(BulkheadConfig{.max_concurrent_calls = 1, .max_queued_calls = 2, .max_queue_wait = 1s},
                    scheduler.clock());
  std::vector<int> started;
  std::vector<Completion<Status>> pending;
  std::vector<Status> results(4);
  for (int i = 0; i < 4; ++i) {
    bulkhead.async_execute<Status>(
        AsyncCallContext(&scheduler),
        [&, i](const AsyncCallContext&, Completion<Status> done) {
          started.push_back(i);
          pending.push_back(std::move(done));
        },
        [&, i](Status s) { results[i] = s; });
  }
  EXPECT_EQ(started, (std::vector<int>{0}));
  EXPECT_EQ(results[3].reason(), kReasonBulkheadFull);  // the queue holds two
  pending[0](Status());
  scheduler.run_ready();
  EXPECT_EQ(started, (std::vector<int>{0, 1}));
  pending[1](Status());
  scheduler.run_ready();
  EXPECT_EQ(started, (std::vector<int>{0, 1, 2}));
  pending[2](Status());
  EXPECT_EQ(bulkhead.metrics().in_flight, 0u);
}

TEST(BulkheadAsync, AQueuedCallTimesOutOnTheScheduler) {
  ManualScheduler scheduler;
  Bulkhead bulkhead(BulkheadConfig{.max_concurrent_calls = 1, .max_queued_calls = 1, .max_queue_wait = 50ms},
                    scheduler.clock());
  ASSERT_TRUE(bulkhead.try_acquire());
  Status result = Status::unknown("pending");
  bulkhead.async_execute<Status>(
      AsyncCallContext(&scheduler),
      [](const AsyncCallContext&, Completion<Status> done) { done(Status()); },
      [&](Status s) { result = s; });
  scheduler.advance(49ms);
  EXPECT_EQ(result.code(), StatusCode::unknown);
  scheduler.advance(1ms);
  EXPECT_EQ(result.reason(), kReasonBulkheadFull);
  bulkhead.release();
}

TEST(Bulkhead, InvalidConfigsAreRejected) {
  EXPECT_THROW(Bulkhead(BulkheadConfig{.max_concurrent_calls = 0}), ConfigError);
  EXPECT_THROW(Bulkhead(BulkheadConfig{.max_concurrent_calls = 1, .max_queued_calls = 3}), ConfigError);
  EXPECT_THROW(Bulkhead(BulkheadConfig{.max_concurrent_calls = 1, .max_queued_calls = 0, .max_queue_wait = -1ms}),
               ConfigError);
}

}  // namespace
}  // namespace faultline::resilience
