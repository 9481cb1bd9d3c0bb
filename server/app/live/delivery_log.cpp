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
  if (!frame->written_to(place, std::chrono::system_clock::now())) return;  // handed over already
  std::lock_guard lock(mutex_);
  frames_.push_back(frame);
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
  std::vector<std::shared_ptr<const net::HubFrame>> frames;
  {
    std::lock_guard lock(mutex_);
    frames.swap(frames_);
  }
  // One batch per alert, its places in order. A frame handed over again by a write that raced
  // with the last take may have nothing left: no batch.
  for (const auto& frame : frames) {
    std::vector<store::PlaceDelivered> placed;
    placed.reserve(std::min<std::size_t>(frame->recipients.size(), 1024));  // usually all of them
    frame->take_written([&](std::uint32_t place, net::HubFrame::TimePoint at) {
      placed.push_back({place, at});
    });
    if (!placed.empty())
      store_.mark_delivered(frame->incident_id, frame->alert_id, std::move(placed));
  }
}

}  // namespace puente::app
