#pragma once
// The three servers the benchmark drives, as one client code sees them. Each has its own way
// to follow a room over WebSocket and to publish into it over HTTP:
//
//   puente    GET /v1/ws, then {"hello":{token, subscriptions:[{neighborhood}]}} -> welcome;
//             publish = POST /v1/reports (a real report: incident, VERIFY alert, Redis, hub)
//   socketio  GET /socket.io/?EIO=4&transport=websocket; Engine.IO "0{...}" open, then the
//             socket.io connect "40{"room":...}" -> the peer's "joined" event; "2" ping is
//             answered "3"; publish = POST /pub/<room>, the peer emits it to the room
//   nchan     GET /sub/<room>: live at once; publish = POST /pub/<room>
//
// Every published message carries a nonce the observers find in what they receive, whatever
// the framing around it: "lg.<phase>.<room>.<seq>.<sent ns>", the send time on the machine's
// monotonic clock (one clock for every process here), so no process needs another's table.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace puente::loadgen {

enum class Target { puente, socketio, nchan };

std::optional<Target> parse_target(std::string_view name);
std::string_view to_string(Target target);

// Nanoseconds on CLOCK_MONOTONIC.
inline std::int64_t monotonic_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

struct Nonce {
  unsigned phase = 0;
  unsigned room = 0;
  std::uint32_t seq = 0;  // per room and phase, from 0
  std::int64_t sent_ns = 0;
};

std::string format_nonce(const Nonce& nonce);
// The first nonce in `frame`, if any.
std::optional<Nonce> find_nonce(std::string_view frame);

// What an observer of `room` does on a WebSocket.
struct ObserverScript {
  std::string target;       // the upgrade request's path and query
  std::string first_frame;  // sent right after the upgrade; empty: none
};
ObserverScript observer_script(Target target, const std::string& room, const std::string& token);

// What a frame means to an observer that is not live yet.
enum class Handshake { waiting, reply, live, refused };
// `reply` is set when the frame asks for an answer (the socket.io connect after the open).
Handshake on_handshake_frame(Target target, std::string_view frame, const std::string& room,
                             std::string& reply);
// A frame on a live socket that must be answered (Engine.IO ping): the answer, else empty.
std::string_view keepalive_answer(Target target, std::string_view frame);

// The HTTP request that publishes one message to `room`.
struct Publication {
  std::string path;
  std::string body;
};
// `place` is a point inside the room's neighborhood (lat, lon); `kind` a report kind name.
Publication publication(Target target, const std::string& room, double lat, double lon,
                        std::string_view kind, const Nonce& nonce);

}  // namespace puente::loadgen
