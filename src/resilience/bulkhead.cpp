#include "faultline/resilience/bulkhead.hpp"

#include <algorithm>

#include "faultline/core/assert.hpp"
#include "faultline/resilience/config_error.hpp"

namespace faultline::resilience {

Status BulkheadConfig::validate() const {
  if (max_concurrent_calls < 1) {
    return Status::invalid_argument("bulkhead.max_concurrent_calls must be >= 1, got 0");
  }
  if (max_queue_wait < Duration::zero()) {
    return Status::invalid_argument("bulkhead.max_queue_wait must be >= 0");
  }
  if (max_queued_calls > 0 && max_queue_wait == Duration::zero()) {
    return Status::invalid_argument(
        "bulkhead.max_queue_wait must be > 0 when max_queued_calls is " +
        std::to_string(max_queued_calls));
  }
  return Status();
}

Bulkhead::Bulkhead(BulkheadConfig config, const Clock& clock)
    : config_(std::move(config)), clock_(&clock) {
  throw_if_invalid(config_.validate());
}

Bulkhead::~Bulkhead() {
  std::lock_guard lock(mutex_);
  for (auto& waiter : async_waiters_) waiter->scheduler->cancel(waiter->timer);
}

bool Bulkhead::try_acquire() noexcept {
  std::uint32_t current = in_flight_.load(std::memory_order_relaxed);
  while (current < config_.max_concurrent_calls) {
    if (in_flight_.compare_exchange_weak(current, current + 1, std::memory_order_seq_cst)) {
      admitted_total_.fetch_add(1, std::memory_order_relaxed);
      return true;
    }
  }
  return false;
}

void Bulkhead::release() noexcept {
  const std::uint32_t before = in_flight_.fetch_sub(1, std::memory_order_seq_cst);
  FAULTLINE_ASSERT(before > 0, "bulkhead released more slots than it granted");
  // seq_cst pairs with the waiter's increment of waiting_ before its own
  // try_acquire: either we see the waiter, or the waiter sees our free slot.
  if (waiting_.load(std::memory_order_seq_cst) > 0) hand_off_to_waiters();
}

Status Bulkhead::reject(BulkheadEvent::Kind kind) {
  rejected_total_.fetch_add(1, std::memory_order_relaxed);
  events_.publish_lazy([&] { return BulkheadEvent{kind, config_.name}; });
  const char* why = kind == BulkheadEvent::Kind::queue_timeout ? "' had no free slot in time"
                                                               : "' is full";
  return Status::resource_exhausted("bulkhead '" + config_.name + why)
      .with_reason(kReasonBulkheadFull);
}

Status Bulkhead::acquire(CallContext& context) {
  if (try_acquire()) return Status();
  if (config_.max_queued_calls == 0) return reject(BulkheadEvent::Kind::rejected);
  std::unique_lock lock(mutex_);
  if (waiting_.load() >= config_.max_queued_calls) return reject(BulkheadEvent::Kind::rejected);
  waiting_.fetch_add(1, std::memory_order_seq_cst);
  events_.publish_lazy([&] { return BulkheadEvent{BulkheadEvent::Kind::queued, config_.name}; });
  const Duration wait = std::min<Duration>(config_.max_queue_wait, context.remaining());
  const bool acquired =
      slot_freed_.wait_for(lock, context.stop_token(), wait, [this] { return try_acquire(); });
  waiting_.fetch_sub(1, std::memory_order_seq_cst);
  context.invalidate();
  if (acquired) return Status();
  return reject(BulkheadEvent::Kind::queue_timeout);
}

void Bulkhead::enqueue_async(const AsyncCallContext& context, std::function<void(Status)> resume) {
  std::unique_lock lock(mutex_);
  waiting_.fetch_add(1, std::memory_order_seq_cst);
  if (try_acquire()) {
    waiting_.fetch_sub(1, std::memory_order_seq_cst);
    lock.unlock();
    return resume(Status());
  }
  if (config_.max_queued_calls == 0 || waiting_.load() > config_.max_queued_calls) {
    waiting_.fetch_sub(1, std::memory_order_seq_cst);
    lock.unlock();
    return resume(reject(BulkheadEvent::Kind::rejected));
  }
  FAULTLINE_ASSERT(context.scheduler != nullptr, "a queued async bulkhead call needs a scheduler");
  auto waiter = std::make_shared<AsyncWaiter>();
  waiter->resume = std::move(resume);
  waiter->scheduler = context.scheduler;
  const TimePoint give_up =
      std::min(context.scheduler->clock().now() + config_.max_queue_wait, context.deadline);
  std::weak_ptr<AsyncWaiter> weak = waiter;
  waiter->timer = context.scheduler->schedule_at(give_up, [this, weak] {
    if (auto alive = weak.lock()) expire_async_waiter(alive);
  });
  async_waiters_.push_back(std::move(waiter));
}

void Bulkhead::expire_async_waiter(const std::shared_ptr<AsyncWaiter>& waiter) {
  {
    std::lock_guard lock(mutex_);
    const auto found = std::find(async_waiters_.begin(), async_waiters_.end(), waiter);
    if (found == async_waiters_.end()) return;  // it got a slot first
    async_waiters_.erase(found);
    waiting_.fetch_sub(1, std::memory_order_seq_cst);
  }
  waiter->resume(reject(BulkheadEvent::Kind::queue_timeout));
}

void Bulkhead::hand_off_to_waiters() {
  std::unique_lock lock(mutex_);
  while (!async_waiters_.empty() && try_acquire()) {
    auto waiter = std::move(async_waiters_.front());
    async_waiters_.pop_front();
    waiting_.fetch_sub(1, std::memory_order_seq_cst);
    waiter->scheduler->cancel(waiter->timer);
    // Resumed through the scheduler, not here: release() may run deep in
    // another call's completion, and the waiter's work must not nest in it.
    waiter->scheduler->post([waiter] { waiter->resume(Status()); });
  }
  lock.unlock();
  slot_freed_.notify_all();
}

BulkheadMetrics Bulkhead::metrics() const noexcept {
  BulkheadMetrics m;
  m.in_flight = in_flight_.load(std::memory_order_relaxed);
  m.queued = waiting_.load(std::memory_order_relaxed);
  m.admitted_total = admitted_total_.load(std::memory_order_relaxed);
  m.rejected_total = rejected_total_.load(std::memory_order_relaxed);
  return m;
}

}  // namespace faultline::resilience
