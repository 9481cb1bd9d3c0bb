#pragma once
// One puented node, wired: geography and roster loaded, Redis links up, services, the live
// feed, the listener, N I/O threads with an io_context each (net/io_threads.hpp): Redis, the
// services and the acceptor run on the first, connections on the others (on the first too if
// it is the only one). Stateless: everything shared lives in Redis.

#include "app/node/config.hpp"

#include <memory>
#include <string>
#include <vector>

namespace puente::app {

class Node {
 public:
  // Loads geography and roster; throws std::runtime_error naming what is wrong with them.
  explicit Node(NodeConfig config);
  ~Node();

  // The HTTP routes this node serves, "METHOD /pattern" as [rate_limits.routes] names them.
  std::vector<std::string> routes() const;

  // Serves until SIGINT or SIGTERM, then shuts down gracefully. Returns the exit code.
  int run();

 private:
  struct Parts;
  std::unique_ptr<Parts> parts_;
};

}  // namespace puente::app
