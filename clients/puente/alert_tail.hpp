#pragma once
// Following the live alerts of some neighborhoods over /v1/ws, across reconnects.
//
// State kept between connections:
//   - resume point per neighborhood: the offset of the last alert printed there (offsets are
//     Redis stream ids, "1700000000000-0"). Before any alert, it is --since if given, else the
//     offset the server granted in its welcome, else the wall-clock time of the first welcome
//     less a second (a stream id is a millisecond time), so alerts sent while the link was down
//     are replayed on reconnect instead of lost.
//   - the ids of the last 10,000 alerts printed: replays and at-least-once delivery bring some
//     twice; each is printed (and acked) once.
//   - the history's epoch from the last welcome, sent back with each subscription. When a
//     welcome says the history could not give back everything since the resume points
//     (`recovered: false`: trimmed, or Redis lost it), the tail prints the open incidents of
//     its neighborhoods instead, so nothing the alerts would have said goes unseen.
// A drop (close, error, 45 s without a word from the server) is followed by a reconnect after
// 0.5 s, doubling to 30 s, with jitter. The first connection failing, or the server refusing
// the hello, ends the tail with an exception.

#include "global_options.hpp"
#include "puente/v1/puente.pb.h"
#include "ws_client.hpp"

#include <atomic>
#include <chrono>
#include <cstddef>
#include <deque>
#include <map>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <unordered_set>
#include <vector>

namespace puente::cli {

struct TailOptions {
  std::vector<std::string> neighborhoods;  // empty: the server grants the roster's
  std::string since;                       // --since: replay after this offset, every neighborhood
  std::optional<v1::AckState> ack;         // --ack: answer each alert with this state
  bool board = false;                      // --board: incident events of every neighborhood
  std::size_t count = 0;                   // --count: stop after this many lines; 0: never
  std::chrono::milliseconds duration{0};   // --for: stop after this long; 0: never
};

class AlertTail {
 public:
  AlertTail(const GlobalOptions& global, TailOptions options, std::ostream& out, std::ostream& log);

  // Follows until `stop` turns true (Ctrl-C), --count lines were printed or --for passed.
  // Throws client::ConnectionError if the first connection fails, ApiError if the server
  // answers the hello with an error.
  void run(const std::atomic<bool>& stop);

 private:
  using Clock = std::chrono::steady_clock;

  // One connection, from hello to its end; returns normally only when the tail is over.
  void follow(client::WsClient& ws, const std::atomic<bool>& stop);
  void greet(client::WsClient& ws, const std::atomic<bool>& stop);
  void handle(const v1::ServerMessage& message, const std::string& frame, bool binary,
              client::WsClient& ws);
  void on_alert(const v1::ServerMessage& message, const std::string& frame, bool binary);
  void send_acks(client::WsClient& ws);
  void print_open_incidents();
  void advance(const std::string& neighborhood, const std::string& offset);
  bool over();
  void print_json(const v1::ServerMessage& message, const std::string& frame, bool binary);
  void wait(std::chrono::milliseconds delay, const std::atomic<bool>& stop) const;

  const GlobalOptions& global_;
  std::string token_;
  TailOptions options_;
  std::ostream& out_;
  std::ostream& log_;

  std::map<std::string, std::string> resume_;  // neighborhood -> offset to resume after
  std::string epoch_;                          // the history's epoch the offsets belong to
  std::unordered_set<std::string> seen_;       // alert ids printed, bounded by seen_order_
  std::deque<std::string> seen_order_;
  std::deque<v1::Alert> unsent_acks_;   // alerts to ack once the link allows
  std::set<std::string> pending_acks_;  // request ids of acks sent, not yet answered
  std::size_t printed_ = 0;
  std::optional<Clock::time_point> stop_at_;          // --for
  std::optional<Clock::time_point> ack_grace_until_;  // once over, how long to await acks
  bool welcomed_ = false;                             // a welcome came on some connection
};

}  // namespace puente::cli
