// The delivery log: delivery_log.hpp says why deliveries are written in batches.
#include "app/live/delivery_log.hpp"

#include <algorithm>

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

void DeliveryLog::record(const std::shared_ptr<const net::HubFrame>& frame, std::uint32_t place) {
  auto at = std::chrono::system_clock::now();
  std::lock_guard lock(mutex_);
  if (frames_.empty() || frames_.back() != frame) frames_.push_back(frame);
  pending_.push_back({frame.get(), place, at});
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
  std::vector<Entry> pending;
  std::vector<std::shared_ptr<const net::HubFrame>> frames;  // alive until the batches are made
  {
    std::lock_guard lock(mutex_);
    pending.swap(pending_);
    frames.swap(frames_);
  }
  // One batch per alert. A frame's deliveries come in runs, so the last alert's group is tried
  // first; a flush holds a few alerts at most, so finding another is a short scan.
  struct AlertDeliveries {
    const net::HubFrame* frame;
    std::vector<store::PlaceDelivered> placed;
  };
  std::vector<AlertDeliveries> alerts;
  std::size_t current = 0;
  for (const auto& entry : pending) {
    if (alerts.empty() || alerts[current].frame != entry.frame) {
      auto it = std::find_if(alerts.begin(), alerts.end(),
                             [&](const auto& alert) { return alert.frame == entry.frame; });
      if (it == alerts.end()) it = alerts.insert(it, {entry.frame, {}});
      current = static_cast<std::size_t>(it - alerts.begin());
    }
    alerts[current].placed.push_back({entry.place, entry.at});
  }
  for (auto& [frame, placed] : alerts)
    store_.mark_delivered(frame->incident_id, frame->alert_id, std::move(placed));
}

}  // namespace puente::app
