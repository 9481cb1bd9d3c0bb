#pragma once
// The bridge from Redis pub/sub to the local hub. The node subscribes once to every
// neighborhood's live channel and to the board channel; each message becomes one shared frame
// handed to the hub. Pub/sub drops what it sends while the link is down, so after a
// resubscribe the feed replays each neighborhood's history from the last offset it saw, holding
// that neighborhood's live alerts meanwhile (core/stream_recovery.hpp); the sockets drop what
// they already have (by offset). The holding starts as the link comes back, before it
// subscribes: an alert passed on before the replay began would make it start after the gap.
// A neighborhood some socket here follows but the feed has not met yet replays from the feed's
// start: every alert since then would have come through it. The board's events have no
// history: its followers are told to read it whole again (frames.hpp, board_gap_frame).

#include "core/metrics.hpp"
#include "core/stream_recovery.hpp"
#include "net/hub.hpp"
#include "redis/subscriber.hpp"
#include "store/incident_store.hpp"
#include "store/tagged_alert.hpp"

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace puente::app {

class LiveFeed {
 public:
  LiveFeed(boost::asio::any_io_executor executor, std::shared_ptr<redis::Subscriber> subscriber,
           store::IncidentStore& store, net::Hub& hub, core::Metrics& metrics,
           std::size_t replay_max_alerts);

  // Subscribes to the live channels of `slugs` and to the board.
  void start(const std::vector<std::string>& slugs);

 private:
  void on_message(const std::string& channel, const std::string& payload);
  void hold_live();
  void catch_up();
  void replay(const std::string& slug, const std::string& after);
  void replayed(const std::string& slug, store::ReplayPage page);
  void publish(store::LiveAlert live);  // a live alert, its recipients kept apart
  void publish(v1::Alert alert);        // a replayed one

  boost::asio::any_io_executor executor_;
  std::shared_ptr<redis::Subscriber> subscriber_;
  store::IncidentStore& store_;
  net::Hub& hub_;
  core::Metrics& metrics_;
  std::size_t replay_max_alerts_;
  // Messages arrive on the subscriber's strand, replays on the store's: one mutex orders them.
  std::mutex mutex_;
  // Per neighborhood met so far: the newest offset published and, while its history is being
  // replayed after a reconnect, the live alerts held back (published first, they would make the
  // sockets drop the older replayed ones as already seen).
  std::unordered_map<std::string, core::StreamRecovery<store::LiveAlert>> streams_;
  // Where a neighborhood not met yet is replayed from: the feed's start, by the node's clock.
  core::StreamOffset started_;
  std::vector<std::string> slugs_;  // the neighborhoods subscribed to
  // The neighborhoods whose live alerts are held until the link's channels are back and their
  // replay starts; empty when no link is coming back.
  std::vector<std::string> held_for_replay_;
  bool holding_ = false;
};

}  // namespace puente::app
