#pragma once
// One worker's share of the observers: a few thousand WebSockets on one thread, each following
// one room, all bound to one loopback source address (so the ephemeral ports of 10,000 sockets
// never run out). Each frame that carries a nonce of the current phase is a delivery: its
// latency is the receive time minus the nonce's send time; a nonce seen twice on one socket is
// a duplicate. What the worker counts is per phase, so one set of sockets serves every load.

#include "latency_histogram.hpp"
#include "peer_protocol.hpp"
#include "server_address.hpp"

#include <boost/asio/io_context.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace puente::loadgen {

struct SwarmPlan {
  Target target = Target::puente;
  std::vector<client::ServerAddress> servers;  // observer i connects to servers[i % size]
  std::string source_address;                  // bind here ("127.0.0.2"); empty: the kernel picks
  std::vector<std::string> rooms;              // observer i follows rooms[i % size]
  std::vector<std::string> tokens;             // observer i says hello with tokens[i] (puente)
  std::size_t first = 0, count = 0;            // this worker's observers: [first, first + count)
  std::size_t connects_in_flight = 256;
};

// What the observers saw in one phase.
struct PhaseTally {
  LatencyHistogram latency;
  std::uint64_t received = 0;           // deliveries of this phase's nonces
  std::uint64_t duplicates = 0;         // a nonce again on a socket that had it
  std::uint64_t stale = 0;              // nonces of an earlier phase, arriving late
  std::int64_t last_ns = 0;             // the last delivery's receive time
  std::vector<std::uint64_t> distinct;  // per room: distinct nonces summed over its sockets
  std::vector<std::uint32_t> sockets;   // per room: sockets live now
  std::uint64_t closed = 0;             // sockets lost since they went live (all phases)

  std::string to_json() const;
};

class ObserverSwarm {
 public:
  ObserverSwarm(boost::asio::io_context& ioc, SwarmPlan plan);
  ~ObserverSwarm();

  // Connects every observer; `ready(live, failed)` runs once each is live or given up on.
  void start(std::function<void(std::size_t live, std::size_t failed)> ready);
  // Starts counting for `phase` afresh.
  void begin_phase(unsigned phase);
  const PhaseTally& tally() const { return tally_; }

 private:
  class Observer;
  friend class Observer;

  void launch_next();
  void settled(bool live);

  boost::asio::io_context& ioc_;
  SwarmPlan plan_;
  std::vector<std::shared_ptr<Observer>> observers_;
  std::size_t launched_ = 0, in_flight_ = 0, live_ = 0, failed_ = 0;
  std::function<void(std::size_t, std::size_t)> ready_;
  unsigned phase_ = 0;
  PhaseTally tally_;
};

}  // namespace puente::loadgen
