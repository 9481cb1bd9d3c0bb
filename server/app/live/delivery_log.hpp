#pragma once
// The delivery record ("alert A reached responder R's socket at T", shown to dispatchers) is
// written to Redis in batches: sockets hand each written alert here, and every `interval` the
// log appends one DeliveryBatch per alert for everything gathered. One HSETNX per delivery cost
// a Redis command, a cross-thread post and an allocation per delivery; at 50,000 deliveries/s
// that was most of the node's time outside the kernel, and its hundred bytes of Redis log per
// delivery set off a log rewrite every few seconds. A record may thus show up to `interval`
// later; a crash loses at most that much of it (the alert itself is in history). A batch names
// its recipients by place in the alert's list (store/delivery_batch.hpp): the socket found that
// place when it sent the frame (HubFrame::place_of) and hands it over with the write, so the log
// never looks a responder up (a second lookup cost ~110 instructions a delivery, issue 22).
//
// The write's time goes straight into the frame, at that place (HubFrame::written_to: the
// earliest per place), and the log only keeps the frames written since its last flush, each
// handed over once by its first write: no lock and no push per delivery, and a flush reads
// each frame's places already grouped by alert, in place order (~200 instructions a delivery
// less than a locked list of every write, issue 22).

#include "net/hub.hpp"
#include "store/incident_store.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace puente::app {

class DeliveryLog {
 public:
  DeliveryLog(boost::asio::any_io_executor executor, store::IncidentStore& store,
              std::chrono::milliseconds interval);

  void start();
  // Writes what is gathered and stops the timer.
  void stop();

  // `frame` (an alert) was written to the socket of its recipient at `place` in
  // frame->recipients. Thread-safe; the lock is taken only by the frame's first write since the
  // last flush, for a push_back.
  void record(const std::shared_ptr<const net::HubFrame>& frame, std::uint32_t place);

 private:
  void schedule();
  void flush();

  store::IncidentStore& store_;
  std::chrono::milliseconds interval_;
  boost::asio::steady_timer timer_;
  std::mutex mutex_;
  // The frames written since the last flush, each once; their times are in them. Kept alive
  // here until the flush has read them.
  std::vector<std::shared_ptr<const net::HubFrame>> frames_;
  std::atomic<bool> stopped_{false};
};

}  // namespace puente::app
