#include "app/live/delivery_log.hpp"

#include <algorithm>
#include <functional>

namespace puente::app {

DeliveryLog::DeliveryLog(boost::asio::any_io_executor executor, store::IncidentStore& store,
                         std::chrono::milliseconds interval)
    : store_(store), interval_(interval), timer_(std::move(executor)) {}

void DeliveryLog::start() { schedule(); }

void DeliveryLog::stop() {
  stopped_ = true;
  timer_.cancel();
  flush();
}

void DeliveryLog::record(const std::shared_ptr<const net::HubFrame>& frame,
                         const std::string& responder_id) {
  auto at = std::chrono::system_clock::now();
  std::lock_guard lock(mutex_);
  if (frames_.empty() || frames_.back() != frame) frames_.push_back(frame);
  pending_.push_back({frame.get(), &responder_id, at});
}

void DeliveryLog::schedule() {
  timer_.expires_after(interval_);
  timer_.async_wait([this](boost::system::error_code ec) {
    if (ec || stopped_) return;
    flush();
    schedule();
  });
}

void DeliveryLog::flush() {
  std::vector<Entry> batch;
  std::vector<std::shared_ptr<const net::HubFrame>> frames;  // alive until the batch is written
  {
    std::lock_guard lock(mutex_);
    batch.swap(pending_);
    frames.swap(frames_);
  }
  // One call per alert: the entries of one frame are grouped together.
  std::stable_sort(batch.begin(), batch.end(),
                   [](const Entry& a, const Entry& b) { return std::less<>()(a.frame, b.frame); });
  std::vector<store::IncidentStore::Delivered> deliveries;
  for (std::size_t i = 0; i < batch.size();) {
    const auto& frame = *batch[i].frame;
    deliveries.clear();
    for (; i < batch.size() && batch[i].frame == &frame; ++i)
      deliveries.emplace_back(*batch[i].responder_id, batch[i].at);
    store_.mark_delivered(frame.incident_id, frame.alert_id, frame.recipients, deliveries);
  }
}

}  // namespace puente::app
